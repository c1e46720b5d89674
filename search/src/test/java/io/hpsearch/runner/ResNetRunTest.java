package io.hpsearch.runner;

import io.hpsearch.data.Dataset;
import io.hpsearch.data.FashionMnist;
import io.hpsearch.model.ModelFile;
import io.hpsearch.space.SpaceParser;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.store.RunStatus;
import io.hpsearch.store.Store;
import io.hpsearch.store.TrialState;
import io.hpsearch.trainer.Net;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A residual network searched through the real runner, with ASHA, to its test evaluation and model file. */
class ResNetRunTest {
    private static final Path DATA = Path.of("../testdata/fashion-mnist");

    @TempDir
    Path dir;

    @Test
    void aResnetSearchTrainsPrunesEvaluatesAndSavesAGraph() throws Exception {
        String yaml = """
                name: resnet
                search: tpe
                max_trials: 4
                seed: 2
                tpe: {startup_trials: 2}
                pruner: {type: asha, min_epochs: 1, reduction_factor: 2}
                training: {epochs: 2, batch_size: 32, train_limit: 200}
                model:
                  type: resnet
                  stages: {min: 1, max: 2}
                  filters: {choice: [4, 8]}
                  blocks_per_stage: 1
                  bottleneck: {choice: [false, true]}
                  learning_rate: 0.003
                """;
        SpaceSpec spec = SpaceParser.parse(yaml, "resnet.yaml");
        Dataset data = FashionMnist.load(DATA).dataset();
        try (Store store = Store.open(dir.resolve("hpsearch"))) {
            SearchRunner.Outcome outcome = new SearchRunner(store, data, 2, 1, RunListener.NONE).run(spec, yaml);
            assertEquals(RunStatus.COMPLETED, outcome.status(), outcome.message());
            assertEquals(4, store.trials(outcome.runId()).size());
            assertTrue(store.trials(outcome.runId()).stream().anyMatch(t -> t.state() == TrialState.COMPLETED));
            assertTrue(outcome.test().orElseThrow().accuracy() > 0.1, "a trained network beats chance");
            Path file = Files.write(dir.resolve("model.zip"), SearchRunner.bestModel(store, outcome.runId())
                    .orElseThrow());
            ModelFile.Model model = ModelFile.read(file);
            try (Net net = model.network()) {
                assertTrue(net.isGraph(), "the saved model is the residual graph");
            }
        }
    }
}
