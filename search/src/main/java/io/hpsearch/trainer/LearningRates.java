package io.hpsearch.trainer;

import io.hpsearch.space.LearningRateSchedule;
import io.hpsearch.trial.TrialParams;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.PolySchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.Optional;

/**
 * A trial's learning rate schedule as DL4J's own schedule classes, so that a saved model's configuration reads back
 * in plain DL4J (a class of ours in it would not). DL4J counts minibatches itself (its iteration count), and the
 * horizon is the whole planned training, which only the trainer knows: the network is built with the constant rate
 * and given its schedule before the first minibatch.
 */
final class LearningRates {
    /**
     * Cosine annealing as a staircase of this many steps: DL4J has no cosine schedule, and its map schedule keeps
     * every step in the model's configuration. Each step drops by at most pi/200 (1.6 %) of the starting rate; the
     * last step holds 0.025 % of it.
     */
    static final int COSINE_STEPS = 100;

    private LearningRates() {
    }

    /** The schedule the trial names, over {@code iterations} minibatches; empty for a constant rate. */
    static Optional<ISchedule> schedule(TrialParams params, int iterations) {
        double rate = params.decimal("learning_rate", 1e-3);
        return switch (LearningRateSchedule.of(params.text("learning_rate_schedule", "constant"))) {
            case CONSTANT -> Optional.empty();
            case LINEAR -> Optional.of(new PolySchedule(ScheduleType.ITERATION, rate, 1.0, Math.max(1, iterations)));
            case COSINE -> Optional.of(cosine(rate, iterations));
        };
    }

    /**
     * From {@code rate} at the first minibatch towards zero, in equal steps of minibatches, each step at the curve's
     * value where it starts (so the staircase stays just above the curve and ends near zero, not at it).
     */
    static ISchedule cosine(double rate, int iterations) {
        int steps = Math.max(1, Math.min(COSINE_STEPS, iterations));
        MapSchedule.Builder map = new MapSchedule.Builder(ScheduleType.ITERATION);
        for (int k = 0; k < steps; k++) {
            int from = (int) ((long) k * iterations / steps);
            map.add(from, rate * 0.5 * (1 + Math.cos(Math.PI * k / steps)));
        }
        return map.build();
    }
}
