package io.hpsearch.runner;

import io.hpsearch.data.Dataset;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.Trial;
import io.hpsearch.store.TrialState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model-based searches through the real runner, two workers, on the repository's Fashion-MNIST slice: a space
 * smaller than max_trials is trained whole, every network once, and the run completes (TPE with ASHA pruning).
 */
class SearchKindsRunTest {
    private static final Path DATA = Path.of("../testdata/fashion-mnist");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"tpe", "genetic"})
    void aModelBasedSearchRunsToTheEndOfItsSpaceWithoutRepeatingANetwork(String kind) {
        // 2 depths x 3 x 3 units on up to two layers: 3 + 9 = 12 networks, fewer than max_trials.
        String yaml = """
                name: %s
                search: %s
                max_trials: 20
                seed: 3
                %s
                training: {epochs: 2, batch_size: 64, train_limit: 300}
                model:
                  type: mlp
                  hidden_layers: {min: 1, max: 2}
                  units: {choice: [8, 16, 24]}
                  learning_rate: 0.01
                """.formatted(kind, kind, kind.equals("tpe") ? "tpe: {startup_trials: 4}\npruner: {type: asha, "
                + "reduction_factor: 3}" : "genetic: {population_size: 4}");
        SpaceSpec spec = SpaceParser.parse(yaml, kind + ".yaml");
        Dataset data = FashionMnist.load(DATA).dataset();
        try (Store store = Store.open(dir.resolve("hpsearch"))) {
            SearchRunner.Outcome outcome = new SearchRunner(store, data, 2, 1,
                    RunListener.NONE).run(spec, yaml);

            assertEquals(RunStatus.COMPLETED, outcome.status(), outcome.message());
            List<Trial> trials = store.trials(outcome.runId());
            assertEquals(12, trials.size(), "every network of the space once: " + trials);
            assertEquals(12, trials.stream().map(Trial::paramsKey).distinct().count());
            assertTrue(trials.stream().allMatch(t -> t.state() == TrialState.COMPLETED
                    || t.state() == TrialState.PRUNED), trials.toString());
            assertTrue(outcome.message().endsWith("best: trial " + store.rankedTrials(outcome.runId(), 1).get(0)
                    .number()), outcome.message());
        }
    }
}
