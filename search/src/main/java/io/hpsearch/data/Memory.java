package io.hpsearch.data;

/** How much of Java's heap is left: loaders refuse data that would not fit before reading it, not after a crash. */
public final class Memory {
    private Memory() {
    }

    /**
     * The heap left, measured again after a collection when it looks too small for {@code needed}: what is in use
     * includes garbage not yet collected (the last file's decoding), which would refuse data that fits.
     */
    public static long availableFor(long needed) {
        long available = availableHeap();
        if (needed > available) {
            System.gc();
            available = availableHeap();
        }
        return available;
    }

    /** Bytes the heap can still grow to hold: its maximum less what is in use now. */
    private static long availableHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    /** The advice every "does not fit" message ends with. */
    public static final String MORE_MEMORY = "give Java more memory (HPSEARCH_JAVA_OPTS=-Xmx...)";

    /**
     * Refuses, before they are read, examples whose values would not fit in what is left of the heap.
     *
     * @param where  the file or folder they come from
     * @param what   them, for people: "42 images at 28x28x1"
     * @param bytes  one copy of their values
     * @param copies copies held at once (2 while a training set is split into parts)
     * @param fix    how to need less ("use a smaller height and width"), or empty
     */
    public static void require(Object where, String what, long bytes, int copies, String fix) {
        long needed = bytes * copies;
        long available = availableFor(needed);
        if (needed > available) {
            throw new DataException(where + ": " + what + " need about " + (needed >> 20) + " MB of memory"
                    + (copies > 1 ? " (" + copies + " copies while they are split into parts)" : "")
                    + ", more than the " + (available >> 20) + " MB left to Java; "
                    + (fix.isEmpty() ? "" : fix + ", or ") + MORE_MEMORY);
        }
    }
}
