package io.hpsearch.trainer;

import io.hpsearch.trial.TrialParams;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NetworkCostTest {

    @Test
    void denseLayersCostInputsTimesOutputs() {
        TrialParams mlp = TestParams.mlp(0.1, List.of(512, 64), List.of(0.2, 0.2));
        assertEquals(784 * 512 + 512 * 64 + 64 * 10, NetworkCost.forwardMacs(mlp, TestParams.FASHION, 10));
    }

    @Test
    void convolutionsCostTheirKernelAtEveryOutputPosition() {
        TrialParams reference = TestParams.referenceCnn();
        // Same-padded 3x3 convolutions: 64 and 64 filters on 28x28, then 32 and 32 on 14x14 after pooling;
        // then dense 7*7*32 -> 256 -> 64 -> 10.
        long conv = 9L * (1 * 64 * 28 * 28 + 64 * 64 * 28 * 28 + 64 * 32 * 14 * 14 + 32 * 32 * 14 * 14);
        long dense = 7 * 7 * 32 * 256 + 256 * 64 + 64 * 10;
        assertEquals(conv + dense, NetworkCost.forwardMacs(reference, TestParams.FASHION, 10));
    }
}
