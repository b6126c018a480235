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
 * @param lentBuffers buffers the transport's connections lent to the application ({@link
 *     Connection#receive()}) that have not been given back yet — by {@link BufferLease#close()} or
 *     by a write that took them over and has finished with them; a lease counts until then even
 *     when its connection has closed, so a figure that only grows is a leak
 */
public record TransportMetrics(long openConnections, long openServers, long loopStalls, long loopStallNanos,
        long lentBuffers) {

    /**
     * A snapshot without stalls and without lent buffers.
     *
     * @param openConnections connections open now
     * @param openServers servers that have not been shut down
     */
    public TransportMetrics(long openConnections, long openServers) {
        this(openConnections, openServers, 0, 0, 0);
    }

    /**
     * A snapshot without lent buffers.
     *
     * @param openConnections connections open now
     * @param openServers servers that have not been shut down
     * @param loopStalls handlers that held their event loop for 20 ms or longer
     * @param loopStallNanos the loop time lost to them
     */
    public TransportMetrics(long openConnections, long openServers, long loopStalls, long loopStallNanos) {
        this(openConnections, openServers, loopStalls, loopStallNanos, 0);
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
