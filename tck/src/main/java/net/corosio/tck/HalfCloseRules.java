package net.corosio.tck;

import static net.corosio.tck.DataRules.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.TransportException;

/** The rules of SPEC.md section 4 half-close and end-of-stream. */
public abstract class HalfCloseRules extends RuleGroup {

    /** How long the bulk-transfer tests may take on a slow, shared machine. */
    private static final Duration BULK_WAIT = Kit.scaled(Duration.ofSeconds(60));

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected HalfCloseRules(TransportKit owner) {
        super(owner);
    }

    /** A client connection of the backend and the JDK socket the oracle accepted for it. */
    private record Pair(Connection connection, Socket peer) {}

    private Pair clientAndOracle(ClientOptions options) throws Exception {
        ServerSocket oracle = kit.oracleServer();
        Connection connection = kit.connect(new InetSocketAddress(Kit.LOOPBACK, oracle.getLocalPort()), options);
        return new Pair(connection, kit.accept(oracle));
    }

    private Pair clientAndOracle() throws Exception {
        return clientAndOracle(ClientOptions.builder().connection(DataRules.boundedReads().build()).build());
    }

    /** A random source of its own for a forked task, seeded from the test's. */
    private Random forkRandom() {
        return new Random(kit.random().nextLong());
    }

    /** The oracle writes {@code bytes} in random chunks, then shuts down its output. */
    private Future<?> sendThenHalfClose(Socket peer, byte[] bytes, int maxChunk) {
        Random random = forkRandom();
        return kit.fork("oracle-writer", () -> {
            Peer.writeChunked(peer, bytes, random, maxChunk);
            peer.shutdownOutput();
            return null;
        });
    }

    // ------------------------------------------------------------------ 4.1

    @RequiredRule
    void required_4_1_endOfStreamComesOnlyAfterEveryByteThePeerSent() throws Exception {
        Pair pair = clientAndOracle();
        byte[] sent = kit.randomBytes(1 << 20);
        Future<?> writer = sendThenHalfClose(pair.peer(), sent, 16 * 1024);
        assertSameBytes(sent, readToEnd(pair.connection(), kit.random()), "bytes before end-of-stream");
        Kit.await(writer);
    }

    @RequiredRule
    void required_4_1_endOfStreamComesOnlyAfterBytesSentOneAtATime() throws Exception {
        Pair pair = clientAndOracle();
        byte[] sent = kit.randomBytes(1_500);
        Future<?> writer = sendThenHalfClose(pair.peer(), sent, 1);
        assertSameBytes(sent, readToEnd(pair.connection(), kit.random()), "bytes sent one at a time before end-of-stream");
        Kit.await(writer);
    }

    @RequiredRule
    void required_4_1_bytesAndEndOfStreamThatArriveTogetherAreDeliveredBytesFirst() throws Exception {
        Pair pair = clientAndOracle();
        byte[] sent = kit.randomBytes(4_000);
        // Everything, end-of-stream included, is on its way before the connection reads at all.
        pair.peer().getOutputStream().write(sent);
        pair.peer().shutdownOutput();
        pair.peer().close();
        assertSameBytes(sent, readToEnd(pair.connection(), kit.random()), "bytes that came with the end-of-stream");
    }

    @RequiredRule
    void required_4_1_anAcceptedConnectionSeesEndOfStreamOnlyAfterEveryByte() throws Exception {
        CompletableFuture<byte[]> handlerRead = new CompletableFuture<>();
        Random handlerRandom = forkRandom();
        Server server = kit.serve(c -> reportTo(handlerRead, () -> readToEnd(c, handlerRandom)));
        Socket client = kit.oracleConnect(server.localAddress());
        byte[] sent = kit.randomBytes(512 * 1024);
        Future<?> writer = sendThenHalfClose(client, sent, 8 * 1024);
        assertSameBytes(sent, Kit.await(handlerRead, BULK_WAIT), "bytes the handler read before end-of-stream");
        Kit.await(writer);
        assertEquals(Peer.End.EOF, Peer.awaitEnd(client));
    }

    // ------------------------------------------------------------------ 4.2

