package io.hpsearch.runner;

import io.hpsearch.store.EpochMetrics;
import io.hpsearch.store.TestEvaluation;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialParams;

/**
 * Progress of a run, for display. The store is the source of truth; listeners only show. Trial callbacks arrive on
 * worker threads, concurrently.
 */
public interface RunListener {
    /** Listens to nothing: for runs nobody watches live (the dashboard reads the store). */
    RunListener NONE = new RunListener() { };


    /** @param plannedTrials trials the run will train, unless cancelled or the space runs out first */
    default void runStarted(long runId, String name, int plannedTrials) {
    }

    /** How this process trains the run: its workers and threads, and why. */
    default void parallelismChosen(Parallelism parallelism) {
    }

    default void trialStarted(int number, TrialParams params) {
    }

    default void batchEnded(int number, int epoch, int batch, int batchesPerEpoch) {
    }

    default void epochEnded(int number, EpochMetrics metrics) {
    }

    /** Something about a trial the user should read (it continues from a checkpoint, say), as one sentence. */
    default void trialNote(int number, String note) {
    }

    /**
     * This worker stopped training a trial it no longer owns (another worker took it over): the trial goes on
     * elsewhere, so it is neither finished nor running here.
     */
    default void trialLeft(int number, String note) {
    }

    /** @param reason why a trial failed or was cancelled; null for a completed trial */
    default void trialFinished(int number, TrialState state, Double score, String reason) {
    }

    /** The best network is about to be evaluated on the test set: the last step of a run. */
    default void testStarting(int trialNumber) {
    }

    default void testEvaluated(TestEvaluation evaluation) {
    }
}
