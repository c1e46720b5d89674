package io.hpsearch.sampler;

import io.hpsearch.space.ModelSpec;
import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trial.TrialParams;
import io.hpsearch.trial.TrialRecord;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Arbiter's grid search, one grid per combination of layer counts so that layers that do not exist do not multiply
 * the grid. The grids take turns, so a run capped by max_trials still sees every depth.
 */
final class GridSampler implements Sampler {
    private final List<GridSearchCandidateGenerator> grids = new ArrayList<>();
    private final Set<String> alreadyRun = new HashSet<>();
    private int turn;

    GridSampler(SpaceSpec spec) {
        for (List<Integer> counts : countCombinations(spec.model().groups())) {
            grids.add(new GridSearchCandidateGenerator(ArbiterSpace.atCounts(spec.model(), counts),
                    spec.gridPoints(), GridSearchCandidateGenerator.Mode.Sequential, null));
        }
    }

    /** Every combination of the groups' layer counts, e.g. (1 conv block, 0 dense layers), (1, 1), (2, 0), ... */
    private static List<List<Integer>> countCombinations(List<ModelSpec.Group> groups) {
        List<List<Integer>> combinations = List.of(List.of());
        for (ModelSpec.Group group : groups) {
            List<List<Integer>> extended = new ArrayList<>();
            for (List<Integer> prefix : combinations) {
                for (Object count : group.count().discreteValues().orElseThrow()) {
                    List<Integer> next = new ArrayList<>(prefix);
                    next.add((Integer) count);
                    extended.add(next);
                }
            }
            combinations = extended;
        }
        return combinations;
    }

    /** Exact number of points in the grid. */
    long size() {
        return grids.stream().mapToLong(GridSearchCandidateGenerator::getTotalNumCandidates).sum();
    }

    @Override
    public Optional<TrialParams> next(List<TrialRecord> trials) {
        trials.forEach(t -> alreadyRun.add(t.params().key()));
        while (grids.stream().anyMatch(GridSearchCandidateGenerator::hasMoreCandidates)) {
            GridSearchCandidateGenerator grid = grids.get(turn++ % grids.size());
            if (!grid.hasMoreCandidates()) {
                continue;
            }
            Candidate<?> candidate = grid.getCandidate();
            if (candidate.getException() != null) {
                throw new IllegalStateException("Arbiter could not build a grid point", candidate.getException());
            }
            TrialParams params = (TrialParams) candidate.getValue();
            if (!alreadyRun.contains(params.key())) {
                return Optional.of(params);
            }
        }
        return Optional.empty();
    }
}
