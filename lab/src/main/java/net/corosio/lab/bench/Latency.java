package net.corosio.lab.bench;

import org.HdrHistogram.Histogram;

/**
 * Latency percentiles of one run, in microseconds.
 *
 * @param samples how many operations were timed
 * @param mean the mean
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 * @param max the maximum
 */
public record Latency(long samples, double mean, double p50, double p90, double p99, double p999, double max) {

    /**
     * Summarises a histogram of nanoseconds.
     *
     * @param nanos the histogram
     * @return the percentiles, or {@code null} if it is empty
     */
    static Latency of(Histogram nanos) {
        if (nanos.getTotalCount() == 0) {
            return null;
        }
        return new Latency(
                nanos.getTotalCount(),
                nanos.getMean() / 1000.0,
                nanos.getValueAtPercentile(50) / 1000.0,
                nanos.getValueAtPercentile(90) / 1000.0,
                nanos.getValueAtPercentile(99) / 1000.0,
                nanos.getValueAtPercentile(99.9) / 1000.0,
                nanos.getMaxValue() / 1000.0);
    }
}
