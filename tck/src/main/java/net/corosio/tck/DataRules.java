package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.SocketOptions;
import net.corosio.Transport;
import net.corosio.TransportException;

/** The rules of SPEC.md section 3 data. */
public abstract class DataRules extends RuleGroup {

    /** The socket buffer size that makes backpressure happen early. */
    private static final int SMALL_SOCKET_BUFFER = 8 * 1024;

    /** A byte that marks buffer space a read must not touch. */
    private static final byte SENTINEL = (byte) 0x5A;

    /**
     * The most a small message may typically wait, from the peer's write to the read's return: far
     * above a loopback round trip (tens of microseconds), far below a timer or Nagle's 40 ms.
     */
    static final Duration PROMPT = Kit.scaled(Duration.ofMillis(20));

    /** How long the bulk-transfer tests may take on a slow, shared machine. */
    private static final Duration BULK_WAIT = Kit.scaled(Duration.ofSeconds(60));

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected DataRules(TransportKit owner) {
        super(owner);
    }

    /** A client connection of the backend and the JDK socket the oracle accepted for it. */
    private record Pair(Connection connection, Socket peer) {}

    private Pair clientAndOracle() throws Exception {
        return clientAndOracle(ClientOptions.builder().connection(boundedReads().build()).build(), 0);
    }

    /**
     * Connection options whose reads give up after {@link Kit#defaultWait()}, so that a read that
     * hangs fails the test with {@code READ_TIMEOUT} instead of running into the test's timeout.
     */
    static ConnectionOptions.Builder boundedReads() {
        return ConnectionOptions.builder().readTimeout(Kit.defaultWait());
    }

    private Pair clientAndOracle(ClientOptions options, int oracleBuffers) throws Exception {
        ServerSocket oracle = kit.oracleServer();
        if (oracleBuffers > 0) {
            oracle.setReceiveBufferSize(oracleBuffers); // inherited by the accepted socket
        }
        Connection connection = kit.connect(new InetSocketAddress(Kit.LOOPBACK, oracle.getLocalPort()), options);
        Socket peer = kit.accept(oracle);
        if (oracleBuffers > 0) {
            peer.setSendBufferSize(oracleBuffers);
        }
        return new Pair(connection, peer);
    }

    /** A random source of its own for a forked task, seeded from the test's. */
    private Random forkRandom() {
        return new Random(kit.random().nextLong());
    }

    // ------------------------------------------------------------------ 3.1

    @RequiredRule
    void required_3_1_bytesThePeerWritesInArbitraryChunksArriveInOrder() throws Exception {
        Pair pair = clientAndOracle();
        byte[] tiny = kit.randomBytes(2_000);
        byte[] bulk = kit.randomBytes(1 << 20);
        Random writerRandom = forkRandom();
        Future<?> writer = kit.fork("oracle-writer", () -> {
            Peer.writeChunked(pair.peer(), tiny, writerRandom, 1); // one byte per segment
            Peer.writeChunked(pair.peer(), bulk, writerRandom, 16 * 1024);
            return null;
        });
        assertSameBytes(tiny, Peer.readExactly(pair.connection(), tiny.length, kit.random()), "bytes sent one at a time");
        assertSameBytes(bulk, Peer.readExactly(pair.connection(), bulk.length, kit.random()), "bytes sent in chunks");
        Kit.await(writer);
    }

    @RequiredRule
    void required_3_1_bytesTheConnectionWritesInArbitraryChunksArriveInOrder() throws Exception {
        Pair pair = clientAndOracle();
        byte[] tiny = kit.randomBytes(2_000);
        byte[] bulk = kit.randomBytes(1 << 20);
        Future<byte[]> reader = kit.fork("oracle-reader", () -> Peer.readExactly(pair.peer(), tiny.length + bulk.length));
        for (byte b : tiny) {
            pair.connection().write(ByteBuffer.wrap(new byte[] {b}));
        }
        writeInRandomChunks(pair.connection(), bulk, kit.random(), 64 * 1024);
        byte[] received = Kit.await(reader, BULK_WAIT);
        assertSameBytes(tiny, Arrays.copyOfRange(received, 0, tiny.length), "bytes written one at a time");
        assertSameBytes(bulk, Arrays.copyOfRange(received, tiny.length, received.length), "bytes written in chunks");
    }

