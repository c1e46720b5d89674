package io.hpsearch.pruner;

import io.hpsearch.space.PrunerSpec;
import io.hpsearch.store.Objective;
import io.hpsearch.trial.TrialRecord;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Optuna's SuccessiveHalvingPruner (optuna/pruners/_successive_halving.py): asynchronous successive halving (ASHA).
 * Rung {@code k} is at epoch {@code minEpochs x reductionFactor^(minEarlyStoppingRate + k)}. A trial is judged
 * only on finishing a rung's epoch, never between rungs: it goes on when its value there is among the best
 * {@code floor(n / reductionFactor)} (at least 1) of the {@code n} values of the trials that have reached that rung
 * so far, itself included, and is pruned otherwise. It never waits for trials still on their way to the rung.
 *
 * <p>Optuna records a trial's value at each rung it completes (system attributes {@code completed_rung_k}). Here
 * that record is derived from the learning curves instead, so nothing is stored beyond them: a trial has completed
 * rung {@code k} when it has a value at that rung's epoch, and that value is its rung value. This is the same
 * record, because a trial is asked after every epoch and stops as soon as it is pruned, so having trained the
 * rung's epoch means it passed every earlier rung; a NaN value at a rung is left out, as Optuna prunes such a
 * trial before recording it. Trials of every state count, as in Optuna (a pruned or failed trial's rung values
 * still stand).
 *
 * <p>As in Optuna, {@code bootstrapCount} prunes rather than spares: while a rung, counting the trial being
 * judged, has been reached by at most {@code bootstrapCount} trials, the trial is pruned there (Optuna has no way
 * to pause a trial until enough others arrive, so "not promoted yet" means pruned). With the default 0 no trial is
 * pruned for it.
 *
 * <p>Epochs and Optuna's steps: the rung epochs are epochs trained (epoch {@code e} is step {@code e}), as in
 * Optuna's own tests, which report the first value at step 1; so with {@code minEpochs} 1 and factor 3 the rungs
 * are at epochs 1, 3, 9, 27.
 *
 * <p>Stateless: a pure function of the trial and the others, in whatever order they come.
 */
public final class SuccessiveHalvingPruner implements Pruner {
    private final int minEpochs;
    private final int reductionFactor;
    private final int minEarlyStoppingRate;
    private final int bootstrapCount;
    private final int lastEpoch;
    private final boolean maximise;

    /**
     * @param minEpochs            epochs before the first rung (min_resource)
     * @param reductionFactor      1 in this many trials passes a rung (reduction_factor), at least 2
     * @param minEarlyStoppingRate rungs skipped before the first one that judges (min_early_stopping_rate)
     * @param bootstrapCount       trials pruned at each rung before any passes it (bootstrap_count)
     * @param objective            which way is better
     */
    public SuccessiveHalvingPruner(int minEpochs, int reductionFactor, int minEarlyStoppingRate, int bootstrapCount,
                                   Objective objective) {
        this(minEpochs, reductionFactor, minEarlyStoppingRate, bootstrapCount, Integer.MAX_VALUE, objective);
    }

    /**
     * @param lastEpoch a trial's last epoch, when known (Hyperband's max_resource): a rung there judges nothing,
     *                  since the trial has then trained all it will
     */
    SuccessiveHalvingPruner(int minEpochs, int reductionFactor, int minEarlyStoppingRate, int bootstrapCount,
                            int lastEpoch, Objective objective) {
        if (minEpochs < 1) {
            throw new IllegalArgumentException("min_epochs must be at least 1 (" + minEpochs + ")");
        }
        if (reductionFactor < 2) {
            throw new IllegalArgumentException("reduction_factor must be at least 2 (" + reductionFactor + ")");
        }
        if (minEarlyStoppingRate < 0) {
            throw new IllegalArgumentException("min_early_stopping_rate cannot be negative ("
                    + minEarlyStoppingRate + ")");
        }
        if (bootstrapCount < 0) {
            throw new IllegalArgumentException("bootstrap_count cannot be negative (" + bootstrapCount + ")");
        }
        this.minEpochs = minEpochs;
        this.reductionFactor = reductionFactor;
        this.minEarlyStoppingRate = minEarlyStoppingRate;
        this.bootstrapCount = bootstrapCount;
        this.lastEpoch = lastEpoch;
        this.maximise = objective.maximise();
    }

    /** The epochs at which this pruner judges, up to {@code upTo} inclusive, in order. */
    public List<Integer> rungEpochs(int upTo) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; ; k++) {
            long epoch = rungEpoch(k);
            if (epoch > upTo || epoch >= lastEpoch) {
                return out;
            }
            out.add((int) epoch);
        }
    }

    /** min_resource x reduction_factor^(min_early_stopping_rate + k), saturating instead of overflowing. */
    private long rungEpoch(int k) {
        return PrunerSpec.Asha.rungEpoch(minEpochs, reductionFactor, minEarlyStoppingRate + k);
    }

    /** Whether {@code epoch} ends a rung that judges. */
    private boolean isRung(int epoch) {
        for (int k = 0; ; k++) {
            long rung = rungEpoch(k);
            if (rung >= epoch) {
                return rung == epoch && rung < lastEpoch;
            }
        }
    }

    @Override
    public boolean prune(TrialRecord trial, List<TrialRecord> others) {
        int epoch = trial.epochs();
        if (epoch == 0 || !isRung(epoch)) {
            return false;
        }
        double value = trial.values()[epoch - 1];
        if (Double.isNaN(value)) {
            return true;
        }
        List<Double> competing = new ArrayList<>();
        for (TrialRecord t : others) {
            if (t.number() == trial.number()) {
                continue; // counted once, below, with the value being judged
            }
            t.value(epoch).ifPresent(v -> {
                if (!Double.isNaN(v)) {
                    competing.add(v);
                }
            });
        }
        competing.add(value);
        // 'competing' includes the trial itself, hence <= (Optuna's comment says the same).
        if (competing.size() <= bootstrapCount) {
            return true;
        }
        return !promotable(value, competing, reductionFactor, maximise);
    }

    /**
     * Optuna's _is_trial_promotable_to_next_rung: whether {@code value} is among the best
     * {@code floor(n / reductionFactor)} (at least 1) of {@code competing}, which includes it.
     */
    static boolean promotable(double value, List<Double> competing, int reductionFactor, boolean maximise) {
        int promotableIndex = competing.size() / reductionFactor - 1;
        if (promotableIndex == -1) {
            // Fewer trials than the factor: without pausing trials, Optuna lets through only the best so far.
            promotableIndex = 0;
        }
        Collections.sort(competing);
        return maximise ? value >= competing.get(competing.size() - 1 - promotableIndex)
                : value <= competing.get(promotableIndex);
    }

    @Override
    public String toString() {
        return "SuccessiveHalvingPruner[minEpochs=" + minEpochs + ", reductionFactor=" + reductionFactor
                + ", minEarlyStoppingRate=" + minEarlyStoppingRate + ", bootstrapCount=" + bootstrapCount
                + (lastEpoch == Integer.MAX_VALUE ? "" : ", lastEpoch=" + lastEpoch) + ", maximise=" + maximise + "]";
    }
}
