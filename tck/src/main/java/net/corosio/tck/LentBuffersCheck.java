package net.corosio.tck;

import java.util.List;
import net.corosio.Transport;
import net.corosio.spi.AbstractTransport;

/**
 * The leak check for lent buffers (SPEC.md 13.5): once a test has closed everything, every buffer
 * its transport lent ({@link net.corosio.Connection#receive()}) must have come back, and one that
 * has not is reported with the connection that lent it.
 */
final class LentBuffersCheck {

    private LentBuffersCheck() {}

    /**
     * Waits, up to the kit's default wait, for {@code transport} to hold no lent buffer, and adds a
     * problem naming the lenders if one is still out.
     *
     * @param transport the test's transport
     * @param testName the test, for the message
     * @param problems where problems go
     */
    static void verify(Transport transport, String testName, List<Throwable> problems) {
        try {
            Kit.eventually("every buffer lent by receive() to be given back", () -> transport.metrics().lentBuffers() == 0);
        } catch (AssertionError e) {
            String lenders = transport instanceof AbstractTransport named
                    ? String.join("; ", named.lendingConnections())
                    : "(this transport does not name its connections)";
            problems.add(new AssertionError(testName + " left " + transport.metrics().lentBuffers()
                    + " lent buffers that were never given back (BufferLease.close() or write(lease)), lent by: " + lenders));
        }
    }
}
