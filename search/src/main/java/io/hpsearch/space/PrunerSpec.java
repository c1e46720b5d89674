package io.hpsearch.space;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The space's {@code pruner:}: which trials stop early because they trail the others at the same epoch. Defaults
 * and semantics are Optuna's pruners' (optuna/pruners), as the README states.
 */
public sealed interface PrunerSpec {
    /** No pruning: every trial trains until its epochs or its early stopping end it. */
    PrunerSpec NONE = new None();

    /** {@code type} as written. */
    String type();

    /** As stored with the run. */
    Map<String, Object> describe();

    /**
     * Why this pruner could never stop a trial before its last epoch when trials train {@code epochs} epochs (the
     * first epoch it judges is at or after it): the search would run as without it, and nothing would say so. Empty
     * when it can stop one; always empty for rungs in minutes, which epochs do not bound.
     */
    default Optional<IdleRule> idleWith(int epochs) {
        return Optional.empty();
    }

    /** For people, after the search's description: "asha pruning". */
    default String label() {
        return type() + " pruning";
    }

    record None() implements PrunerSpec {
        @Override
        public String type() {
            return "none";
        }

        @Override
        public Map<String, Object> describe() {
            return Map.of("type", type());
        }
    }

    /**
     * Optuna's MedianPruner: stop a trial whose best value so far is worse than the median of the completed
     * trials' values at the same epoch.
     *
     * @param startupTrials  no pruning until this many trials have completed; pruned or failed ones do not count
     *                       (n_startup_trials, 5)
     * @param warmupEpochs   a trial's first this many epochs are never pruned (n_warmup_steps, 0)
     * @param intervalEpochs after the warm-up, judge every this many epochs (interval_steps, 1)
     * @param minTrials      no pruning at an epoch fewer completed trials have a value at (n_min_trials, 1)
     */
    record Median(int startupTrials, int warmupEpochs, int intervalEpochs, int minTrials) implements PrunerSpec {
        @Override
        public String type() {
            return "median";
        }

