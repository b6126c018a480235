package net.corosio.tck.faults;

/**
 * What a proxy has done since it started, over all its connections. A fault scenario uses these
 * to tell bytes the fault withheld from bytes a transport lost: a receiver must deliver every byte
 * the proxy forwarded to it before a clean end-of-stream.
 *
 * @param connections connections accepted and forwarded
 * @param upstreamForwarded bytes written towards the server
 * @param downstreamForwarded bytes written towards the client
 * @param dropped bytes read and discarded by a black hole, or cut off by a limit or a reset
 * @param firstFaultNanos {@link System#nanoTime()} when a toxic first changed the stream's fate
 *     (a reset, a limit's end, a close, the first byte withheld) or the path went down, or 0 if
 *     none has yet; latency, bandwidth and slicing only delay, and do not count
 */
public record ProxyCounters(
        long connections, long upstreamForwarded, long downstreamForwarded, long dropped, long firstFaultNanos) {

    /**
     * Returns the bytes forwarded one way.
     *
     * @param direction which way
     * @return the bytes written towards that way's receiver
     */
    public long forwarded(Direction direction) {
        return direction == Direction.UPSTREAM ? upstreamForwarded : downstreamForwarded;
    }
}
