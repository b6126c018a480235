package net.corosio.tck.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The built-in proxy, toxic by toxic, between plain JDK sockets. Timing is asserted as lower
 * bounds only (a delay is at least what was asked); every wait is bounded by a socket timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalFaultProxyTest {

    private static final int WAIT_MILLIS = 10_000;

    private final LocalFaultInjector injector = new LocalFaultInjector(4);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Random random = new Random(42);
    private ServerSocket upstream;
    private FaultProxy proxy;

    @AfterEach
    void closeEverything() throws Exception {
        injector.close();
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    /** A client socket through the proxy, and the upstream end it reached. */
    private record Pair(Socket client, Socket server) {}

    private Pair connect() throws Exception {
        if (upstream == null) {
            upstream = track(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            upstream.setSoTimeout(WAIT_MILLIS);
            proxy = injector.proxy("test", (InetSocketAddress) upstream.getLocalSocketAddress());
        }
        CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return upstream.accept();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        Socket client = track(new Socket());
        client.setSoTimeout(WAIT_MILLIS);
        client.setTcpNoDelay(true);
        client.connect(proxy.listenAddress(), WAIT_MILLIS);
        Socket server = track(accepted.get(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        server.setSoTimeout(WAIT_MILLIS);
        server.setTcpNoDelay(true);
        return new Pair(client, server);
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private byte[] bytes(int size) {
        byte[] data = new byte[size];
        random.nextBytes(data);
        return data;
    }

    private static void writeInBackground(Socket socket, byte[] data) {
        Thread.ofVirtual().start(() -> {
            try {
                socket.getOutputStream().write(data);
            } catch (IOException e) {
                // the tests that cut the path read the outcome on the other end
            }
        });
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void assertReset(ThrowingRead read, String what) {
        SocketException e = assertThrows(SocketException.class, read::run, what + " must fail with a reset");
        assertTrue(String.valueOf(e.getMessage()).toLowerCase().contains("reset"), what + ": " + e);
    }

    @FunctionalInterface
    private interface ThrowingRead {
        void run() throws IOException;
    }

    @Test
    void withoutToxicsEveryByteAndTheHalfClosePassBothWays() throws Exception {
        Pair pair = connect();
        byte[] up = bytes(1 << 20);
        byte[] down = bytes(1 << 20);
        writeInBackground(pair.server(), down);
        writeInBackground(pair.client(), up);
        assertArrayEquals(up, pair.server().getInputStream().readNBytes(up.length));
        assertArrayEquals(down, pair.client().getInputStream().readNBytes(down.length));
        pair.client().shutdownOutput();
        assertEquals(-1, pair.server().getInputStream().read(), "the client's FIN reaches the server");
        pair.server().getOutputStream().write(7);
        pair.server().shutdownOutput();
        assertEquals(7, pair.client().getInputStream().read(), "a half-closed client still receives");
        assertEquals(-1, pair.client().getInputStream().read());
        ProxyCounters counters = proxy.counters().orElseThrow();
        assertEquals(up.length, counters.upstreamForwarded());
        assertEquals(down.length + 1, counters.downstreamForwarded());
        assertEquals(0, counters.firstFaultNanos());
    }

    @Test
    void latencyDelaysEveryChunkByAtLeastTheLatencyLessTheJitter() throws Exception {
        Pair pair = connect();
        proxy.addToxic("slow", Direction.DOWNSTREAM, new Toxic.Latency(Duration.ofMillis(150), Duration.ofMillis(50)));
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            pair.server().getOutputStream().write(i);
            assertEquals(i, pair.client().getInputStream().read());
            assertTrue(millisSince(start) >= 100, "delivered after " + millisSince(start) + " ms, before 150 - 50 ms");
        }
        long start = System.nanoTime();
        pair.client().getOutputStream().write(9);
        assertEquals(9, pair.server().getInputStream().read());
        assertTrue(millisSince(start) < 100, "the other direction is not delayed: " + millisSince(start) + " ms");
    }

    @Test
    void bandwidthLimitsTheRate() throws Exception {
        Pair pair = connect();
        proxy.addToxic("narrow", Direction.UPSTREAM, new Toxic.Bandwidth(500_000));
        byte[] data = bytes(200_000);
        long start = System.nanoTime();
        writeInBackground(pair.client(), data);
        assertArrayEquals(data, pair.server().getInputStream().readNBytes(data.length));
        // The first tenth of a second's worth goes at once; the rest at 500 kB/s: at least 300 ms.
        assertTrue(millisSince(start) >= 300, "200 kB at 500 kB/s took only " + millisSince(start) + " ms");
    }

    @Test
    void slicerCutsTheStreamIntoSmallSegmentsWithPauses() throws Exception {
        Pair pair = connect();
        proxy.addToxic("slices", Direction.DOWNSTREAM, new Toxic.Slicer(10, 5, Duration.ofMillis(5)));
        byte[] data = bytes(400);
        long start = System.nanoTime();
        pair.server().getOutputStream().write(data);
        InputStream in = pair.client().getInputStream();
        byte[] received = new byte[data.length];
        int reads = 0;
        for (int got = 0; got < data.length; reads++) {
            got += in.read(received, got, data.length - got);
        }
        assertArrayEquals(data, received);
        // At most 15 bytes a slice: at least 27 slices, so at least 26 pauses of 5 ms.
        assertTrue(millisSince(start) >= 130, "400 bytes in slices of <= 15 with 5 ms pauses took " + millisSince(start) + " ms");
        assertTrue(reads > 1, "the slices arrived in one read");
    }

    @Test
    void limitDataGivesTheReceiverExactlyTheLimitThenEndOfStreamAndTheSenderAReset() throws Exception {
        Pair pair = connect();
        proxy.addToxic("limit", Direction.UPSTREAM, new Toxic.LimitData(1000));
        byte[] data = bytes(1 << 20);
        writeInBackground(pair.client(), data);
        byte[] received = pair.server().getInputStream().readAllBytes();
        assertEquals(1000, received.length, "the receiver gets exactly the limit, then end-of-stream");
        assertArrayEquals(java.util.Arrays.copyOf(data, 1000), received);
        assertReset(() -> pair.client().getInputStream().read(), "the sender's read");
        assertEquals(1000, proxy.counters().orElseThrow().upstreamForwarded());
        assertTrue(proxy.counters().orElseThrow().firstFaultNanos() != 0);
    }

    @Test
    void resetPeerAfterBytesResetsBothSides() throws Exception {
        Pair pair = connect();
        proxy.addToxic("reset", Direction.DOWNSTREAM, Toxic.ResetPeer.afterBytes(500));
        writeInBackground(pair.server(), bytes(100_000));
        InputStream in = pair.client().getInputStream();
        int[] got = {0};
        assertReset(() -> {
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                got[0] += n;
            }
        }, "the receiver");
        assertTrue(got[0] <= 500, "the receiver got " + got[0] + " bytes, more than the 500 forwarded");
        assertReset(() -> pair.server().getInputStream().read(), "the sender's read");
    }

    @Test
    void resetPeerOnTimeResetsAQuietConnection() throws Exception {
        Pair pair = connect();
        long start = System.nanoTime();
        proxy.addToxic("reset", Direction.UPSTREAM, Toxic.ResetPeer.after(Duration.ofMillis(200)));
        assertReset(() -> pair.client().getInputStream().read(), "the client's read");
        assertTrue(millisSince(start) >= 190, "reset after " + millisSince(start) + " ms");
    }

    @Test
    void aTimeoutHoldsTheConnectionDropsTheDataAndLetsItThroughOnceRemoved() throws Exception {
        Pair pair = connect();
        proxy.addToxic("hole", Direction.UPSTREAM, new Toxic.Timeout(Duration.ZERO));
        pair.client().getOutputStream().write(bytes(10_000)); // accepted: the hole reads and drops
        pair.server().setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> pair.server().getInputStream().read(), "nothing gets through");
        pair.server().getOutputStream().write(5);
        assertEquals(5, pair.client().getInputStream().read(), "the other direction still flows");
        proxy.removeToxic("hole");
        pair.client().getOutputStream().write(6);
        pair.server().setSoTimeout(WAIT_MILLIS);
        assertEquals(6, pair.server().getInputStream().read(), "data passes again once the toxic is removed");
        assertTrue(proxy.counters().orElseThrow().dropped() >= 10_000);
    }

    @Test
    void aTimeoutWithADelayClosesTheConnectionAfterIt() throws Exception {
        Pair pair = connect();
        long start = System.nanoTime();
        proxy.addToxic("hole", Direction.DOWNSTREAM, new Toxic.Timeout(Duration.ofMillis(200)));
        assertEquals(-1, pair.client().getInputStream().read());
        assertTrue(millisSince(start) >= 190, "closed after " + millisSince(start) + " ms");
        assertEquals(-1, pair.server().getInputStream().read());
    }

    @Test
    void slowCloseDelaysTheEndOfStreamButNotTheData() throws Exception {
        Pair pair = connect();
        proxy.addToxic("linger", Direction.UPSTREAM, new Toxic.SlowClose(Duration.ofMillis(300)));
        pair.client().getOutputStream().write(1);
        long start = System.nanoTime();
        pair.client().shutdownOutput();
        assertEquals(1, pair.server().getInputStream().read());
        assertEquals(-1, pair.server().getInputStream().read());
        assertTrue(millisSince(start) >= 290, "end-of-stream after " + millisSince(start) + " ms");
    }

    @Test
    void aResetByOneEndReachesTheOtherAsAReset() throws Exception {
        Pair pair = connect();
        pair.server().setSoLinger(true, 0);
        pair.server().close();
        assertReset(() -> pair.client().getInputStream().read(), "the client's read");
    }

    @Test
    void disablingRefusesConnectsAndResetsOpenConnectionsAndEnablingServesAgain() throws Exception {
        Pair pair = connect();
        proxy.disable();
        assertReset(() -> pair.client().getInputStream().read(), "an open connection");
        try (Socket refused = new Socket()) {
            assertThrows(ConnectException.class, () -> refused.connect(proxy.listenAddress(), WAIT_MILLIS));
        }
        proxy.enable();
        Pair again = connect();
        again.client().getOutputStream().write(3);
        assertEquals(3, again.server().getInputStream().read());
    }

    @Test
    void connectionsBeyondTheLimitAreReset() throws Exception {
        for (int i = 0; i < 4; i++) {
            connect();
        }
        try (Socket extra = new Socket()) {
            extra.setSoTimeout(WAIT_MILLIS);
            // The reset may come as early as the connect: the kernel completes it before the proxy's
            // acceptor sees the connection and resets it.
            assertReset(() -> {
                extra.connect(proxy.listenAddress(), WAIT_MILLIS);
                extra.getInputStream().read();
            }, "the fifth connection of four allowed");
        }
    }

    @Test
    void aToxicAddedToAnOpenConnectionActsOnIt() throws Exception {
        Pair pair = connect();
        pair.server().getOutputStream().write(1);
        assertEquals(1, pair.client().getInputStream().read());
        proxy.addToxic("now", Direction.DOWNSTREAM, Toxic.ResetPeer.afterBytes(0));
        pair.server().getOutputStream().write(2);
        assertReset(() -> pair.client().getInputStream().read(), "the open connection");
    }

    @Test
    void closingTheProxyResetsItsConnectionsAndStopsListening() throws Exception {
        Pair pair = connect();
        InetSocketAddress address = proxy.listenAddress();
        proxy.close();
        assertReset(() -> pair.client().getInputStream().read(), "an open connection");
        try (Socket refused = new Socket()) {
            assertThrows(ConnectException.class, () -> refused.connect(address, WAIT_MILLIS));
        }
    }

    @Test
    void toxicNamesAreUniqueAndValuesAreChecked() throws Exception {
        connect();
        proxy.addToxic("a", Direction.UPSTREAM, new Toxic.Latency(Duration.ofMillis(1), Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> proxy.addToxic("a", Direction.DOWNSTREAM, new Toxic.SlowClose(Duration.ZERO)));
        assertThrows(IllegalArgumentException.class, () -> new Toxic.Slicer(10, 10, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Toxic.ResetPeer(5, Duration.ofMillis(1)));
        assertThrows(IllegalArgumentException.class, () -> new Toxic.Bandwidth(0));
    }
}
