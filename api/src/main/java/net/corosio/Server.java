package net.corosio;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A listening server, started by {@link Transport#serve}. It accepts connections and runs the
 * {@link ConnectionHandler} once for each. Thread-safe.
 */
public interface Server extends AutoCloseable {

    /**
     * Returns the address the server listens on, with the actual port when port 0 was asked for.
     *
     * @return the bound address
     */
    InetSocketAddress localAddress();

    /**
     * Returns the current counters.
     *
     * @return a snapshot of the counters
     */
    ServerMetrics metrics();

    /**
     * Returns whether the server still accepts connections.
     *
     * @return {@code false} once shutdown or close has begun
     */
    boolean isAccepting();

    /**
     * Shuts the server down: it stops accepting at once (new connection attempts are refused),
     * lets running handlers finish for up to {@code grace}, then aborts the connections that remain
     * (their blocked calls fail with {@link ErrorKind#CLOSED}) and waits briefly for their handlers
     * to return. Idempotent: a later or concurrent call waits for the first and returns its
     * outcome.
     *
     * @param grace how long handlers may take to finish; {@link Duration#ZERO} forces at once
     * @return {@link ShutdownOutcome#GRACEFUL} if every handler finished within the grace period,
     *     otherwise {@link ShutdownOutcome#FORCED}
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    ShutdownOutcome shutdown(Duration grace);

    /** Shuts the server down with no grace period. Idempotent; never throws. */
    @Override
    void close();
}
