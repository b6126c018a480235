package net.corosio;

import java.time.Duration;

/**
 * A snapshot of what a transport holds open, and of what its event loops lost to handlers that
 * held them. Thread-safe and cheap to read.
 *
 * @param openConnections connections open now, client and server side together
 * @param openServers servers that have not been shut down
 * @param loopStalls how often a handler carried by an event loop ({@link
 *     HandlerExecutors#eventLoop()}) held the loop's thread for 20 ms or longer in one go, blocking
 *     every other connection of that loop; always 0 in the other modes
 * @param loopStallNanos the loop time lost to those stalls, in nanoseconds
 */
public record TransportMetrics(long openConnections, long openServers, long loopStalls, long loopStallNanos) {

    /**
     * A snapshot without stalls.
     *
     * @param openConnections connections open now
     * @param openServers servers that have not been shut down
     */
    public TransportMetrics(long openConnections, long openServers) {
        this(openConnections, openServers, 0, 0);
    }

    /**
     * Returns the loop time lost to stalls.
     *
     * @return {@link #loopStallNanos()} as a duration
     */
    public Duration loopStallTime() {
        return Duration.ofNanos(loopStallNanos);
    }
}