        @Override
        public Optional<IdleRule> idleWith(int epochs) {
            return IdleRule.unless("pruner.warmup_epochs", warmupEpochs + 1L, "the first epoch judged after "
                    + "warmup_epochs (" + warmupEpochs + ")", epochs, "the median pruner");
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type());
            m.put("startup_trials", startupTrials);
            m.put("warmup_epochs", warmupEpochs);
            m.put("interval_epochs", intervalEpochs);
            m.put("min_trials", minTrials);
            return m;
        }
    }

    /**
     * Optuna's SuccessiveHalvingPruner (asynchronous successive halving): rungs at
     * {@code minEpochs x reductionFactor^(minEarlyStoppingRate + k)}; a trial passes a rung only when its value
     * there is in the top {@code 1/reductionFactor} of the trials that reached it.
     *
     * <p>With {@code minMinutes} above 0 the rungs are in minutes of each trial's own training instead of epochs,
     * as Ray Tune's ASHA with {@code time_attr="time_total_s"}: in a space where one network's epoch costs ten of
     * another's, the slow one is judged after the same training time, not after the same epochs.
     *
     * @param minEpochs            epochs before the first rung (min_resource, 1)
     * @param minMinutes           minutes of training before the first rung; 0: rungs in epochs
     * @param reductionFactor      how much each rung narrows the field (reduction_factor; Optuna's default is 4)
     * @param minEarlyStoppingRate rungs skipped before pruning starts (min_early_stopping_rate, 0)
     * @param bootstrapCount       at each rung, the first this many trials to reach it are pruned there, none
     *                             passing until more have arrived (bootstrap_count, 0)
     */
    record Asha(int minEpochs, double minMinutes, int reductionFactor, int minEarlyStoppingRate, int bootstrapCount)
            implements PrunerSpec {
        /** Rungs in epochs. */
        public Asha(int minEpochs, int reductionFactor, int minEarlyStoppingRate, int bootstrapCount) {
            this(minEpochs, 0, reductionFactor, minEarlyStoppingRate, bootstrapCount);
        }

        /**
         * The epoch of {@code minEpochs x reductionFactor^exponent}, the rung the pruner and the check for an idle
         * one both count; {@code Long.MAX_VALUE} past any epoch a trial can train, instead of overflowing.
         */
        public static long rungEpoch(int minEpochs, int reductionFactor, int exponent) {
            long epoch = minEpochs;
            for (int i = 0; i < exponent; i++) {
                epoch *= reductionFactor;
                if (epoch > Integer.MAX_VALUE) {
                    return Long.MAX_VALUE;
                }
            }
            return epoch;
        }

        /** Whether the rungs are in minutes of training rather than epochs. */
        public boolean byTime() {
            return minMinutes > 0;
        }

        /** "asha pruning at 15, 45, 135 ... minutes of each trial's training" when the rungs are in minutes. */
        @Override
        public String label() {
            if (!byTime()) {
                return PrunerSpec.super.label();
            }
            double first = minMinutes * Math.pow(reductionFactor, minEarlyStoppingRate);
            return String.format(java.util.Locale.ROOT, "%s pruning at %s, %s, %s ... minutes of each trial's "
                    + "training", type(), minutes(first), minutes(first * reductionFactor),
                    minutes(first * reductionFactor * reductionFactor));
        }

        private static String minutes(double m) {
            return new java.math.BigDecimal(m).round(new java.math.MathContext(6)).stripTrailingZeros()
                    .toPlainString();
        }

        @Override
        public String type() {
            return "asha";
        }

        @Override
        public Optional<IdleRule> idleWith(int epochs) {
            if (byTime()) {
                return Optional.empty();
            }
            long first = rungEpoch(minEpochs, reductionFactor, minEarlyStoppingRate);
            if (minEarlyStoppingRate == 0) {
                return IdleRule.unless("pruner.min_epochs", first, "the first rung (min_epochs)", epochs, "asha");
            }
            return IdleRule.unless(minEpochs < epochs ? "pruner.min_early_stopping_rate" : "pruner.min_epochs",
                    first, "the first rung that judges (min_epochs x reduction_factor^min_early_stopping_rate)",
                    epochs, "asha");
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type());
            if (byTime()) {
                m.put("min_minutes", minMinutes);
            } else {
                m.put("min_epochs", minEpochs);
            }
            m.put("reduction_factor", reductionFactor);
            m.put("min_early_stopping_rate", minEarlyStoppingRate);
            m.put("bootstrap_count", bootstrapCount);
            return m;
        }
    }

    /**
     * Optuna's HyperbandPruner: brackets of successive halving with different first rungs; each trial belongs to
     * one bracket (by its number) and is compared only with that bracket's trials.
     *
     * <p>Its max_resource is not a setting: it is the space's training.epochs, which {@code Pruners.of} hands the
     * pruner, so a run's {@code --epochs} moves it with them.
     *
     * @param minEpochs       epochs before the first rung of the most aggressive bracket (min_resource, 1)
     * @param reductionFactor how much each rung narrows the field (reduction_factor, 3)
     * @param bootstrapCount  at each rung, the first this many trials of the bracket to reach it are pruned there
     *                        (bootstrap_count, 0)
     */
    record Hyperband(int minEpochs, int reductionFactor, int bootstrapCount) implements PrunerSpec {
        @Override
        public String type() {
            return "hyperband";
        }

        @Override
        public Optional<IdleRule> idleWith(int epochs) {
            return IdleRule.unless("pruner.min_epochs", minEpochs, "the first rung (min_epochs)", epochs, "hyperband");
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type());
            m.put("min_epochs", minEpochs);
            m.put("reduction_factor", reductionFactor);
            m.put("bootstrap_count", bootstrapCount);
            return m;
        }
    }
}
