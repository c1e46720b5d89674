package io.hpsearch.trainer;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ThroughputProbeTest {
    /**
     * One core's gemm rate, which Calibration scales to guess a run's length: a plausible figure for a core (one core
     * of the fastest x86 peaks near 0.3 TFLOPS in float; 1 GFLOPS would be a miscount), in about the time asked.
     */
    @Test
    void measuresAPlausibleGemmRateInAboutTheTimeAsked() {
        NativeThreads.configure(1);
        long start = System.nanoTime();
        double flops = ThroughputProbe.gemmFlopsPerSecond(256, Duration.ofMillis(50));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(flops > 1e9 && flops < 1e12, "gemm rate " + flops / 1e9 + " GFLOPS");
        assertTrue(seconds < 1.0, "took " + seconds + " s for 50 ms of measuring");
    }
}
