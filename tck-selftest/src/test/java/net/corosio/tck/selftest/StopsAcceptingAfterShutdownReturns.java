package net.corosio.tck.selftest;

import java.time.Duration;
import net.corosio.Server;
import net.corosio.ShutdownOutcome;
import net.corosio.Transport;

/**
 * Broken: {@code shutdown} reports a graceful end at once and stops accepting a little later, on
 * another thread, so handlers start after it has returned (9.9).
 */
final class StopsAcceptingAfterShutdownReturns extends ForwardingTransport {

    /** How long the acceptor goes on after shutdown has returned. */
    private static final Duration LATE = Duration.ofMillis(50);

    StopsAcceptingAfterShutdownReturns(Transport delegate) {
        super(delegate);
    }

    @Override
    protected Server server(Server server) {
        return new ForwardingServer(server) {
            @Override
            public ShutdownOutcome shutdown(Duration grace) {
                Thread.ofVirtual().name("broken-late-shutdown").start(() -> {
                    try {
                        Thread.sleep(LATE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    delegate.shutdown(grace);
                });
                return ShutdownOutcome.GRACEFUL;
            }
        };
    }
}
