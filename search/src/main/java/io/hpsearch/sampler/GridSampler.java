package io.hpsearch.sampler;

import io.hpsearch.space.SpaceSpec;
import io.hpsearch.trial.TrialParams;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Arbiter's grid search, one grid per depth so that layers that do not exist do not multiply the grid. Depths take
 * turns, so a run capped by max_trials still sees every depth.
 */
final class GridSampler implements Sampler {
    private final List<GridSearchCandidateGenerator> grids = new ArrayList<>();
    private final Set<String> alreadyRun;
    private int turn;

    GridSampler(SpaceSpec spec, Set<String> alreadyRun) {
        this.alreadyRun = Set.copyOf(alreadyRun);
        for (Object depth : spec.model().hiddenLayers().discreteValues().orElseThrow()) {
            grids.add(new GridSearchCandidateGenerator(ArbiterSpace.atDepth(spec.model(), (Integer) depth),
                    spec.gridPoints(), GridSearchCandidateGenerator.Mode.Sequential, null));
        }
    }

    /** Exact number of points in the grid. */
    long size() {
        return grids.stream().mapToLong(GridSearchCandidateGenerator::getTotalNumCandidates).sum();
    }

    @Override
    public Optional<TrialParams> next() {
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
