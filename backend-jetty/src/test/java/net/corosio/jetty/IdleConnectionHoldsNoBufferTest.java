package net.corosio.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.tck.Peer;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.junit.jupiter.api.Test;

/**
 * A connection that has exchanged bytes and gone quiet holds no pooled buffer: the fill loop gives
 * its buffer back whenever the socket has nothing more, so thousands of idle connections pin no
 * memory (they used to keep a partly filled fill buffer each, for good).
 */
class IdleConnectionHoldsNoBufferTest {

    private static final long DEADLINE_MILLIS = 5_000;

    @Test
    void anIdleConnectionGivesItsFillBufferBack() throws Exception {
        ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking();
        try (Transport transport = new JettyTransportProvider(() -> pool).create(TransportConfig.defaults());
                Server server = transport.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        ServerOptions.defaults(), Peer::echo);
                Socket client = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            client.setSoTimeout(10_000);
            byte[] hello = "a few bytes, far less than a fill buffer".getBytes(StandardCharsets.US_ASCII);
            client.getOutputStream().write(hello);
            assertArrayEquals(hello, Peer.readFully(client.getInputStream(), hello.length));
            long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
            while (!pool.getLeaks().isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(pool.getLeaks().isEmpty(), () -> "the idle connection still holds "
                    + pool.getLeaks().size() + " pooled buffers; the first was taken here:\n"
                    + pool.getLeaks().iterator().next().dump());
        }
    }
}
