package net.corosio.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.ConnectionOptions;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.SocketOptions;
import net.corosio.TlsConfig;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.tck.Peer;
import net.corosio.tck.TestCertificates;
import org.junit.jupiter.api.Test;

/**
 * A selector thread never blocks. With a single I/O selector, every connection below lives on the
 * same selector thread; three of them are held still by their application side — a handler that
 * does not read while its peer pushes, a handler blocked in a write to a peer that does not read,
 * and a TLS handler still waiting for a handshake its client never starts — and the test shows
 * that a plain and a TLS connection on that same selector keep flowing meanwhile, at full speed,
 * and that the held connections resume intact once let go.
 */
class SelectorNeverBlocksTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** How long the flowing connections may take for all their traffic: generous, the machine is shared. */
    private static final Duration PROMPT = Duration.ofSeconds(30);

    /** How long nothing may move before a pipeline counts as stalled. */
    private static final Duration QUIET = Duration.ofMillis(500);

    private static final int ROUND_TRIPS = 2_000;
    private static final int BULK = 4 * 1024 * 1024;
    private static final int PUSHED = 2 * 1024 * 1024;

    @Test
    void heldConnectionsDoNotStopOthersOnTheSameSelector() throws Exception {
        TestCertificates certs = TestCertificates.get();
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong stuckWriterProgress = new AtomicLong();
        CompletableFuture<byte[]> heldReaderGot = new CompletableFuture<>();
        ConnectionOptions patientHandshake = ConnectionOptions.builder().tlsHandshakeTimeout(Duration.ofMinutes(5)).build();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                Transport transport = new NioTransportProvider().create(TransportConfig.defaults().withIoThreads(1))) {
            assertEquals(List.of("io-0"), ioSelectorThreads(), "one I/O selector thread");
            // A small receive buffer on the server's side too: loopback autotuning would otherwise let the
            // kernel take the whole push while the loop has (rightly) stopped reading, and nothing stalls.
            Server plain = transport.serve(LOOPBACK, ServerOptions.builder()
                    .connection(ConnectionOptions.builder()
                            .socket(SocketOptions.defaults().withReceiveBufferSize(16 * 1024)).build())
                    .build(), byRole(release, stuckWriterProgress, heldReaderGot));
            Server tls = transport.serve(LOOPBACK, ServerOptions.builder()
                    .connection(patientHandshake)
                    .tls(TlsConfig.builder(certs.serverContext()).build())
                    .build(), Peer::echo);

            // 1. A handler that does not read: its peer pushes until TCP and the inbound limit stop it.
            SocketChannel pusher = SocketChannel.open();
            pusher.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024); // so the push stalls well short of PUSHED
            pusher.connect(plain.localAddress());
            byte[] pushed = new byte[PUSHED];
            new Random(1).nextBytes(pushed);
            pusher.write(ByteBuffer.wrap(new byte[] {'R'}));
            ByteBuffer offered = ByteBuffer.wrap(pushed);
            long before = pushUntilStalled(pusher, offered);
            assertTrue(before < PUSHED, "the peer of a handler that does not read must be pushed back");

            // 2. A handler blocked in write(): its peer never reads.
            Socket deaf = new Socket();
            deaf.setReceiveBufferSize(16 * 1024); // before connecting: the window scale is fixed by the handshake
            deaf.connect(plain.localAddress());
            deaf.getOutputStream().write('W');
            awaitStalled(stuckWriterProgress);

            // 3. A TLS client that connects and never sends its hello: the server's handshake waits.
            Socket silent = new Socket(tls.localAddress().getAddress(), tls.localAddress().getPort());

            // Meanwhile, on the same selector, a plain and a TLS connection flow.
            long start = System.nanoTime();
            try (Connection echo = transport.connect(plain.localAddress());
                    Connection secure = transport.connect(tls.localAddress(), ClientOptions.builder()
                            .tls(TlsConfig.builder(certs.clientContext()).serverName(TestCertificates.SERVER_NAME).build())
                            .build())) {
                echo.write(ByteBuffer.wrap(new byte[] {'E'}));
                CompletableFuture<Void> flows = CompletableFuture.allOf(
                        CompletableFuture.runAsync(() -> exercise(echo, threads), threads),
                        CompletableFuture.runAsync(() -> exercise(secure, threads), threads));
                flows.get(PROMPT.toSeconds(), TimeUnit.SECONDS);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // The held connections were held the whole time.
            long writerAt = stuckWriterProgress.get();
            assertFalse(heldReaderGot.isDone(), "the held reader must still be held");
            long after = pushUntilStalled(pusher, offered);
            assertTrue(after - before < 64 * 1024, "the pushed-back peer must still be held back, but it pushed "
                    + (after - before) + " more bytes");
            assertTrue(nothingWithin(silent, Duration.ofMillis(10)), "the silent TLS client's connection must still be waiting");
            System.getLogger(getClass().getName()).log(System.Logger.Level.INFO,
                    "flowing traffic took " + took.toMillis() + " ms beside three held connections");

            // Let go: the held reader gets every byte, the held writer's peer drains it.
            release.countDown();
            Future<?> rest = threads.submit(() -> {
                try {
                    pusher.configureBlocking(true);
                    while (offered.hasRemaining()) {
                        pusher.write(offered);
                    }
                    pusher.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertArrayEquals(pushed, heldReaderGot.get(PROMPT.toSeconds(), TimeUnit.SECONDS),
                    "once let go, the held reader must get every byte, intact");
            rest.get(PROMPT.toSeconds(), TimeUnit.SECONDS);
            threads.submit(() -> {
                byte[] sink = new byte[64 * 1024];
                InputStream in = deaf.getInputStream();
                while (in.read(sink) >= 0) {
                    // drain: the held writer's peer finally reads
                }
                return null;
            });
            long deadline = System.nanoTime() + PROMPT.toNanos();
            while (stuckWriterProgress.get() <= writerAt + 1024 * 1024 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(stuckWriterProgress.get() > writerAt + 1024 * 1024, "once its peer reads, the held writer must resume");
            pusher.close();
            deaf.close();
            silent.close();
        }
    }

    /** The handler: the first byte says which part it plays. */
    private static ConnectionHandler byRole(CountDownLatch release, AtomicLong writerProgress, CompletableFuture<byte[]> readerGot) {
        return c -> {
            ByteBuffer role = ByteBuffer.allocate(1);
            if (c.read(role) < 0) {
                return;
            }
            switch (role.get(0)) {
                case 'R' -> {
                    release.await(); // held still, not reading
                    readerGot.complete(Peer.readToEnd(c));
                }
                case 'W' -> {
                    ByteBuffer chunk = ByteBuffer.allocate(16 * 1024);
                    while (true) {
                        c.write(chunk.clear()); // blocks once the peer's buffers are full
                        writerProgress.addAndGet(chunk.capacity());
                    }
                }
                default -> Peer.echo(c);
            }
        };
    }

    /** Many small round trips, then a bulk transfer echoed back while it is still being written. */
    private static void exercise(Connection connection, ExecutorService threads) {
        try {
            Random random = new Random(7);
            byte[] small = new byte[32];
            for (int i = 0; i < ROUND_TRIPS; i++) {
                random.nextBytes(small);
                connection.write(ByteBuffer.wrap(small));
                assertArrayEquals(small, Peer.readExactly(connection, small.length, random));
            }
            byte[] bulk = new byte[BULK];
            random.nextBytes(bulk);
            Future<byte[]> back = threads.submit(() -> Peer.readExactly(connection, BULK, new Random(3)));
            connection.write(ByteBuffer.wrap(bulk));
            assertArrayEquals(bulk, back.get());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes until no room appears for {@link #QUIET}; returns the total written so far. */
    private static long pushUntilStalled(SocketChannel channel, ByteBuffer data) throws IOException {
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_WRITE);
            while (data.hasRemaining()) {
                if (channel.write(data) > 0) {
                    continue;
                }
                selector.selectedKeys().clear();
                if (selector.select(QUIET.toMillis()) == 0) {
                    break;
                }
            }
        }
        return data.position();
    }

    private static void awaitStalled(AtomicLong progress) throws InterruptedException {
        long last = -1;
        while (progress.get() != last || last <= 0) {
            last = progress.get();
            Thread.sleep(QUIET.toMillis());
        }
    }

    /** Returns true if nothing (not even end-of-stream) arrives within the limit. */
    private static boolean nothingWithin(Socket socket, Duration limit) throws IOException {
        socket.setSoTimeout((int) limit.toMillis());
        try {
            socket.getInputStream().read();
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        }
    }

    private static List<String> ioSelectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> name.matches("corosio-nio-\\d+-io-\\d+"))
                .map(name -> name.substring(name.lastIndexOf('-', name.lastIndexOf('-') - 1) + 1))
                .toList();
    }
}
