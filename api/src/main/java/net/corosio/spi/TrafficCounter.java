package net.corosio.spi;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts application bytes read and written, shared by many connections (all those of one
 * server). Contended increments are cheap ({@link LongAdder}). Thread-safe.
 */
public final class TrafficCounter {

    private final LongAdder read = new LongAdder();
    private final LongAdder written = new LongAdder();

    /**
     * Counts bytes delivered to a reader.
     *
     * @param bytes how many
     */
    public void read(long bytes) {
        read.add(bytes);
    }

    /**
     * Counts bytes accepted from a writer.
     *
     * @param bytes how many
     */
    public void written(long bytes) {
        written.add(bytes);
    }

    /**
     * Returns the bytes read so far.
     *
     * @return the total
     */
    public long bytesRead() {
        return read.sum();
    }

    /**
     * Returns the bytes written so far.
     *
     * @return the total
     */
    public long bytesWritten() {
        return written.sum();
    }
}
