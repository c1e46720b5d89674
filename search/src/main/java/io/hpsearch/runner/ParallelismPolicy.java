package io.hpsearch.runner;

import io.hpsearch.data.TrainingData;
import io.hpsearch.space.SpaceSpec;

/**
 * Chooses, for each run a process trains, how many trials go side by side and how many native threads each gets:
 * fixed by the user, or measured on the machine ({@link Calibration}).
 */
@FunctionalInterface
public interface ParallelismPolicy {
    /**
     * @param plannedTrials trials the run will train in all (more workers than that would idle)
     */
    Parallelism choose(SpaceSpec spec, TrainingData data, int plannedTrials);

    /** Always the same split, as the user gave it (--workers and --threads). */
    static ParallelismPolicy fixed(int workers, int threads) {
        Parallelism fixed = new Parallelism(workers, threads, "as given");
        return (spec, data, planned) -> fixed;
    }
}
