package io.hpsearch.space;

import java.util.Optional;

/**
 * How each trial trains.
 *
 * @param batchSize          the minibatch size, unless the model section searches {@code batch_size}
 * @param trainLimit         cap on training examples (0: use the whole training split), for quick runs and tests
 * @param executions         times each trial trains, with different seeds; its score is the mean
 * @param earlyStopping      when to stop a trial before {@code epochs}
 * @param augment            random changes to training images
 */
public record TrainingSpec(int epochs, int batchSize, double validationSplit, int trainLimit, int executions,
                           Optional<EarlyStopping> earlyStopping, Optional<Augment> augment,
                           double checkpointMinutes) {
    /**
     * How often a trial's training state is stored by default: once a minute costs a second-long MLP trial nothing
     * (it never gets there) and a CNN whose epochs take minutes one write per epoch.
     */
    public static final double DEFAULT_CHECKPOINT_MINUTES = 1;

    public TrainingSpec(int epochs, int batchSize, double validationSplit, int trainLimit, int executions,
                        Optional<EarlyStopping> earlyStopping, Optional<Augment> augment) {
        this(epochs, batchSize, validationSplit, trainLimit, executions, earlyStopping, augment,
                DEFAULT_CHECKPOINT_MINUTES);
    }

    /** The defaults, with the values a quick run changes most often. */
    public static TrainingSpec of(int epochs, int batchSize, double validationSplit, int trainLimit) {
        return new TrainingSpec(epochs, batchSize, validationSplit, trainLimit, 1, Optional.empty(), Optional.empty());
    }

    public TrainingSpec withEpochs(int value) {
        return new TrainingSpec(value, batchSize, validationSplit, trainLimit, executions, earlyStopping, augment,
                checkpointMinutes);
    }

    public TrainingSpec withTrainLimit(int value) {
        return new TrainingSpec(epochs, batchSize, validationSplit, value, executions, earlyStopping, augment,
                checkpointMinutes);
    }

    /**
     * Whether a trial's training state is stored as it trains, so that an interrupted trial continues: trials of
     * several executions are not (each execution's network would have to be kept), and train again from scratch.
     */
    public boolean checkpoints() {
        return executions == 1;
    }

    /**
     * Training images only: shifted by up to {@code shift} pixels in each direction, and mirrored left-right with
     * probability 1/2 when {@code horizontalFlip}.
     */
    public record Augment(int shift, boolean horizontalFlip) {
    }
}
