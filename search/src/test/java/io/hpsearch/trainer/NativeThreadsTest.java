package io.hpsearch.trainer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NativeThreadsTest {
    @Test
    void openMpIsToldToSleepWhenIdleUnlessTheUserChoseAPolicy() {
        NativeThreads.quietOpenMp();
        String chosen = System.getenv("OMP_WAIT_POLICY");
        assertEquals(chosen != null ? chosen : "PASSIVE", NativeThreads.waitPolicy(),
                "what libgomp reads from the C library's environment when ND4J loads it");
    }
}
