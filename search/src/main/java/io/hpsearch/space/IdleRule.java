package io.hpsearch.space;

import java.util.Optional;

/**
 * A pruner that could never stop a trial before its last epoch: the search would run as without it and nothing would
 * say so. Refused where a space file is read (not for a stored run's space, see {@code SpaceParser.parseStored});
 * `run --epochs` may leave a median or ASHA pruner idle on purpose, not Hyperband, whose brackets need room below the
 * epochs. (Early stopping is never idle: it keeps each trial's best epoch rather than its last.)
 *
 * @param key     the setting that leaves the rule nothing to do, as the space spells it ({@code pruner.min_epochs})
 * @param problem what is wrong, for the user
 */
public record IdleRule(String key, String problem) {
    /** The key's last part, as the section it is in names it. */
    String leaf() {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    @Override
    public String toString() {
        return key + ": " + problem;
    }

    /**
     * Idle when the first epoch the rule judges, {@code first} ({@code what} says how it comes), is not before the
     * epochs.
     */
    static Optional<IdleRule> unless(String key, long first, String what, int epochs, String rule) {
        return first < epochs ? Optional.empty() : Optional.of(new IdleRule(key, what + " is epoch " + first
                + ", not before training.epochs (" + epochs + "): " + rule + " could never stop a trial before its "
                + "last epoch; lower it or train more epochs"));
    }
}
