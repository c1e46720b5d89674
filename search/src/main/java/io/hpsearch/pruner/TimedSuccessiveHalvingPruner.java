package io.hpsearch.pruner;

import io.hpsearch.store.Objective;
import io.hpsearch.store.TrialState;
import io.hpsearch.trial.TrialRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Asynchronous successive halving with rungs in seconds of each trial's own training rather than in epochs, as Ray
 * Tune's ASHA with {@code time_attr="time_total_s"} ({@code pruner: {type: asha, min_minutes: M}}). Rung {@code k}
 * is at {@code minSeconds x reductionFactor^(minEarlyStoppingRate + k)} seconds. In a space where one network's
 * epoch costs ten of another's (a CNN with 128 filters at full resolution against one with 32), rungs in epochs
 * let the slow network hold a worker for hours before its first judgement; in seconds it is judged after the same
 * training time as the others.
 *
 * <p>A trial is judged when an epoch ends: at every rung its training time passed during that epoch (a long epoch
 * may pass several), with its value after that epoch, against the value every other trial had after the epoch in
 * which it passed the same rung; it goes on only when it is among the best {@code floor(n / reductionFactor)} (at
 * least 1) of the {@code n} values at each of those rungs, itself included (Optuna's promotion rule, as
 * {@link SuccessiveHalvingPruner}; Ray Tune judges only the highest rung passed, against a percentile of the others'
 * values). A pruned trial counts at the rungs below its last epoch and at the lowest its last epoch passed. A NaN value is pruned; {@code bootstrapCount} prunes while a rung has been
 * reached by at most that many trials. Training time is the sum of the trial's epochs' recorded durations, so a
 * trial continued from a checkpoint keeps the time of the epochs it kept; on machines of different speeds the same
 * network reaches a rung after different epochs.
 *
 * <p>Stateless: a pure function of the trial and the others, read from the store.
 */
final class TimedSuccessiveHalvingPruner implements Pruner {
    private final double minSeconds;
    private final int reductionFactor;
    private final int minEarlyStoppingRate;
    private final int bootstrapCount;
    private final boolean maximise;

    /**
     * @param minSeconds seconds of training before the first rung, above 0
     */
    TimedSuccessiveHalvingPruner(double minSeconds, int reductionFactor, int minEarlyStoppingRate,
                                 int bootstrapCount, Objective objective) {
        if (!(minSeconds > 0) || Double.isInfinite(minSeconds)) {
            throw new IllegalArgumentException("min_minutes must be above 0 (" + minSeconds / 60 + ")");
        }
        if (reductionFactor < 2) {
            throw new IllegalArgumentException("reduction_factor must be at least 2 (" + reductionFactor + ")");
        }
        if (minEarlyStoppingRate < 0 || bootstrapCount < 0) {
            throw new IllegalArgumentException("min_early_stopping_rate and bootstrap_count cannot be negative");
        }
        this.minSeconds = minSeconds;
        this.reductionFactor = reductionFactor;
        this.minEarlyStoppingRate = minEarlyStoppingRate;
        this.bootstrapCount = bootstrapCount;
        this.maximise = objective.maximise();
    }

    /** The rungs, in seconds of training, that lie in (after, upTo], in order. */
    List<Double> rungsBetween(double after, double upTo) {
        List<Double> out = new ArrayList<>();
        double rung = minSeconds * Math.pow(reductionFactor, minEarlyStoppingRate);
        for (; rung <= upTo; rung *= reductionFactor) {
            if (rung > after) {
                out.add(rung);
            }
        }
        return out;
    }

    @Override
    public boolean prune(TrialRecord trial, List<TrialRecord> others) {
        int epoch = trial.epochs();
        if (epoch == 0) {
            return false;
        }
        double value = trial.values()[epoch - 1];
        for (double rung : rungsBetween(trial.trainedSeconds(epoch - 1), trial.trainedSeconds(epoch))) {
            if (Double.isNaN(value)) {
                return true;
            }
            List<Double> competing = new ArrayList<>();
            for (TrialRecord t : others) {
                if (t.number() != trial.number() && judgedAt(t, rung)) {
                    valueAt(t, rung).ifPresent(v -> {
                        if (!Double.isNaN(v)) {
                            competing.add(v);
                        }
                    });
                }
            }
            competing.add(value);
            if (competing.size() <= bootstrapCount
                    || !SuccessiveHalvingPruner.promotable(value, competing, reductionFactor, maximise)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The rungs at which a trial was judged: in seconds, a network pruned at the first rung after twenty short
     * epochs got less far than one pruned at the second after two long ones, though it trained more epochs.
     */
    @Override
    public int progress(TrialRecord pruned) {
        // The rungs it passed at which it holds a value: the rule that places it among the others (judgedAt).
        return (int) rungsBetween(0, pruned.trainedSeconds(pruned.epochs())).stream()
                .filter(rung -> judgedAt(pruned, rung)).count();
    }

    /**
     * Whether a trial that reached {@code rung} holds a value there. Optuna records a trial's value at a rung just
     * before judging it there, so a trial pruned at one rung has none at the rungs above. Here a pruned trial's last
     * epoch may have passed several rungs, and which one pruned it is not stored: it counts at the lowest of them
     * only, the one that prunes it in the common case (each rung is harder to pass than the one below).
     */
    private boolean judgedAt(TrialRecord t, double rung) {
        int last = t.epochs();
        if (t.state() != TrialState.PRUNED || last == 0) {
            return true;
        }
        List<Double> inLastEpoch = rungsBetween(t.trainedSeconds(last - 1), t.trainedSeconds(last));
        return inLastEpoch.isEmpty() || rung <= inLastEpoch.get(0);
    }

    /** A trial's value after the epoch in which its training time reached {@code rung}; empty if it has not yet. */
    static OptionalDouble valueAt(TrialRecord t, double rung) {
        // The same sum as the judged trial's own rung crossing (trainedSeconds), so both sides place a rung alike.
        for (int e = 1; e <= t.epochs(); e++) {
            if (t.trainedSeconds(e) >= rung) {
                return t.value(e);
            }
        }
        return OptionalDouble.empty();
    }

    @Override
    public String toString() {
        return "TimedSuccessiveHalvingPruner[minSeconds=" + minSeconds + ", reductionFactor=" + reductionFactor
                + ", minEarlyStoppingRate=" + minEarlyStoppingRate + ", bootstrapCount=" + bootstrapCount
                + ", maximise=" + maximise + "]";
    }
}
