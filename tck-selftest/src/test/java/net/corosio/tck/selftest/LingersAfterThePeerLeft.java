package net.corosio.tck.selftest;

import java.time.Duration;
import net.corosio.Connection;
import net.corosio.Transport;

/**
 * Broken: an accepted connection's {@code close()} waits out a second of quiet after the socket is
 * gone, as a close that lingers for the peer's end without noticing that the peer has reset (5.11).
 */
final class LingersAfterThePeerLeft extends ForwardingTransport {

    /** The quiet time a lingering close allows a peer that neither ends nor resets. */
    private static final Duration QUIET = Duration.ofSeconds(1);

    LingersAfterThePeerLeft(Transport delegate) {
        super(delegate);
    }

    @Override
    protected Connection accepted(Connection connection) {
        return new ForwardingConnection(connection) {
            @Override
            public void close() {
                delegate.close();
                try {
                    Thread.sleep(QUIET);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
