package net.corosio.lab.load;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What a load records while it runs: completed operations with their latency (in nanoseconds, in
 * an HdrHistogram {@link Recorder}, so the measuring thread can cut an interval without stopping the
 * load), bytes moved, and errors. The lab reads it at the start and the end of the measurement
 * window; warm-up traffic falls outside.
 */
public final class LoadStats {

    /** Latencies up to a minute, three significant digits. */
    private static final long HIGHEST_NANOS = 60_000_000_000L;

    private final Recorder latency = new Recorder(HIGHEST_NANOS, 3);
    private final LongAdder operations = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder errors = new LongAdder();

    /**
     * Records one completed operation (a message echoed, a delivery, a connection cycle).
     *
     * @param latencyNanos its latency; clamped into the histogram's range
     */
    public void completed(long latencyNanos) {
        latency.recordValue(Math.min(HIGHEST_NANOS, Math.max(1, latencyNanos)));
        operations.increment();
    }

    /**
     * Records completed operations without a latency (bulk chunks).
     *
     * @param count how many
     */
    public void completed(int count) {
        operations.add(count);
    }

    /**
     * Records bytes moved.
     *
     * @param count how many
     */
    public void bytes(long count) {
        bytes.add(count);
    }

    /** Records an error (a failed connect, a reset). */
    public void error() {
        errors.increment();
    }

    /**
     * Cuts the measurement here: returns what was recorded since the last cut.
     *
     * @return the interval's counts and latencies
     */
    public Interval cut() {
        Histogram histogram = latency.getIntervalHistogram();
        return new Interval(operations.sumThenReset(), bytes.sumThenReset(), errors.sumThenReset(), histogram);
    }

    /**
     * One measurement interval.
     *
     * @param operations operations completed
     * @param bytes bytes moved
     * @param errors errors seen
     * @param latency the latency histogram, in nanoseconds (empty for loads without latency)
     */
    public record Interval(long operations, long bytes, long errors, Histogram latency) {}
}