    @RequiredRule
    void required_4_2_everyReadAfterEndOfStreamReturnsEndOfStreamAgain() throws Exception {
        Pair pair = clientAndOracle();
        byte[] sent = kit.randomBytes(10);
        pair.peer().getOutputStream().write(sent);
        pair.peer().shutdownOutput();
        Connection c = pair.connection();
        assertSameBytes(sent, readToEnd(c, kit.random()), "bytes before end-of-stream");

        // Reads after end-of-stream must return at once; a backend that waits would hang here.
        Future<?> later = kit.fork("reads-after-eof", () -> {
            for (int i = 0; i < 10; i++) {
                ByteBuffer buffer = i % 2 == 0 ? ByteBuffer.allocate(1 + i * 100) : ByteBuffer.allocateDirect(1 + i * 100);
                int index = i;
                assertEquals(-1, c.read(buffer), () -> "read " + index + " after end-of-stream must return -1");
                assertEquals(0, buffer.position(), "a read at end-of-stream must not fill the buffer");
            }
            return null;
        });
        Kit.await(later);

        // The peer closes completely: still end-of-stream (nothing was written, so no reset).
        pair.peer().close();
        Kit.await(kit.fork("read-after-peer-close", () -> {
            for (int i = 0; i < 3; i++) {
                assertEquals(-1, c.read(ByteBuffer.allocate(64)), "a read after the peer closed must return -1");
            }
            return null;
        }));
    }

    @RequiredRule
    void required_4_2_readsAfterEndOfStreamReturnItRatherThanTimingOut() throws Exception {
        Duration readTimeout = Kit.scaled(Duration.ofMillis(200));
        ClientOptions options = ClientOptions.builder()
                .connection(ConnectionOptions.builder().readTimeout(readTimeout).build())
                .build();
        Pair pair = clientAndOracle(options);
        pair.peer().shutdownOutput();
        Connection c = pair.connection();
        Future<?> reads = kit.fork("reads-after-eof", () -> {
            for (int i = 0; i < 5; i++) {
                int index = i;
                assertEquals(-1, c.read(ByteBuffer.allocate(16)),
                        () -> "read " + index + " at end-of-stream must return -1, not wait for the read timeout");
            }
            return null;
        });
        Kit.await(reads);
    }

    @RequiredRule
    void required_4_2_aHandlerReadsEndOfStreamAgainAndAgain() throws Exception {
        CompletableFuture<List<Integer>> results = new CompletableFuture<>();
        Server server = kit.serve(c -> {
            List<Integer> counts = new ArrayList<>();
            try {
                ByteBuffer buffer = ByteBuffer.allocate(256);
                int n;
                do {
                    n = c.read(buffer.clear());
                } while (n >= 0);
                for (int i = 0; i < 5; i++) {
                    counts.add(c.read(buffer.clear()));
                }
                results.complete(counts);
            } catch (Throwable t) {
                results.completeExceptionally(t);
                throw t;
            }
        });
        Socket client = kit.oracleConnect(server.localAddress());
        client.getOutputStream().write(kit.randomBytes(100));
        client.shutdownOutput();
        assertEquals(List.of(-1, -1, -1, -1, -1), Kit.await(results), "every read after end-of-stream returns -1");
        assertEquals(Peer.End.EOF, Peer.awaitEnd(client));
    }

    // ------------------------------------------------------------------ 4.3

    @RequiredRule
    void required_4_3_afterShutdownOutputThePeerReadsEverythingThenEndOfStreamAndReadingContinues()
            throws Exception {
        Pair pair = clientAndOracle();
        Connection c = pair.connection();
        byte[] request = kit.randomBytes(1 << 20);
        Random writerRandom = forkRandom();
        // shutdownOutput follows the last write at once, while its bytes may still be queued.
        Future<?> writer = kit.fork("connection-writer", () -> {
            DataRules.writeInRandomChunks(c, request, writerRandom, 64 * 1024);
            c.shutdownOutput();
            return null;
        });
        assertSameBytes(request, Peer.readToEnd(pair.peer()), "bytes the peer read before end-of-stream");
        Kit.await(writer, BULK_WAIT);
        assertTrue(c.isOpen(), "a connection whose output is shut down is still open");

        byte[] reply = kit.randomBytes(256 * 1024);
        Future<?> replier = sendThenHalfClose(pair.peer(), reply, 8 * 1024);
        assertSameBytes(reply, readToEnd(c, kit.random()), "bytes read after shutdownOutput");
        Kit.await(replier);
    }

