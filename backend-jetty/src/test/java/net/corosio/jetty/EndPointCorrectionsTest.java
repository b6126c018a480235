package net.corosio.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritePendingException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.corosio.ErrorKind;
import net.corosio.spi.ErrorClassifier;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The read-side behaviours of Jetty's {@link SocketChannelEndPoint} that the API cannot accept,
 * shown on Jetty's own class, and their correction in {@link SocketEndPoint} (or the bridge). The kit
 * proves the corrected behaviour end to end (rules 4.3, 5.7); these tests show why the subclass
 * exists, and fail if a Jetty release changes the behaviour it corrects.
 */
class EndPointCorrectionsTest {

    private SocketChannel channel;
    private Socket peer;

    @BeforeEach
    void connect() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            peer = new Socket();
            peer.connect(listener.getLocalAddress());
            channel = listener.accept();
        }
        channel.configureBlocking(false);
    }

    @AfterEach
    void close() throws IOException {
        channel.close();
        peer.close();
    }

    @Test
    void jettysFillReportsAResetAsEndOfStream() throws Exception {
        EndPoint jetty = new SocketChannelEndPoint(channel, null, null, null);
        resetByPeer();
        assertEquals(-1, fillUntilSomething(jetty), "Jetty's own fill turns the reset into -1");
    }

    @Test
    void theCorrectedFillReportsAResetAsReset() throws Exception {
        SocketEndPoint corrected = new SocketEndPoint(channel, null, null, null);
        resetByPeer();
        IOException reset = assertThrows(IOException.class, () -> fillUntilSomething(corrected));
        assertEquals(ErrorKind.RESET, ErrorClassifier.classify(reset, ErrorKind.IO));
        assertSame(reset, corrected.failure(), "the failure is remembered for a close that may overtake it");
    }

    @Test
    void jettysEndPointClosesItselfOnceBothDirectionsAreShut() throws Exception {
        EndPoint jetty = new SocketChannelEndPoint(channel, null, null, null);
        jetty.shutdownOutput();
        peer.shutdownOutput();
        assertEquals(-1, fillUntilSomething(jetty));
        assertFalse(jetty.isOpen(), "Jetty closes the socket when the input ends after the output");
    }

    @Test
    void theCorrectedEndPointStaysOpenUntilItIsClosed() throws Exception {
        SocketEndPoint corrected = new SocketEndPoint(channel, null, null, null);
        corrected.shutdownOutput();
        peer.getOutputStream().write(new byte[] {7});
        peer.shutdownOutput();
        ByteBuffer buffer = BufferUtil.allocate(16);
        assertEquals(1, fillUntilSomething(corrected, buffer));
        assertEquals(-1, fillUntilSomething(corrected, buffer));
        assertTrue(corrected.isOpen(), "the socket stays open after both directions are shut");
        assertTrue(corrected.isInputEnded());
        assertEquals(-1, corrected.fill(buffer), "end-of-stream stays end-of-stream");
        corrected.close();
        assertFalse(channel.isOpen());
    }

    @Test
    void jettyFailsAPendingFillWithClosedChannelWhenItCloses() throws Exception {
        EndPoint jetty = new SocketChannelEndPoint(channel, null, null, null);
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        jetty.fillInterested(Callback.from(() -> failed.complete(null), failed::complete));
        jetty.close();
        assertInstanceOf(ClosedChannelException.class, failed.get(10, TimeUnit.SECONDS),
                "the bridge must not report this as the connection's failure: see PendingFillCorrectionTest");
    }

    @Test
    void jettyTakesOneWriteAtATime() {
        EndPoint jetty = new SocketChannelEndPoint(channel, null, null, null);
        // The peer does not read: a write larger than the socket buffers stays pending.
        jetty.write(Callback.NOOP, ByteBuffer.allocate(64 * 1024 * 1024));
        assertThrows(WritePendingException.class, () -> jetty.write(Callback.NOOP, ByteBuffer.allocate(1)),
                "a second write while one is pending: the reason for the outbound queue (see OutboundTest)");
        jetty.close();
    }

    private void resetByPeer() throws IOException {
        peer.setSoLinger(true, 0);
        peer.close();
    }

    private static int fillUntilSomething(EndPoint endPoint) throws Exception {
        return fillUntilSomething(endPoint, BufferUtil.allocate(16));
    }

    private static int fillUntilSomething(EndPoint endPoint, ByteBuffer buffer) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            int filled = endPoint.fill(buffer);
            if (filled != 0) {
                return filled;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("nothing happened on the socket within 10 s");
    }
}
