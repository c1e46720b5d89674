package io.hpsearch.trainer;

import io.hpsearch.space.EarlyStopping;
import io.hpsearch.store.EpochMetrics;

import java.util.List;

/**
 * Early stopping as an epoch rule: STOP once the metric has not improved by more than min_delta for patience
 * epochs. It also says which epoch is the best so far, whose weights and score the trial keeps.
 */
final class EarlyStoppingRule implements EpochRule {
    private final EarlyStopping spec;

    EarlyStoppingRule(EarlyStopping spec) {
        this.spec = spec;
    }

    /** The 1-based epoch whose weights the trial keeps: the first one, then each that improved on the best. */
    int bestEpoch(List<EpochMetrics> epochs) {
        int best = 1;
        for (int e = 2; e <= epochs.size(); e++) {
            if (spec.metric().beats(spec.metric().of(epochs.get(e - 1)), spec.metric().of(epochs.get(best - 1)),
                    spec.minDelta())) {
                best = e;
            }
        }
        return best;
    }

    @Override
    public Decision decide(List<EpochMetrics> epochs) {
        return epochs.size() - bestEpoch(epochs) >= spec.patience() ? Decision.STOP : Decision.CONTINUE;
    }
}
