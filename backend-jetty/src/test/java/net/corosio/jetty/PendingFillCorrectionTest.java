package net.corosio.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.corosio.ClientOptions;
import net.corosio.ErrorKind;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.TransportException;
import org.junit.jupiter.api.Test;

/**
 * A Jetty end point that closes fails its pending fill with a {@code ClosedChannelException} (see
 * {@link EndPointCorrectionsTest}). Reported as it is, a read would fail with {@code CLOSED}, which
 * the API reserves for the application's own close; a socket closed underneath a connection is
 * reported as {@code RESET}, never as a clean end. The bridge leaves the pending fill's failure
 * aside and reports the close itself.
 */
class PendingFillCorrectionTest {

    @Test
    void aReadPendingWhenTheSocketClosesUnderneathFailsWithReset() throws Exception {
        try (Transport transport = new JettyTransportProvider().create(TransportConfig.defaults());
                ServerSocket peerListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            JettyConnection connection = (JettyConnection) transport.connect(
                    (InetSocketAddress) peerListener.getLocalSocketAddress(), ClientOptions.defaults());
            try (Socket peer = peerListener.accept()) {
                CompletableFuture<Object> read = new CompletableFuture<>();
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        read.complete(connection.read(ByteBuffer.allocate(16)));
                    } catch (TransportException e) {
                        read.complete(e);
                    }
                });
                Thread.sleep(100); // the read is parked, the bridge's fill interest registered
                assertFalse(read.isDone());
                connection.bridge().getEndPoint().close(); // Jetty closes the socket, not the application
                Object outcome = read.get(10, TimeUnit.SECONDS);
                assertInstanceOf(TransportException.class, outcome, "the read returned " + outcome);
                assertEquals(ErrorKind.RESET, ((TransportException) outcome).kind(), outcome::toString);
                assertFalse(connection.isOpen());
                reader.join();
                assertTrue(transport.metrics().openConnections() == 0 || waitForRelease(transport));
            }
        }
    }

    private static boolean waitForRelease(Transport transport) throws InterruptedException {
        for (int i = 0; i < 500 && transport.metrics().openConnections() != 0; i++) {
            Thread.sleep(10);
        }
        return transport.metrics().openConnections() == 0;
    }
}