    @RequiredRule
    void required_4_3_aHandlerThatShutsDownOutputStillReadsThePeersAnswer() throws Exception {
        byte[] response = kit.randomBytes(300 * 1024);
        Random handlerRandom = forkRandom();
        CompletableFuture<byte[]> handlerRead = new CompletableFuture<>();
        Server server = kit.serve(c -> {
            try {
                DataRules.writeInRandomChunks(c, response, handlerRandom, 32 * 1024);
                c.shutdownOutput();
                handlerRead.complete(readToEnd(c, handlerRandom));
            } catch (Throwable t) {
                handlerRead.completeExceptionally(t);
                throw t;
            }
        });
        Socket client = kit.oracleConnect(server.localAddress());
        assertSameBytes(response, Peer.readToEnd(client), "bytes the handler wrote before shutdownOutput");
        byte[] answer = kit.randomBytes(64 * 1024);
        Future<?> writer = sendThenHalfClose(client, answer, 4 * 1024);
        assertSameBytes(answer, Kit.await(handlerRead, BULK_WAIT), "bytes the handler read after shutdownOutput");
        Kit.await(writer);
    }

    // ------------------------------------------------------------------ 4.4

    @RequiredRule
    void required_4_4_writeAfterShutdownOutputFailsWithOutputShutdownAndReadingStillWorks() throws Exception {
        Pair pair = clientAndOracle();
        Connection c = pair.connection();
        byte[] before = kit.randomBytes(5_000);
        c.write(ByteBuffer.wrap(before));
        c.shutdownOutput();

        Kit.expectFailure(ErrorKind.OUTPUT_SHUTDOWN, () -> c.write(ByteBuffer.wrap(kit.randomBytes(10))));
        Kit.expectFailure(ErrorKind.OUTPUT_SHUTDOWN,
                () -> c.write(ByteBuffer.wrap(kit.randomBytes(3)), ByteBuffer.allocateDirect(7)));
        // Not terminal: the same kind again, not CLOSED.
        Kit.expectFailure(ErrorKind.OUTPUT_SHUTDOWN, () -> c.write(ByteBuffer.allocateDirect(1)));
        assertTrue(c.isOpen(), "a failed write after shutdownOutput must leave the connection open");

        assertSameBytes(before, Peer.readToEnd(pair.peer()),
                "the peer must get what was written before shutdownOutput, then end-of-stream, and nothing else");
        byte[] reply = kit.randomBytes(20_000);
        Future<?> writer = sendThenHalfClose(pair.peer(), reply, 1_000);
        assertSameBytes(reply, readToEnd(c, kit.random()), "bytes read after the failed writes");
        Kit.await(writer);
    }

    @RequiredRule
    void required_4_4_aHandlerWriteAfterShutdownOutputFailsAndItsReadsContinue() throws Exception {
        CompletableFuture<ErrorKind> failure = new CompletableFuture<>();
        CompletableFuture<byte[]> handlerRead = new CompletableFuture<>();
        Random handlerRandom = forkRandom();
        Server server = kit.serve(c -> {
            c.shutdownOutput();
            try {
                c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                failure.complete(null);
            } catch (TransportException e) {
                failure.complete(e.kind());
            }
            reportTo(handlerRead, () -> readToEnd(c, handlerRandom));
        });
        Socket client = kit.oracleConnect(server.localAddress());
        assertEquals(ErrorKind.OUTPUT_SHUTDOWN, Kit.await(failure), "a handler's write after shutdownOutput");
        assertEquals(-1, client.getInputStream().read(), "the peer must see end-of-stream and none of the failed bytes");
        byte[] request = kit.randomBytes(10_000);
        Future<?> writer = sendThenHalfClose(client, request, 500);
        assertSameBytes(request, Kit.await(handlerRead), "bytes the handler read after the failed write");
        Kit.await(writer);
    }

    // ------------------------------------------------------------------ 4.5

    @RequiredRule
    void required_4_5_shutdownOutputIsIdempotent() throws Exception {
        Pair pair = clientAndOracle();
        Connection c = pair.connection();
        byte[] sent = kit.randomBytes(10_000);
        c.write(ByteBuffer.wrap(sent));
        c.shutdownOutput();
        c.shutdownOutput();
        c.shutdownOutput();
        assertTrue(c.isOpen(), "repeated shutdownOutput must leave the connection open");
        assertSameBytes(sent, Peer.readToEnd(pair.peer()), "bytes before the (single) end-of-stream");

        byte[] reply = kit.randomBytes(10_000);
        Future<?> writer = sendThenHalfClose(pair.peer(), reply, 1_000);
        assertSameBytes(reply, readToEnd(c, kit.random()), "bytes read after repeated shutdownOutput");
        Kit.await(writer);
        c.shutdownOutput(); // still nothing to complain about after end-of-stream both ways
    }

