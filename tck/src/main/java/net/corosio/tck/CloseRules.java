package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.EOFException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Arrays;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.SocketOptions;
import net.corosio.TransportException;

/** The rules of SPEC.md section 5: close, abort and reset. */
public abstract class CloseRules extends RuleGroup {

    /** How many 1 KiB writes a writer may make into a dead peer before it must learn of it. */
    private static final int MAX_WRITES_INTO_THE_VOID = 1000;

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected CloseRules(TransportKit owner) {
        super(owner);
    }

    // ------------------------------------------------------------------ 5.1

    @RequiredRule
    void required_5_1_closeSendsEveryByteEarlierWritesAcceptedThenEndOfStream() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 64 * 1024);
        byte[] data = kit.randomBytes(1024 * 1024);
        CountDownLatch closing = new CountDownLatch(1);
        Future<Void> writer = kit.fork("write-then-close", () -> {
            // Writes of random sizes, then close() at once: the tail is still in flight.
            ByteBuffer all = ByteBuffer.wrap(data);
            while (all.hasRemaining()) {
                int n = Math.min(all.remaining(), 1 + kit.random().nextInt(64 * 1024));
                pair.connection().write(all.slice(all.position(), n));
                all.position(all.position() + n);
            }
            closing.countDown();
            pair.connection().close();
            return null;
        });
        byte[] received = Stalls.readHesitantlyToEnd(pair.peer(), closing, data.length);
        pair.peer().shutdownOutput(); // done too: a close() that waits for the peer's end may return
        Kit.await(writer);
        assertEquals(data.length, received.length, "the peer must receive every byte written before close()");
        assertArrayEquals(data, received, "the bytes written before close() must arrive intact and in order");
        assertFalse(pair.connection().isOpen());
    }

    @RequiredRule
    void required_5_1_closeOfAnAcceptedConnectionSendsEveryByteThenEndOfStream() throws Exception {
        byte[] data = kit.randomBytes(1024 * 1024);
        CountDownLatch closing = new CountDownLatch(1);
        Server server = kit.serve(c -> {
            c.write(ByteBuffer.wrap(data));
            closing.countDown();
            c.close();
        });
        Socket peer = kit.oracleConnect(server.localAddress(), 64 * 1024);
        byte[] received = Stalls.readHesitantlyToEnd(peer, closing, data.length);
        assertEquals(data.length, received.length, "the peer must receive every byte the handler wrote before close()");
        assertArrayEquals(data, received, "the bytes written before close() must arrive intact and in order");
    }

    @RequiredRule
    void required_5_1_closeWithInputTheHandlerNeverReadStillSendsEverythingThenEndOfStream() throws Exception {
        byte[] data = kit.randomBytes(1024 * 1024);
        CountDownLatch closing = new CountDownLatch(1);
        Server server = kit.serve(ServerOptions.builder().connection(bigSendBuffer()).build(), c -> {
            ByteBuffer request = ByteBuffer.allocate(4);
            while (request.hasRemaining()) {
                if (c.read(request) < 0) {
                    throw new EOFException("the request ended early");
                }
            }
            c.write(ByteBuffer.wrap(data));
            closing.countDown();
            c.close();
        });
        Socket peer = kit.oracleConnect(server.localAddress(), Stalls.SMALL_BUFFER);
        // A request, then pipelined ones the handler never reads: the kernel turns a close with
        // unread input into a reset unless the backend prevents it.
        peer.getOutputStream().write("GET\nGET\nGET\n".getBytes(StandardCharsets.US_ASCII));
        byte[] received = Stalls.readHesitantlyToEnd(peer, closing, data.length);
        assertEquals(data.length, received.length, "the peer must receive every byte the handler wrote before "
                + "close(), although the handler left input unread");
        assertArrayEquals(data, received, "the bytes written before close() must arrive intact and in order");
    }

    @RequiredRule
    void required_5_1_closeWithUnreadInputSendsEveryByteThenEndOfStream() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, bigSendBuffer(), Stalls.SMALL_BUFFER);
        // Bytes the application never reads, there before it writes and closes.
        pair.peer().getOutputStream().write(kit.randomBytes(100));
        byte[] data = kit.randomBytes(1024 * 1024);
        CountDownLatch closing = new CountDownLatch(1);
        Future<Void> writer = kit.fork("write-then-close", () -> {
            pair.connection().write(ByteBuffer.wrap(data));
            closing.countDown();
            pair.connection().close();
            return null;
        });
        byte[] received = Stalls.readHesitantlyToEnd(pair.peer(), closing, data.length);
        pair.peer().shutdownOutput(); // done too: a close() that waits for the peer's end may return
        Kit.await(writer);
        assertEquals(data.length, received.length, "the peer must receive every byte written before close(), "
                + "although the application left input unread");
        assertArrayEquals(data, received, "the bytes written before close() must arrive intact and in order");
    }

    // ------------------------------------------------------------------ 5.2

    @RequiredRule
    void required_5_2_closeAndAbortAreIdempotentNeverThrowAndLeaveTheConnectionClosed() throws Exception {
        Server server = kit.serve(Peer::echo);

        Connection closed = kit.connect(server.localAddress());
        closed.close();
        closed.close();
        closed.abort();
        assertFalse(closed.isOpen(), "isOpen() after close()");

        Connection aborted = kit.connect(server.localAddress());
        aborted.abort();
        aborted.abort();
        aborted.close();
        assertFalse(aborted.isOpen(), "isOpen() after abort()");

        // Many threads closing and aborting at once: none of them may throw.
        Connection raced = kit.connect(server.localAddress());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> closers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            boolean abort = i % 2 == 1;
            closers.add(kit.fork("closer-" + i, () -> {
                start.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS);
                if (abort) {
                    raced.abort();
                } else {
                    raced.close();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<Void> closer : closers) {
            Kit.await(closer);
        }
        assertFalse(raced.isOpen(), "isOpen() after concurrent close() and abort()");
    }

    @RequiredRule
    void required_5_2_closeAndAbortNeverThrowOnAConnectionThatFailed() throws Exception {
        Stalls.Pair reset = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        Peer.reset(reset.peer());
        Kit.expectFailure(ErrorKind.RESET, () -> reset.connection().read(ByteBuffer.allocate(16)));
        reset.connection().close();
        reset.connection().abort();
        reset.connection().close();
        assertFalse(reset.connection().isOpen());

        Stalls.Pair other = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        Peer.reset(other.peer());
        Kit.expectFailure(ErrorKind.RESET, () -> other.connection().read(ByteBuffer.allocate(16)));
        other.connection().abort();
        other.connection().close();
        other.connection().abort();
        assertFalse(other.connection().isOpen());
    }

    // ------------------------------------------------------------------ 5.3

    @RequiredRule
    void required_5_3_callsAfterCloseFailWithClosed() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        pair.connection().close();
        assertEveryCallFails(pair.connection(), ErrorKind.CLOSED, true);
    }

    @RequiredRule
    void required_5_3_callsAfterAbortFailWithClosed() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        pair.peer().getOutputStream().write(new byte[] {1, 2, 3}); // unread data must not be returned
        pair.connection().abort();
        assertEveryCallFails(pair.connection(), ErrorKind.CLOSED, true);
    }

    @RequiredRule
    void required_5_3_callsAfterCloseOfAnAcceptedConnectionThatFailedFailWithClosed() throws Exception {
        Stalls.Pair pair = Stalls.serverPair(kit, ConnectionOptions.defaults(), 0);
        Peer.reset(pair.peer());
        Kit.expectFailure(ErrorKind.RESET, () -> pair.connection().read(ByteBuffer.allocate(16)));
        pair.connection().close();
        assertEveryCallFails(pair.connection(), ErrorKind.CLOSED, true);
    }

    // ------------------------------------------------------------------ 5.4

    @RequiredRule
    void required_5_4_aReadBlockedWhenAnotherThreadClosesFailsWithClosedPromptly() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        assertBlockedReadFailsClosed(pair.connection(), false);
    }

    @RequiredRule
    void required_5_4_aReadBlockedWhenAnotherThreadAbortsFailsWithClosedPromptly() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        assertBlockedReadFailsClosed(pair.connection(), true);
    }

    @RequiredRule
    void required_5_4_aBlockedReadOnAnAcceptedConnectionFailsWithClosedWhenClosed() throws Exception {
        Stalls.Pair pair = Stalls.serverPair(kit, ConnectionOptions.defaults(), 0);
        assertBlockedReadFailsClosed(pair.connection(), false);
    }

    // ------------------------------------------------------------------ 5.5

    @RequiredRule
    void required_5_5_aWriteBlockedOnAPeerThatDoesNotReadFailsWithClosedWhenClosed() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, Stalls.smallBuffers().build(), Stalls.SMALL_BUFFER);
        assertBlockedWriteFailsClosed(pair.connection(), false);
    }

    @RequiredRule
    void required_5_5_aWriteBlockedOnAPeerThatDoesNotReadFailsWithClosedWhenAborted() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, Stalls.smallBuffers().build(), Stalls.SMALL_BUFFER);
        assertBlockedWriteFailsClosed(pair.connection(), true);
    }

    @RequiredRule
    void required_5_5_aBlockedWriteOnAnAcceptedConnectionFailsWithClosedWhenAborted() throws Exception {
        Stalls.Pair pair = Stalls.serverPair(kit, Stalls.smallBuffers().build(), Stalls.SMALL_BUFFER);
        assertBlockedWriteFailsClosed(pair.connection(), true);
    }

    // ------------------------------------------------------------------ 5.6

    @RequiredRule
    void required_5_6_abortMakesThePeerSeeAReset() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        pair.connection().write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("hello", new String(Peer.readExactly(pair.peer(), 5), StandardCharsets.US_ASCII));
        pair.connection().abort();
        assertEquals(Peer.End.RESET, Peer.awaitEnd(pair.peer()), "abort() must make the peer see a reset");
    }

    @RequiredRule
    void required_5_6_abortOfAnAcceptedConnectionMakesThePeerSeeAReset() throws Exception {
        Stalls.Pair pair = Stalls.serverPair(kit, ConnectionOptions.defaults(), 0);
        pair.connection().abort();
        assertEquals(Peer.End.RESET, Peer.awaitEnd(pair.peer()), "abort() must make the peer see a reset");
    }

    @RequiredRule
    void required_5_6_abortWithBytesStillQueuedMakesThePeerSeeAResetNotEndOfStream() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, Stalls.smallBuffers().build(), Stalls.SMALL_BUFFER);
        Future<Stalls.Outcome> writer = kit.fork("write", () ->
                Stalls.outcome(() -> pair.connection().write(ByteBuffer.wrap(new byte[Stalls.HUGE]))));
        // Let the buffers between the two ends fill up, so that abort() has bytes to discard.
        Stalls.awaitQuiet("the bytes waiting at the peer", () -> Stalls.unread(pair.peer()),
                Kit.scaled(Duration.ofMillis(300)));
        Kit.await(kit.fork("abort", () -> {
            pair.connection().abort();
            return null;
        }));
        assertEquals(Peer.End.RESET, Peer.awaitEnd(pair.peer()),
                "abort() with queued bytes must make the peer see a reset, not the bytes and end-of-stream");
        Stalls.Outcome write = Kit.await(writer);
        assertEquals(ErrorKind.CLOSED, write.kind(), () -> "the blocked write " + write);
    }

    // ------------------------------------------------------------------ 5.7

    @RequiredRule
    void required_5_7_aResetByThePeerFailsABlockedReadWithResetNeverEndOfStream() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        Stalls.Blocking<Integer> read = Stalls.fork(kit, "read",
                () -> pair.connection().read(ByteBuffer.allocate(1024)));
        read.awaitBlocked("the read");
        Peer.reset(pair.peer());
        Stalls.expectFailure(ErrorKind.RESET, () -> Kit.await(read.result()), "a read blocked when the peer reset");
        assertResetIsSticky(pair.connection());
    }

    @RequiredRule
    void required_5_7_aResetThatArrivedBeforeTheReadIsReportedAsResetEveryTime() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        Peer.reset(pair.peer());
        Stalls.expectFailure(ErrorKind.RESET, () -> pair.connection().read(ByteBuffer.allocate(1024)),
                "a read after the peer reset");
        // The kernel reports ECONNRESET once and end-of-stream afterwards: the backend must remember.
        assertResetIsSticky(pair.connection());
    }

    @RequiredRule
    void required_5_7_aResetByThePeerOfAnAcceptedConnectionIsReportedAsReset() throws Exception {
        Stalls.Pair pair = Stalls.serverPair(kit, ConnectionOptions.defaults(), 0);
        Stalls.Blocking<Integer> read = Stalls.fork(kit, "read",
                () -> pair.connection().read(ByteBuffer.allocate(1024)));
        read.awaitBlocked("the read");
        Peer.reset(pair.peer());
        Stalls.expectFailure(ErrorKind.RESET, () -> Kit.await(read.result()), "a read blocked when the peer reset");
        assertResetIsSticky(pair.connection());
    }

    // ------------------------------------------------------------------ 5.8

    @RequiredRule
    void required_5_8_writingToAPeerThatClosedFailsWithResetWithinBoundedWrites() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        pair.peer().close(); // a plain close: the peer's kernel answers further data with a reset
        assertWritesFailWithReset(pair.connection());
    }

    @RequiredRule
    void required_5_8_writingAfterReadingEndOfStreamFromAPeerThatClosedFailsWithReset() throws Exception {
        Stalls.Pair pair = Stalls.serverPair(kit, ConnectionOptions.defaults(), 0);
        pair.peer().close();
        assertEquals(-1, pair.connection().read(ByteBuffer.allocate(16)), "the peer closed: end-of-stream");
        assertWritesFailWithReset(pair.connection());
    }

    @RequiredRule
    void required_5_8_writingToAPeerThatResetFailsWithReset() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        Peer.reset(pair.peer());
        assertWritesFailWithReset(pair.connection());
    }

    // ------------------------------------------------------------------ 5.9

    @RequiredRule
    void required_5_9_isOpenIsTrueWhileUsableIncludingWhenHalfClosed() throws Exception {
        Stalls.Pair outputShut = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        Connection c = outputShut.connection();
        assertTrue(c.isOpen(), "a new connection is open");
        c.shutdownOutput();
        assertTrue(c.isOpen(), "a connection whose output is shut down can still read, so it is open");
        assertEquals(0, Peer.readToEnd(outputShut.peer()).length);
        outputShut.peer().getOutputStream().write(7);
        ByteBuffer one = ByteBuffer.allocate(1);
        assertEquals(1, c.read(one));
        assertTrue(c.isOpen(), "still open after reading on a half-closed connection");

        Stalls.Pair inputEnded = Stalls.serverPair(kit, ConnectionOptions.defaults(), 0);
        Connection s = inputEnded.connection();
        assertTrue(s.isOpen(), "an accepted connection is open");
        inputEnded.peer().shutdownOutput();
        assertEquals(-1, s.read(ByteBuffer.allocate(16)), "the peer shut down its output");
        assertTrue(s.isOpen(), "a connection that read end-of-stream can still write, so it is open");
        s.write(ByteBuffer.wrap(new byte[] {9}));
        assertEquals(9, inputEnded.peer().getInputStream().read());
        assertTrue(s.isOpen(), "still open after writing on a half-closed connection");
    }

    @RequiredRule
    void required_5_9_isOpenIsFalseAfterCloseAbortOrATerminalFailure() throws Exception {
        Stalls.Pair closed = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        closed.connection().close();
        assertFalse(closed.connection().isOpen(), "isOpen() after close()");

        Stalls.Pair aborted = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        aborted.connection().abort();
        assertFalse(aborted.connection().isOpen(), "isOpen() after abort()");

        Stalls.Pair failed = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        assertTrue(failed.connection().isOpen());
        Peer.reset(failed.peer());
        Kit.expectFailure(ErrorKind.RESET, () -> failed.connection().read(ByteBuffer.allocate(16)));
        assertFalse(failed.connection().isOpen(), "isOpen() after a read failed with RESET");
    }

    // ------------------------------------------------------------------ 5.11

    /** Well below the second a close may wait for a peer that neither ends its stream nor resets. */
    private static final Duration CLOSE_ONCE_THE_PEER_ENDED = Kit.scaled(Duration.ofMillis(300));

    @RequiredRule
    void required_5_11_closeReturnsAsSoonAsThePeerEndsItsStreamOrResets() throws Exception {
        List<Long> closeTook = new CopyOnWriteArrayList<>();
        Server server = kit.serve(c -> {
            long start = System.nanoTime();
            c.close();
            closeTook.add(System.nanoTime() - start);
        });
        for (boolean reset : List.of(false, true)) {
            List<Long> took = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int before = closeTook.size();
                Socket client = kit.oracleConnect(server.localAddress());
                assertEquals(-1, client.getInputStream().read(), "the server's close must end the stream");
                if (reset) {
                    client.setSoLinger(true, 0);
                }
                client.close();
                Kit.eventually("the handler's close to return", () -> closeTook.size() > before);
                took.add(closeTook.get(before));
            }
            Duration median = Duration.ofNanos(took.stream().sorted().toList().get(took.size() / 2));
            assertTrue(median.compareTo(CLOSE_ONCE_THE_PEER_ENDED) < 0, () -> "close() took " + median + " (the median of "
                    + took.size() + ") to return after the peer " + (reset ? "reset" : "ended its stream")
                    + ": it lingers for a peer that has already gone");
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Returns options with a send buffer that takes a whole 1 MiB write at once, so that close()
     * is called with most of it not yet sent to a peer with a small receive buffer.
     */
    private static ConnectionOptions bigSendBuffer() {
        return ConnectionOptions.builder()
                .socket(SocketOptions.defaults().withSendBufferSize(1024 * 1024))
                .build();
    }

    private static void assertEveryCallFails(Connection c, ErrorKind kind, boolean shutdownToo) throws Exception {
        for (int round = 1; round <= 2; round++) {
            String when = round == 1 ? "" : " (again)";
            Stalls.expectFailure(kind, () -> c.read(ByteBuffer.allocate(16)), "read" + when);
            Stalls.expectFailure(kind, () -> {
                c.write(ByteBuffer.wrap(new byte[] {1}));
                return "nothing";
            }, "write" + when);
            Stalls.expectFailure(kind, () -> {
                c.write(ByteBuffer.wrap(new byte[] {1}), ByteBuffer.allocateDirect(1));
                return "nothing";
            }, "gathering write" + when);
            if (shutdownToo) {
                Stalls.expectFailure(kind, () -> {
                    c.shutdownOutput();
                    return "nothing";
                }, "shutdownOutput" + when);
            }
        }
        assertFalse(c.isOpen());
    }

    private static void assertResetIsSticky(Connection c) throws Exception {
        assertEveryCallFails(c, ErrorKind.RESET, false);
    }

    private void assertBlockedReadFailsClosed(Connection c, boolean abort) throws Exception {
        Stalls.Blocking<Integer> read = Stalls.fork(kit, "read", () -> c.read(ByteBuffer.allocate(1024)));
        read.awaitBlocked("the read");
        assertFalse(read.result().isDone(), () -> "a read with nothing sent cannot complete; it finished with "
                + Stalls.describe(read.result()));
        assertBlockedCallFailsClosed(c, read, "read", abort);
    }

    private void assertBlockedWriteFailsClosed(Connection c, boolean abort) throws Exception {
        Stalls.Blocking<Void> write = Stalls.fork(kit, "write", () -> {
            c.write(ByteBuffer.wrap(new byte[Stalls.HUGE]));
            return null;
        });
        write.awaitBlocked("the write");
        assertFalse(write.result().isDone(), () -> "a write of " + Stalls.HUGE + " bytes to a peer that does not "
                + "read cannot complete; it finished with " + Stalls.describe(write.result()));
        assertBlockedCallFailsClosed(c, write, "write", abort);
    }

    private void assertBlockedCallFailsClosed(Connection c, Stalls.Blocking<?> call, String name, boolean abort)
            throws Exception {
        String closing = abort ? "abort()" : "close()";
        long start = System.nanoTime();
        // close() may itself take up to the close timeout, so it runs on its own thread; the
        // blocked call must fail promptly whatever close() is still doing.
        Future<Void> closer = kit.fork(abort ? "abort" : "close", () -> {
            if (abort) {
                c.abort();
            } else {
                c.close();
            }
            return null;
        });
        Stalls.expectFailure(ErrorKind.CLOSED, () -> Kit.await(call.result()),
                "a " + name + " blocked when another thread called " + closing);
        assertPrompt(start, "the blocked " + name + " to fail");
        Kit.await(closer);
        assertFalse(c.isOpen(), "isOpen() after " + closing);
    }

    private static void assertPrompt(long startNanos, String what) {
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        assertTrue(took.compareTo(Stalls.SLACK) <= 0, () -> "expected " + what + " within " + Stalls.SLACK
                + " but it took " + took);
    }

    private void assertWritesFailWithReset(Connection c) throws Exception {
        Future<Integer> writes = kit.fork("write-until-reset", () -> {
            ByteBuffer chunk = ByteBuffer.wrap(kit.randomBytes(1024));
            for (int i = 1; i <= MAX_WRITES_INTO_THE_VOID; i++) {
                try {
                    c.write(chunk.clear());
                } catch (TransportException e) {
                    if (e.kind() != ErrorKind.RESET) {
                        fail("write " + i + " to a peer that is gone failed with " + e.kind()
                                + " instead of RESET: " + e);
                    }
                    return i;
                }
            }
            return -1;
        });
        int failedAt = Kit.await(writes);
        assertTrue(failedAt > 0, "wrote " + MAX_WRITES_INTO_THE_VOID + " KiB into a peer that is gone "
                + "without a RESET");
        assertFalse(c.isOpen(), "isOpen() after a write failed with RESET");
        Kit.expectFailure(ErrorKind.RESET, () -> c.write(ByteBuffer.wrap(new byte[] {1})));
    }

    // ------------------------------------------------------------------ 5.10

    @RequiredRule
    void required_5_10_closeRacingWritesDeliversEveryWriteThatReturnedAndNeverEndsACutWriteCleanly()
            throws Exception {
        for (int i = 0; i < RACES; i++) {
            race(Racer.CLOSE);
        }
    }

    @RequiredRule
    void required_5_10_abortRacingWritesGivesThePeerAReset() throws Exception {
        for (int i = 0; i < RACES; i++) {
            race(Racer.ABORT);
        }
    }

    @RequiredRule
    void required_5_10_shutdownOutputRacingWritesDeliversEveryWriteThatReturnedAndNeverEndsACutWriteCleanly()
            throws Exception {
        for (int i = 0; i < RACES; i++) {
            race(Racer.SHUTDOWN_OUTPUT);
        }
    }

    /** How many races each 5.10 test runs. */
    private static final int RACES = 4;

    /** What races the writes. */
    private enum Racer {
        CLOSE,
        ABORT,
        SHUTDOWN_OUTPUT
    }

    /**
     * A writer sends numbered frames (half of them as a gathering write of header and body) as fast
     * as a small window lets it, while the test closes, aborts or shuts down output after a random
     * moment; the oracle reads every whole frame and says how the stream ended.
     */
    private void race(Racer racer) throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, Stalls.smallBuffers().build(), Stalls.SMALL_BUFFER);
        Connection c = pair.connection();
        AtomicInteger returned = new AtomicInteger(-1);
        Future<TransportException> writer = kit.fork("frame-writer", () -> {
            for (int seq = 0; ; seq++) {
                byte[] body = frameBody(seq);
                ByteBuffer header = ByteBuffer.allocate(8).putInt(seq).putInt(body.length).flip();
                try {
                    if (seq % 2 == 0) {
                        c.write(ByteBuffer.allocate(8 + body.length).put(header).put(body).flip());
                    } else {
                        c.write(header, ByteBuffer.allocateDirect(body.length).put(body).flip());
                    }
                } catch (TransportException e) {
                    return e;
                }
                returned.set(seq);
            }
        });
        Future<Frames> reader = kit.fork("frame-reader", () -> readFrames(pair.peer()));
        Thread.sleep(1 + kit.random().nextInt(Kit.scaled(Duration.ofMillis(30)).toMillisPart() + 1));
        int returnedBefore = returned.get();
        switch (racer) {
            case CLOSE -> kit.fork("close", () -> {
                c.close();
                return null;
            });
            case ABORT -> c.abort();
            case SHUTDOWN_OUTPUT -> c.shutdownOutput();
        }
        TransportException stopped = Kit.await(writer);
        Frames frames = Kit.await(reader);
        int lastReturned = returned.get();
        String what = racer + " racing writes (" + (lastReturned + 1) + " returned, " + (returnedBefore + 1)
                + " before the race; the peer got " + frames.whole() + " whole frames and " + frames.partial()
                + " bytes of a cut one, then " + frames.end() + "; the writer stopped with " + stopped + ")";
        ErrorKind expected = racer == Racer.SHUTDOWN_OUTPUT ? ErrorKind.OUTPUT_SHUTDOWN : ErrorKind.CLOSED;
        assertEquals(expected, stopped.kind(), () -> what + ": the write that could not go on fails with " + expected);
        if (racer == Racer.ABORT) {
            assertEquals(Peer.End.RESET, frames.end(), () -> what + ": abort() must make the peer see a reset");
            return;
        }
        if (racer == Racer.SHUTDOWN_OUTPUT) {
            assertEquals(Peer.End.EOF, frames.end(), () -> what + ": shutdownOutput() ends the stream cleanly");
        }
        if (frames.end() == Peer.End.EOF) {
            // A reset (close() cutting a write off) tells the peer the stream failed; a clean end
            // promises it has everything.
            assertTrue(frames.whole() > lastReturned, () -> what + ": before a clean end-of-stream every write that "
                    + "returned must arrive whole");
            assertEquals(0, frames.partial(), () -> what + ": a write cut off halfway must not be followed by a "
                    + "clean end-of-stream — the peer would take a truncated stream for a whole one — but by a reset");
        }
    }

    /** What the oracle read: whole frames, the bytes of a frame cut off, and how the stream ended. */
    private record Frames(int whole, int partial, Peer.End end) {}

    private static byte[] frameBody(int seq) {
        byte[] body = new byte[1 + (seq * 7919) % (48 * 1024)];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (seq * 31 + i);
        }
        return body;
    }

    /** Reads frames until the stream ends, checking each; a frame cut off by the end is counted apart. */
    private static Frames readFrames(Socket peer) throws Exception {
        InputStream in = peer.getInputStream();
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        int whole = 0;
        Peer.End end;
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                pending.write(chunk, 0, n);
                byte[] bytes = pending.toByteArray();
                int at = 0;
                while (bytes.length - at >= 8) {
                    ByteBuffer header = ByteBuffer.wrap(bytes, at, 8);
                    int seq = header.getInt();
                    int length = header.getInt();
                    assertEquals(whole, seq, "frames must arrive in order, none lost or repeated");
                    if (bytes.length - at - 8 < length) {
                        break;
                    }
                    assertArrayEquals(frameBody(seq), Arrays.copyOfRange(bytes, at + 8, at + 8 + length),
                            "frame " + seq + " must arrive intact");
                    at += 8 + length;
                    whole++;
                }
                pending.reset();
                pending.write(bytes, at, bytes.length - at);
            }
            end = Peer.End.EOF;
        } catch (SocketException e) {
            if (!TlsPeers.isReset(e)) {
                throw e;
            }
            end = Peer.End.RESET;
        }
        return new Frames(whole, pending.size(), end);
    }
}