    @RequiredRule
    void required_3_1_acceptedConnectionsCarryEveryByteInOrderBothWays() throws Exception {
        Server server = kit.serve(Peer::echo);
        Socket client = kit.oracleConnect(server.localAddress());
        byte[] tiny = kit.randomBytes(2_000);
        byte[] bulk = kit.randomBytes(1 << 20);
        Random writerRandom = forkRandom();
        // The writer runs on its own, so the echo never waits on a peer that does not read.
        Future<?> writer = kit.fork("oracle-writer", () -> {
            Peer.writeChunked(client, tiny, writerRandom, 1);
            Peer.writeChunked(client, bulk, writerRandom, 16 * 1024);
            client.shutdownOutput();
            return null;
        });
        assertSameBytes(tiny, Peer.readExactly(client, tiny.length), "echo of bytes sent one at a time");
        assertSameBytes(bulk, Peer.readExactly(client, bulk.length), "echo of bytes sent in chunks");
        Kit.await(writer);
        assertEquals(-1, client.getInputStream().read(), "nothing more than was sent may come back");
    }

    // ------------------------------------------------------------------ 3.2

    @RequiredRule
    void required_3_2_readReturnsAsSoonAsOneByteIsAvailable() throws Exception {
        Pair pair = clientAndOracle();
        List<Long> waits = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            byte[] message = kit.randomBytes(1 + kit.random().nextInt(round == 0 ? 1 : 64));
            ByteBuffer big = ByteBuffer.allocate(64 * 1024);
            Future<Integer> read;
            if (round % 2 == 0) { // the read waits first, then the bytes come
                Stalls.Blocking<Integer> waiting = Stalls.fork(kit, "read", () -> pair.connection().read(big));
                waiting.awaitBlocked("the read");
                long sent = System.nanoTime();
                pair.peer().getOutputStream().write(message);
                Kit.await(waiting.result());
                waits.add(System.nanoTime() - sent);
                read = waiting.result();
            } else { // the bytes are there first
                pair.peer().getOutputStream().write(message);
                read = kit.fork("read", () -> pair.connection().read(big));
            }
            int n = Kit.await(read);
            int sent = message.length;
            assertTrue(n >= 1 && n <= sent, () -> "a read with " + sent + " bytes available returned " + n);
            byte[] got = new byte[sent];
            big.flip().get(got, 0, n);
            byte[] rest = Peer.readExactly(pair.connection(), sent - n, kit.random());
            System.arraycopy(rest, 0, got, n, rest.length);
            assertSameBytes(message, got, "round " + round);
        }
        assertPrompt(waits, "a read waiting for data, from the peer's write of a few bytes to the read's return");
    }

    @RequiredRule
    void required_3_2_smallRequestsGetPromptAnswersFromAHandler() throws Exception {
        Server server = kit.serve(Peer::echo); // reads into a 16 KiB buffer
        Socket client = kit.oracleConnect(server.localAddress());
        List<Long> roundTrips = new ArrayList<>();
        for (int round = 0; round < 200; round++) {
            byte[] request = kit.randomBytes(1 + kit.random().nextInt(3));
            long sent = System.nanoTime();
            client.getOutputStream().write(request);
            assertArrayEquals(request, Peer.readExactly(client, request.length),
                    "the handler's read must return the small request without waiting for more");
            roundTrips.add(System.nanoTime() - sent);
        }
        client.shutdownOutput();
        assertEquals(Peer.End.EOF, Peer.awaitEnd(client));
        assertPrompt(roundTrips, "a round trip of a few bytes through an echo handler");
    }

    /**
     * Asserts that the median of some waits is below {@link #PROMPT} and nine in ten are below five
     * times that: a read that holds data back to fill the buffer (for a timer, or for Nagle's delayed
     * acknowledgement) shows in the median, a loaded machine only in the slowest few.
     */
    static void assertPrompt(List<Long> nanos, String what) {
        List<Long> sorted = nanos.stream().sorted().toList();
        Duration median = Duration.ofNanos(sorted.get(sorted.size() / 2));
        Duration ninetieth = Duration.ofNanos(sorted.get(sorted.size() * 9 / 10));
        assertTrue(median.compareTo(PROMPT) <= 0, () -> what + ": the median of " + sorted.size() + " took " + median
                + ", more than " + PROMPT + " (90th percentile " + ninetieth + ")");
        assertTrue(ninetieth.compareTo(PROMPT.multipliedBy(5)) <= 0, () -> what + ": the 90th percentile of "
                + sorted.size() + " took " + ninetieth + ", more than " + PROMPT.multipliedBy(5) + " (median " + median + ")");
    }

    // ------------------------------------------------------------------ 3.3

    @RequiredRule
    void required_3_3_readNeverReturnsZeroNorMoreThanTheRoomAndAdvancesThePosition() throws Exception {
        Pair pair = clientAndOracle();
        byte[] sent = kit.randomBytes(256 * 1024);
        Random writerRandom = forkRandom();
        Future<?> writer = kit.fork("oracle-writer", () -> {
            Peer.writeChunked(pair.peer(), sent, writerRandom, 4096);
            return null;
        });
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Random random = kit.random();
        while (received.size() < sent.length) {
            int capacity = random.nextInt(8) == 0 ? 32 * 1024 + 64 : 64;
            ByteBuffer backing = random.nextBoolean() ? ByteBuffer.allocate(capacity) : ByteBuffer.allocateDirect(capacity);
            fill(backing, SENTINEL);
            int position = random.nextInt(16);
            int room = 1 + random.nextInt(capacity - position - 16);
            int limit = position + room;
            backing.limit(limit).position(position);

            int n = pair.connection().read(backing);

            int before = received.size();
            assertNotEquals(0, n, () -> "a read into a buffer with " + room + " bytes of room returned 0");
            assertTrue(n > 0, () -> "a read returned " + n + " before end-of-stream, after " + before + " bytes");
            assertTrue(n <= room, () -> "a read returned " + n + " bytes into a buffer with " + room + " of room");
            assertEquals(position + n, backing.position(), "the position must advance by the count returned");
            assertEquals(limit, backing.limit(), "a read must not change the limit");
            ByteBuffer whole = backing.duplicate().clear();
            for (int i = 0; i < capacity; i++) {
                if (i < position || i >= position + n) {
                    int index = i;
                    assertEquals(SENTINEL, whole.get(i), () -> "a read wrote outside the bytes it reported, at "
                            + index + " (position " + position + ", count " + n + ")");
                }
            }
            byte[] chunk = new byte[n];
            backing.get(position, chunk);
            received.write(chunk);
        }
        Kit.await(writer);
        assertSameBytes(sent, received.toByteArray(), "bytes read through exact-count reads");
    }

    // ------------------------------------------------------------------ 3.4

    @RequiredRule
    void required_3_4_writesFromManyThreadsAreAtomic() throws Exception {
        Pair pair = clientAndOracle();
        writeFramesConcurrentlyAndCheck(kit, pair.connection(), pair.peer().getInputStream());
    }

    @RequiredRule
    void required_3_4_writesFromManyThreadsAreAtomicOnAnAcceptedConnection() throws Exception {
        CompletableFuture<Connection> accepted = new CompletableFuture<>();
        CountDownLatch done = new CountDownLatch(1);
        Server server = kit.serve(c -> {
            accepted.complete(c);
            done.await(BULK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        });
        Socket client = kit.oracleConnect(server.localAddress());
        try {
            writeFramesConcurrentlyAndCheck(kit, Kit.await(accepted), client.getInputStream());
        } finally {
            done.countDown();
        }
        assertEquals(Peer.End.EOF, Peer.awaitEnd(client), "nothing may follow the last frame");
    }

    /**
     * Several virtual threads each write numbered frames through one connection, some as one
     * buffer and some as a gathering write of header and body; the oracle parses every frame and
     * checks its payload is contiguous and each writer's frames arrive in its order.
     *
     * @param kit the test's kit
     * @param connection the backend's connection
     * @param peer what the oracle reads (a plain or a TLS socket's stream)
     * @throws Exception if a writer or the parser fails
     */
    static void writeFramesConcurrentlyAndCheck(Kit kit, Connection connection, InputStream peer) throws Exception {
        writeFramesConcurrentlyAndCheck(kit, connection, peer, 60);
    }

    /**
     * Like {@link #writeFramesConcurrentlyAndCheck(Kit, Connection, InputStream)}, with {@code
     * framesEach} frames per writer.
     */
    static void writeFramesConcurrentlyAndCheck(Kit kit, Connection connection, InputStream peer, int framesEach)
            throws Exception {
        int writers = 8;
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            Random random = new Random(kit.random().nextLong());
            tasks.add(kit.fork("frame-writer-" + id, () -> {
                for (int seq = 0; seq < framesEach; seq++) {
                    int size = seq % 10 == 9 ? 128 * 1024 + random.nextInt(128 * 1024) : 1 + random.nextInt(32 * 1024);
                    ByteBuffer header = ByteBuffer.allocate(9).putInt(size).put((byte) id).putInt(seq).flip();
                    byte[] payload = new byte[size];
                    Arrays.fill(payload, (byte) id);
                    if (seq % 2 == 0) {
                        ByteBuffer frame = ByteBuffer.allocate(9 + size).put(header).put(payload).flip();
                        connection.write(frame);
                    } else {
                        ByteBuffer body = ByteBuffer.allocateDirect(size).put(payload).flip();
                        connection.write(header, body);
                    }
                }
                return null;
            }));
        }
        tasks.add(kit.fork("frame-parser", () -> {
            DataInputStream in = new DataInputStream(new BufferedInputStream(peer, 64 * 1024));
            int[] next = new int[writers];
            for (int frame = 0; frame < writers * framesEach; frame++) {
                int size = in.readInt();
                int id = in.readByte();
                int seq = in.readInt();
                int at = frame;
                assertTrue(size >= 1 && size <= 256 * 1024 && id >= 0 && id < writers,
                        () -> "frame " + at + " has a corrupt header (size " + size + ", writer " + id
                                + "): writes were interleaved");
                assertEquals(next[id]++, seq, () -> "writer " + id + "'s frames arrived out of order at frame " + at);
                byte[] payload = Peer.readFully(in, size);
                for (int i = 0; i < size; i++) {
                    if (payload[i] != id) {
                        int index = i;
                        fail("frame " + at + " of writer " + id + " (" + size + " bytes) holds a byte of writer "
                                + payload[index] + " at offset " + index + ": writes were interleaved");
                    }
                }
            }
            return null;
        }));
        awaitAll(tasks, BULK_WAIT);
    }

    // ------------------------------------------------------------------ 3.5

    @RequiredRule
    void required_3_5_gatheringWriteSendsEveryBufferInOrderAndConsumesThem() throws Exception {
        Pair pair = clientAndOracle();
        Random random = kit.random();
        List<List<BufferWindow>> writes = new ArrayList<>();
        // First a header, a large direct body and a heap tail; then random mixes, empty ones included.
        writes.add(List.of(window(Kind.HEAP, 9), window(Kind.DIRECT, 200_000), window(Kind.HEAP_SLICE, 100)));
        for (int i = 0; i < 40; i++) {
            List<BufferWindow> buffers = new ArrayList<>();
            int count = 1 + random.nextInt(6);
            for (int b = 0; b < count; b++) {
                Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
                int size = switch (random.nextInt(10)) {
                    case 0 -> 0;
                    case 1 -> 50_000 + random.nextInt(100_000);
                    default -> 1 + random.nextInt(2_000);
                };
                buffers.add(window(kind, size));
            }
            writes.add(buffers);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (List<BufferWindow> buffers : writes) {
            for (BufferWindow w : buffers) {
                expected.write(w.data());
            }
        }
        Future<byte[]> reader = kit.fork("oracle-reader", () -> Peer.readExactly(pair.peer(), expected.size()));

        for (List<BufferWindow> buffers : writes) {
            ByteBuffer[] srcs = buffers.stream().map(BufferWindow::view).toArray(ByteBuffer[]::new);
            pair.connection().write(srcs);
            for (BufferWindow w : buffers) {
                assertEquals(w.view().limit(), w.view().position(),
                        () -> "a gathering write must leave a " + w.kind() + " buffer's position at its limit");
                assertEquals(w.limit(), w.view().limit(), "a gathering write must not change a limit");
            }
        }
        assertSameBytes(expected.toByteArray(), Kit.await(reader, BULK_WAIT), "bytes of the gathering writes");
        pair.connection().close();
        assertEquals(-1, pair.peer().getInputStream().read(), "nothing more than the buffers' bytes may be sent");
    }

    // ------------------------------------------------------------------ 3.6

    @RequiredRule
    void required_3_6_readingAndWritingAtOnceThroughSmallBuffersNeitherDeadlocksNorCorrupts() throws Exception {
        ClientOptions options = ClientOptions.builder().connection(smallBuffers()).build();
        Pair pair = clientAndOracle(options, SMALL_SOCKET_BUFFER);
        byte[] up = kit.randomBytes(4 << 20);
        byte[] down = kit.randomBytes(4 << 20);
        Random connectionWriter = forkRandom();
        Random connectionReader = forkRandom();
        Random oracleWriter = forkRandom();
        Future<?> write = kit.fork("connection-writer", () -> {
            writeInRandomChunks(pair.connection(), up, connectionWriter, 64 * 1024);
            return null;
        });
        Future<byte[]> read = kit.fork("connection-reader",
                () -> Peer.readExactly(pair.connection(), down.length, connectionReader));
        Future<?> peerWrite = kit.fork("oracle-writer", () -> {
            Peer.writeChunked(pair.peer(), down, oracleWriter, 64 * 1024);
            return null;
        });
        Future<byte[]> peerRead = kit.fork("oracle-reader", () -> Peer.readExactly(pair.peer(), up.length));
        awaitAll(List.of(write, read, peerWrite, peerRead), BULK_WAIT);
        assertSameBytes(down, read.get(), "bytes the connection read while writing");
        assertSameBytes(up, peerRead.get(), "bytes the connection wrote while reading");
    }

    @RequiredRule
    void required_3_6_aHandlerReadsAndWritesAtOnceThroughSmallBuffers() throws Exception {
        byte[] up = kit.randomBytes(4 << 20);
        byte[] down = kit.randomBytes(4 << 20);
        Random handlerWriter = forkRandom();
        Random handlerReader = forkRandom();
        CompletableFuture<byte[]> handlerRead = new CompletableFuture<>();
        CompletableFuture<Void> handlerWrote = new CompletableFuture<>();
        ServerOptions options = ServerOptions.builder().connection(smallBuffers()).build();
        Server server = kit.serve(options, c -> {
            Future<?> write = kit.fork("handler-writer", () -> {
                try {
                    writeInRandomChunks(c, down, handlerWriter, 64 * 1024);
                    handlerWrote.complete(null);
                } catch (Throwable t) {
                    handlerWrote.completeExceptionally(t);
                }
                return null;
            });
            try {
                handlerRead.complete(Peer.readExactly(c, up.length, handlerReader));
            } catch (Throwable t) {
                handlerRead.completeExceptionally(t);
                throw t;
            }
            Kit.await(write, BULK_WAIT);
        });
        Socket client = kit.oracleConnect(server.localAddress(), SMALL_SOCKET_BUFFER);
        client.setSendBufferSize(SMALL_SOCKET_BUFFER);
        Random oracleWriter = forkRandom();
        Future<?> peerWrite = kit.fork("oracle-writer", () -> {
            Peer.writeChunked(client, up, oracleWriter, 64 * 1024);
            return null;
        });
        Future<byte[]> peerRead = kit.fork("oracle-reader", () -> Peer.readExactly(client, down.length));
        awaitAll(List.of(peerWrite, peerRead, handlerRead, handlerWrote), BULK_WAIT);
        assertSameBytes(up, handlerRead.get(), "bytes the handler read while writing");
        assertSameBytes(down, peerRead.get(), "bytes the handler wrote while reading");
        assertEquals(Peer.End.EOF, Peer.awaitEnd(client), "the handler's connection must end cleanly");
    }

    private static ConnectionOptions smallBuffers() {
        return boundedReads()
                .socket(SocketOptions.defaults()
                        .withReceiveBufferSize(SMALL_SOCKET_BUFFER)
                        .withSendBufferSize(SMALL_SOCKET_BUFFER))
                .build();
    }

    // ------------------------------------------------------------------ 3.7

    @RequiredRule
    void required_3_7_aSecondConcurrentReadFailsAndTheFirstStillGetsItsData() throws Exception {
        Pair pair = clientAndOracle();
        Connection connection = pair.connection();
        AtomicReference<Thread> firstReader = new AtomicReference<>();
        ByteBuffer firstBuffer = ByteBuffer.allocate(1024);
        Future<Integer> first = kit.fork("first-read", () -> {
            firstReader.set(Thread.currentThread());
            return connection.read(firstBuffer);
        });
        Set<String> connectionClasses = new HashSet<>();
        for (Class<?> type = connection.getClass(); type != null; type = type.getSuperclass()) {
            connectionClasses.add(type.getName());
        }
        Kit.eventually("the first read to be blocked inside the connection's read", () -> {
            Thread thread = firstReader.get();
            if (first.isDone()) {
                fail("the first read ended before any data was sent: " + (first.state() == Future.State.SUCCESS
                        ? "it returned " + first.resultNow()
                        : "it threw " + first.exceptionNow()));
            }
            if (thread == null) {
                return false;
            }
            Thread.State state = thread.getState();
            StackTraceElement[] stack = thread.getStackTrace();
            // Parked or blocked, or in a native read: in any case past the point of claiming the read.
            boolean waiting = state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.BLOCKED
                    || state == Thread.State.RUNNABLE && stack.length > 0 && stack[0].isNativeMethod();
            return waiting && Arrays.stream(stack)
                    .anyMatch(f -> f.getMethodName().equals("read") && connectionClasses.contains(f.getClassName()));
        });

        Future<Integer> second = kit.fork("second-read", () -> connection.read(ByteBuffer.allocate(1024)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Kit.await(second),
                "a read while another read is in progress must fail with IllegalStateException");
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "the misuse must be explained");
        assertTrue(connection.isOpen(), "the misuse must leave the connection open");
        assertFalse(first.isDone(), "the second read must not disturb the first");

        byte[] message = kit.randomBytes(100);
        pair.peer().getOutputStream().write(message);
        int n = Kit.await(first);
        assertTrue(n >= 1, () -> "the first read must still get the data, but returned " + n);
        byte[] got = new byte[message.length];
        firstBuffer.flip().get(got, 0, n);
        byte[] rest = Peer.readExactly(connection, message.length - n, kit.random());
        System.arraycopy(rest, 0, got, n, rest.length);
        assertSameBytes(message, got, "the data the first read was waiting for");

        // Afterwards, one read at a time works as before.
        byte[] later = kit.randomBytes(50);
        pair.peer().getOutputStream().write(later);
        assertSameBytes(later, Peer.readExactly(connection, later.length, kit.random()), "a later read");
    }

    // ------------------------------------------------------------------ 3.8

    @RequiredRule
    void required_3_8_everyKindOfBufferReadsCorrectly() throws Exception {
        Pair pair = clientAndOracle();
        for (int size : new int[] {7, 200_000}) {
            for (Kind kind : Kind.values()) {
                if (kind == Kind.READ_ONLY) {
                    continue; // cannot be read into (rule 1.7)
                }
                BufferWindow w = window(kind, size);
                fill(w.parent(), SENTINEL);
                byte[] sent = kit.randomBytes(size);
                Random writerRandom = forkRandom();
                Future<?> writer = kit.fork("oracle-writer", () -> {
                    Peer.writeChunked(pair.peer(), sent, writerRandom, 16 * 1024);
                    return null;
                });
                ByteBuffer view = w.view();
                while (view.hasRemaining()) {
                    int n = pair.connection().read(view);
                    assertTrue(n > 0, () -> "a read into a " + kind + " buffer returned " + n);
                }
                Kit.await(writer);
                byte[] got = new byte[size];
                view.get(w.position(), got);
                assertSameBytes(sent, got, "bytes read into a " + kind + " buffer of " + size);
                for (int i = 0; i < w.parent().capacity(); i++) {
                    if (i < w.parentStart() || i >= w.parentStart() + size) {
                        int index = i;
                        assertEquals(SENTINEL, w.parent().get(i), () -> "a read into a " + kind
                                + " buffer wrote outside its window, at " + index + " of its backing storage");
                    }
                }
            }
        }
    }

    @RequiredRule
    void required_3_8_everyKindOfBufferWritesCorrectly() throws Exception {
        Pair pair = clientAndOracle();
        for (int size : new int[] {7, 200_000}) {
            for (Kind kind : Kind.values()) {
                BufferWindow w = window(kind, size);
                Future<byte[]> reader = kit.fork("oracle-reader", () -> Peer.readExactly(pair.peer(), size));
                pair.connection().write(w.view());
                assertEquals(w.view().limit(), w.view().position(),
                        () -> "a write must leave a " + kind + " buffer's position at its limit");
                assertSameBytes(w.data(), Kit.await(reader), "bytes written from a " + kind + " buffer of " + size);
            }
        }
        pair.connection().close();
        assertEquals(-1, pair.peer().getInputStream().read(), "nothing more than the buffers' bytes may be sent");
    }

    /** The kinds of buffer a backend must handle. */
    private enum Kind {
        HEAP,
        DIRECT,
        /** A heap slice: {@code arrayOffset()} is not 0. */
        HEAP_SLICE,
        DIRECT_SLICE,
        /** A heap buffer whose window starts at a non-zero position. */
        HEAP_AT_POSITION,
        DIRECT_AT_POSITION,
        /** A heap slice whose window also starts at a non-zero position. */
        HEAP_SLICE_AT_POSITION,
        /** A read-only view of a heap buffer (writes only): it has no accessible array. */
        READ_ONLY
    }

    /**
     * A buffer under test: {@code view} has exactly {@code data} between {@code position} and
     * {@code limit}; {@code parent} is the whole backing storage, whose window starts at {@code
     * parentStart}; everything else in it is {@link #SENTINEL}.
     */
    private record BufferWindow(Kind kind, ByteBuffer parent, int parentStart, ByteBuffer view, int position, int limit,
            byte[] data) {}

    private BufferWindow window(Kind kind, int size) {
        byte[] data = kit.randomBytes(size);
        if (kind == Kind.HEAP || kind == Kind.DIRECT) {
            // A plain buffer whose whole storage is the window.
            ByteBuffer plain = kind == Kind.HEAP ? ByteBuffer.allocate(size) : ByteBuffer.allocateDirect(size);
            plain.put(0, data);
            return new BufferWindow(kind, plain, 0, plain, 0, size, data);
        }
        int before = 13;
        int after = 11;
        boolean direct = kind == Kind.DIRECT_SLICE || kind == Kind.DIRECT_AT_POSITION;
        ByteBuffer parent = direct
                ? ByteBuffer.allocateDirect(before + size + after)
                : ByteBuffer.allocate(before + size + after);
        fill(parent, SENTINEL);
        parent.put(before, data);
        ByteBuffer view = switch (kind) {
            case HEAP_SLICE, DIRECT_SLICE -> parent.slice(before, size);
            case HEAP_AT_POSITION, DIRECT_AT_POSITION -> parent.duplicate().limit(before + size).position(before);
            // A slice starting at 5 whose window starts at position 8 of the slice.
            case HEAP_SLICE_AT_POSITION -> parent.slice(5, before - 5 + size + 3)
                    .limit(before - 5 + size)
                    .position(before - 5);
            case READ_ONLY -> parent.slice(before, size).asReadOnlyBuffer();
            case HEAP, DIRECT -> throw new AssertionError(kind);
        };
        if (kind == Kind.HEAP_SLICE || kind == Kind.HEAP_SLICE_AT_POSITION) {
            assertNotEquals(0, view.arrayOffset(), "the kit's slice must have a non-zero array offset");
        }
        return new BufferWindow(kind, parent, before, view, view.position(), view.limit(), data);
    }

    // ------------------------------------------------------------------ helpers

    private static void fill(ByteBuffer buffer, byte value) {
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, value);
        }
    }

    /** Writes {@code bytes} through the connection in writes of random sizes, from heap and direct buffers. */
    static void writeInRandomChunks(Connection connection, byte[] bytes, Random random, int maxChunk)
            throws TransportException {
        int offset = 0;
        while (offset < bytes.length) {
            int n = Math.min(bytes.length - offset, 1 + random.nextInt(maxChunk));
            ByteBuffer chunk = random.nextBoolean()
                    ? ByteBuffer.wrap(bytes, offset, n)
                    : ByteBuffer.allocateDirect(n).put(bytes, offset, n).flip();
            connection.write(chunk);
            offset += n;
        }
    }

    /**
     * Waits for every task, but stops at the first that fails and rethrows its failure, so that a
     * task stuck because another failed does not hide the cause.
     */
    static void awaitAll(List<? extends Future<?>> tasks, Duration limit) throws Exception {
        Kit.eventually("every task to finish, or one to fail", limit, () -> tasks.stream().allMatch(Future::isDone)
                || tasks.stream().anyMatch(t -> t.state() == Future.State.FAILED));
        for (Future<?> task : tasks) {
            if (task.state() == Future.State.FAILED) {
                Throwable cause = task.exceptionNow();
                if (cause instanceof Exception e) {
                    throw e;
                }
                if (cause instanceof Error e) {
                    throw e;
                }
                throw new AssertionError(cause);
            }
        }
    }

    /** Compares byte arrays, naming the first difference instead of printing megabytes. */
    static void assertSameBytes(byte[] expected, byte[] actual, String what) {
        int at = Arrays.mismatch(expected, actual);
        if (at >= 0) {
            fail(what + ": " + expected.length + " bytes expected, " + actual.length + " received, first difference at "
                    + "offset " + at);
        }
    }

    // ------------------------------------------------------------------ 3.9

    @RequiredRule
    void required_3_9_smallWritesAreSentAtOnceByDefault() throws Exception {
        // Two small writes, then a wait for the answer: with Nagle's algorithm the second write waits
        // for the acknowledgement of the first, which the peer delays (40 ms on Linux).
        Pair pair = clientAndOracle();
        List<Long> client = new ArrayList<>();
        for (int round = 0; round < NAGLE_ROUNDS; round++) {
            long sent = System.nanoTime();
            pair.connection().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            pair.connection().write(ByteBuffer.wrap(new byte[] {4, 5, 6}));
            Peer.readExactly(pair.peer(), 6);
            pair.peer().getOutputStream().write(7);
            Peer.readExactly(pair.connection(), 1, kit.random());
            client.add(System.nanoTime() - sent);
        }
        assertPrompt(client, "a round trip of two small writes from the client and a one-byte answer "
                + "(TCP_NODELAY must be on by default)");

        Server server = kit.serve(c -> {
            ByteBuffer request = ByteBuffer.allocate(1);
            while (c.read(request.clear()) >= 0) {
                c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                c.write(ByteBuffer.wrap(new byte[] {4, 5, 6}));
            }
        });
        Socket peer = kit.oracleConnect(server.localAddress());
        List<Long> handler = new ArrayList<>();
        for (int round = 0; round < NAGLE_ROUNDS; round++) {
            long sent = System.nanoTime();
            peer.getOutputStream().write(7);
            Peer.readExactly(peer, 6);
            handler.add(System.nanoTime() - sent);
        }
        assertPrompt(handler, "a round trip of a one-byte request and a handler's two small writes "
                + "(TCP_NODELAY must be on by default)");
        peer.shutdownOutput();
        assertEquals(Peer.End.EOF, Peer.awaitEnd(peer));
    }

    /** Rounds of the 3.9 test: past the first few, which Linux acknowledges at once (quick-ack). */
    private static final int NAGLE_ROUNDS = 40;

    // ------------------------------------------------------------------ 3.10

    @RequiredRule
    void required_3_10_aGatheringWriteOfMoreBuffersThanIovMaxSendsThemAllInOrder() throws Exception {
        Pair pair = clientAndOracle();
        for (int write = 0; write < 2; write++) {
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            ByteBuffer[] buffers = manyBuffers(expected);
            Future<byte[]> reader = kit.fork("oracle-reader", () -> Peer.readExactly(pair.peer(), expected.size()));
            pair.connection().write(buffers);
            for (ByteBuffer buffer : buffers) {
                assertFalse(buffer.hasRemaining(), "a gathering write leaves every buffer's position at its limit");
            }
            assertSameBytes(expected.toByteArray(), Kit.await(reader), "a gathering write of " + buffers.length
                    + " buffers (IOV_MAX is 1024 on Linux)");
        }
    }

    @RequiredRule
    void required_3_10_aHandlersGatheringWriteOfMoreBuffersThanIovMaxSendsThemAllInOrder() throws Exception {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteBuffer[] buffers = manyBuffers(expected);
        Server server = kit.serve(c -> c.write(buffers));
        Socket peer = kit.oracleConnect(server.localAddress());
        assertSameBytes(expected.toByteArray(), Peer.readToEnd(peer), "a handler's gathering write of "
                + buffers.length + " buffers, then end-of-stream");
    }

    /** 3000 small buffers of random sizes, heap and direct, some empty; their bytes go to {@code all}. */
    private ByteBuffer[] manyBuffers(ByteArrayOutputStream all) {
        ByteBuffer[] buffers = new ByteBuffer[3000];
        for (int i = 0; i < buffers.length; i++) {
            byte[] bytes = kit.randomBytes(kit.random().nextInt(8) == 0 ? 0 : 1 + kit.random().nextInt(200));
            all.writeBytes(bytes);
            buffers[i] = i % 2 == 0 ? ByteBuffer.wrap(bytes) : ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        }
        return buffers;
    }

    // ------------------------------------------------------------------ 3.11

    @RequiredRule
    void required_3_11_aSaturatedConnectionDoesNotStarveTheOthersOnItsLoop() throws Exception {
        // One I/O thread, so that both connections share it on a backend that has event loops.
        Transport transport = kit.track(kit.provider().create(kit.config().withIoThreads(1)));
        Server server = kit.track(transport.serve(new InetSocketAddress(Kit.LOOPBACK, 0), ServerOptions.defaults(),
                Peer::echo));
        Socket bulk = kit.oracleConnect(server.localAddress());
        AtomicLong echoed = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        kit.track((AutoCloseable) () -> stop.set(true));
        byte[] chunk = kit.randomBytes(64 * 1024);
        Future<?> pusher = kit.fork("bulk-writer", () -> {
            while (!stop.get()) {
                bulk.getOutputStream().write(chunk);
            }
            bulk.shutdownOutput();
            return null;
        });
        Future<?> drainer = kit.fork("bulk-reader", () -> {
            byte[] sink = new byte[64 * 1024];
            for (int n; (n = bulk.getInputStream().read(sink)) >= 0; ) {
                echoed.addAndGet(n);
            }
            return null;
        });
        Kit.eventually("the bulk connection to be saturated", () -> echoed.get() > 8 * 1024 * 1024);

        Socket small = kit.oracleConnect(server.localAddress());
        List<Long> roundTrips = new ArrayList<>();
        long bulkBefore = echoed.get();
        for (int round = 0; round < 20; round++) {
            long sent = System.nanoTime();
            small.getOutputStream().write(round);
            assertEquals(round, small.getInputStream().read(), "the small connection's echo");
            roundTrips.add(System.nanoTime() - sent);
        }
        long bulkDuring = echoed.get() - bulkBefore;
        stop.set(true);
        Kit.await(pusher);
        Kit.await(drainer);
        assertTrue(bulkDuring > 0, "the bulk connection must still have been moving while the small one was served");
        List<Long> sorted = roundTrips.stream().sorted().toList();
        Duration median = Duration.ofNanos(sorted.get(sorted.size() / 2));
        Duration worst = Duration.ofNanos(sorted.getLast());
        assertTrue(median.compareTo(STARVED) <= 0 && worst.compareTo(STARVED.multipliedBy(5)) <= 0,
                () -> "a small round trip beside a saturated connection on one I/O thread took " + median
                        + " (median), " + worst + " (worst): the saturated connection starves the loop");
        small.close();
    }

    /** The most a small round trip may typically take beside a saturated connection, on a loaded machine. */
    private static final Duration STARVED = Kit.scaled(Duration.ofMillis(100));
}