    @RequiredRule
    void required_4_5_concurrentShutdownOutputCallsAllSucceed() throws Exception {
        Pair pair = clientAndOracle();
        Connection c = pair.connection();
        byte[] sent = kit.randomBytes(512 * 1024);
        Future<byte[]> reader = kit.fork("oracle-reader", () -> Peer.readToEnd(pair.peer()));
        c.write(ByteBuffer.wrap(sent));
        List<Future<?>> shutdowns = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            shutdowns.add(kit.fork("shutdown-" + i, () -> {
                c.shutdownOutput();
                return null;
            }));
        }
        for (Future<?> shutdown : shutdowns) {
            Kit.await(shutdown);
        }
        assertSameBytes(sent, Kit.await(reader, BULK_WAIT), "bytes before the end-of-stream");
        assertTrue(c.isOpen(), "concurrent shutdownOutput calls must leave the connection open");
    }

    // ------------------------------------------------------------------ 4.6

    @RequiredRule
    void required_4_6_afterReadingEndOfStreamTheConnectionStillWritesAndThePeerReceivesIt() throws Exception {
        Pair pair = clientAndOracle();
        Connection c = pair.connection();
        byte[] request = kit.randomBytes(30_000);
        Future<?> writer = sendThenHalfClose(pair.peer(), request, 2_000);
        assertSameBytes(request, readToEnd(c, kit.random()), "the request before end-of-stream");
        Kit.await(writer);
        assertEquals(-1, c.read(ByteBuffer.allocate(8)), "end-of-stream again");

        byte[] response = kit.randomBytes(1 << 20);
        Random writerRandom = forkRandom();
        Future<?> responder = kit.fork("connection-writer", () -> {
            DataRules.writeInRandomChunks(c, response, writerRandom, 64 * 1024);
            c.shutdownOutput();
            return null;
        });
        assertSameBytes(response, Peer.readToEnd(pair.peer()), "the response written after end-of-stream");
        Kit.await(responder, BULK_WAIT);
    }

    @RequiredRule
    void required_4_6_aHandlerAnswersAClientThatHalfClosedAfterItsRequest() throws Exception {
        byte[] response = kit.randomBytes(512 * 1024);
        Random handlerRandom = forkRandom();
        CompletableFuture<byte[]> handlerRead = new CompletableFuture<>();
        Server server = kit.serve(c -> {
            reportTo(handlerRead, () -> readToEnd(c, handlerRandom));
            DataRules.writeInRandomChunks(c, response, handlerRandom, 32 * 1024);
        });
        Socket client = kit.oracleConnect(server.localAddress());
        byte[] request = kit.randomBytes(20_000);
        Peer.writeChunked(client, request, kit.random(), 1_000);
        client.shutdownOutput();
        assertSameBytes(response, Peer.readToEnd(client), "the handler's answer after the client's end-of-stream");
        assertSameBytes(request, Kit.await(handlerRead), "the request the handler read");
    }

    // ------------------------------------------------------------------ helpers

    /** Runs a handler's step and hands its result, or its failure, to the test thread. */
    static <T> T reportTo(CompletableFuture<T> result, Callable<T> step) throws Exception {
        try {
            T value = step.call();
            result.complete(value);
            return value;
        } catch (Throwable t) {
            result.completeExceptionally(t);
            throw t;
        }
    }

    /**
     * Reads until end-of-stream with reads of random sizes into heap and direct buffers, checking
     * that no read returns 0.
     */
    static byte[] readToEnd(Connection connection, Random random) throws TransportException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            int size = 1 + random.nextInt(16 * 1024);
            ByteBuffer buffer = random.nextBoolean() ? ByteBuffer.allocate(size) : ByteBuffer.allocateDirect(size);
            int n = connection.read(buffer);
            if (n < 0) {
                return out.toByteArray();
            }
            if (n == 0) {
                fail("a read into a buffer with " + size + " bytes of room returned 0 after " + out.size() + " bytes");
            }
            byte[] chunk = new byte[n];
            buffer.flip().get(chunk);
            out.write(chunk, 0, n);
        }
    }
}
