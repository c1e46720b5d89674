package io.hpsearch.data;

/** How much of Java's heap is left: loaders refuse data that would not fit before reading it, not after a crash. */
public final class Memory {
    private Memory() {
    }

    /** Bytes the heap can still grow to hold: its maximum less what is in use now. */
    public static long availableHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    /** The advice every "does not fit" message ends with. */
    public static final String MORE_MEMORY = "give Java more memory (HPSEARCH_JAVA_OPTS=-Xmx...)";
}
