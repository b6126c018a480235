package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Future;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.SocketOptions;
import org.junit.jupiter.api.Assumptions;

/** The rules of SPEC.md section 7: timeouts and cancellation. */
public abstract class TimeoutRules extends RuleGroup {

    /** A timeout short enough to keep the kit fast, long enough to measure on a busy machine. */
    private static final Duration TIMEOUT = Kit.scaled(Duration.ofMillis(300));
    private static final int UNREAD_WRITE_SIZE = 256 * 1024;

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected TimeoutRules(TransportKit owner) {
        super(owner);
    }

    // ------------------------------------------------------------------ 7.1

    @RequiredRule
    void required_7_1_aReadThatReceivesNothingFailsWithReadTimeoutAndTheConnectionStaysUsable() throws Exception {
        for (Duration timeout : Timing.TIMEOUTS) {
            Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.builder().readTimeout(timeout).build(), 0);
            assertReadTimesOutAndStaysUsable(pair, timeout);
        }
    }

    @RequiredRule
    void required_7_1_aReadTimeoutOnAnAcceptedConnectionLeavesItUsable() throws Exception {
        for (Duration timeout : Timing.TIMEOUTS) {
            Stalls.Pair pair = Stalls.serverPair(kit, ConnectionOptions.builder().readTimeout(timeout).build(), 0);
            assertReadTimesOutAndStaysUsable(pair, timeout);
        }
    }

    // ------------------------------------------------------------------ 7.2

    @RequiredRule
    void required_7_2_aWriteThatMakesNoProgressFailsWithWriteTimeoutAndAbortsTheConnection() throws Exception {
        for (Duration timeout : Timing.TIMEOUTS) {
            Stalls.Pair pair = Stalls.clientPair(kit, Stalls.smallBuffers().writeTimeout(timeout).build(),
                    Stalls.SMALL_BUFFER);
            Connection c = pair.connection();
            Future<Void> write = kit.fork("write", () -> {
                c.write(ByteBuffer.wrap(new byte[Stalls.HUGE]));
                return null;
            });
            // The write makes progress for a while (longer than the shorter timeout), then none: the
            // timeout counts from the last progress, not from the start of the write.
            long lastRead = Timing.readSteadilyThenStop(pair.peer());
            Stalls.expectFailure(ErrorKind.WRITE_TIMEOUT, () -> Kit.await(write),
                    "a write to a peer that stopped reading, with a write timeout of " + timeout);
            Timing.assertOnTime(Timing.since(lastRead), timeout, "the write timeout, from the peer's last read,");

            assertFalse(c.isOpen(), "isOpen() after WRITE_TIMEOUT");
            Stalls.expectFailure(ErrorKind.WRITE_TIMEOUT, () -> c.read(ByteBuffer.allocate(16)),
                    "a read after WRITE_TIMEOUT");
            Stalls.expectFailure(ErrorKind.WRITE_TIMEOUT, () -> {
                c.write(ByteBuffer.wrap(new byte[] {1}));
                return "nothing";
            }, "a write after WRITE_TIMEOUT");
            assertEquals(Peer.End.RESET, Peer.awaitEnd(pair.peer()),
                    "after WRITE_TIMEOUT the connection is aborted: the peer must see a reset, not a clean end "
                            + "of a stream that lost its tail");
        }
    }

    // ------------------------------------------------------------------ 7.3

    @RequiredRule
    void required_7_3_aWriteThatKeepsMakingProgressDoesNotTimeOutHoweverLongItTakes() throws Exception {
        int buffer = 8 * 1024;
        ConnectionOptions options = ConnectionOptions.builder()
                .writeTimeout(TIMEOUT)
                .writeWaterMarks(buffer / 2, buffer)
                .socket(SocketOptions.defaults().withSendBufferSize(buffer))
                .build();
        Stalls.Pair pair = Stalls.clientPair(kit, options, buffer);
        byte[] data = kit.randomBytes(128 * 1024);
        long start = System.nanoTime();
        Future<Void> write = kit.fork("write", () -> {
            pair.connection().write(ByteBuffer.wrap(data));
            return null;
        });
        // The rule is about a reader that is slow but steady: a few KiB every 50 ms, so the write
        // needs far longer than its timeout in total but never stalls for that long.
        byte[] got = new byte[data.length];
        InputStream in = pair.peer().getInputStream();
        long pause = Kit.scaled(Duration.ofMillis(50)).toMillis();
        for (int at = 0; at < data.length; ) {
            byte[] piece = Peer.readFully(in, Math.min(4096, data.length - at));
            System.arraycopy(piece, 0, got, at, piece.length);
            at += piece.length;
            Thread.sleep(pause);
        }
        Kit.await(write);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertArrayEquals(data, got, "the slow write must arrive intact and in order");
        assertTrue(took.compareTo(TIMEOUT.multipliedBy(2)) > 0, () -> "the write took only " + took
                + ", so it did not outlast its write timeout of " + TIMEOUT + " and proves nothing");
        assertTrue(pair.connection().isOpen());
    }

    // ------------------------------------------------------------------ 7.4

    @RequiredRule
    void required_7_4_anIdleConnectionFailsItsBlockedReadWithIdleTimeoutAndThePeerSeesItEnd() throws Exception {
        for (Duration timeout : Timing.TIMEOUTS) {
            Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.builder().idleTimeout(timeout).build(), 0);
            Connection c = pair.connection();
            // Traffic for a while (longer than the shorter timeout), then none: the idle timeout
            // counts from the last byte, not from the connect.
            Future<Long> trickle = kit.fork("trickle", () -> Timing.writeSteadilyThenStop(pair.peer()));
            Future<Integer> read = kit.fork("read", () -> {
                ByteBuffer one = ByteBuffer.allocate(1);
                while (true) {
                    c.read(one.clear());
                }
            });
            Stalls.expectFailure(ErrorKind.IDLE_TIMEOUT, () -> Kit.await(read), "a read on a connection gone idle");
            Duration took = Timing.since(Kit.await(trickle));
            Timing.assertOnTime(took, timeout, "the idle timeout, from the peer's last byte,");
            assertIdleTimedOut(pair);
        }
    }

    @RequiredRule
    void required_7_4_anIdleAcceptedConnectionIsClosedWithoutACallPending() throws Exception {
        for (Duration timeout : Timing.TIMEOUTS) {
            long beforeConnect = System.nanoTime();
            Stalls.Pair pair = Stalls.serverPair(kit, ConnectionOptions.builder().idleTimeout(timeout).build(), 0);
            long connected = System.nanoTime();
            Kit.eventually("the idle connection to be closed", timeout.plus(Kit.defaultWait()),
                    () -> !pair.connection().isOpen());
            long closed = System.nanoTime();
            Timing.assertNotSooner(Duration.ofNanos(closed - beforeConnect), timeout, "the idle timeout");
            Timing.assertNotLater(Duration.ofNanos(closed - connected), timeout, "the idle timeout");
            assertIdleTimedOut(pair);
        }
    }

    @RequiredRule
    void required_7_4_aWriteBlockedWithoutProgressOnAnIdleConnectionFailsWithIdleTimeout() throws Exception {
        for (Duration timeout : Timing.TIMEOUTS) {
            Stalls.Pair pair = Stalls.clientPair(kit, Stalls.smallBuffers().idleTimeout(timeout).build(),
                    Stalls.SMALL_BUFFER);
            Future<Void> write = kit.fork("write", () -> {
                pair.connection().write(ByteBuffer.wrap(new byte[Stalls.HUGE]));
                return null;
            });
            // The write makes progress while the peer reads, then nothing moves either way.
            long lastRead = Timing.readSteadilyThenStop(pair.peer());
            Stalls.expectFailure(ErrorKind.IDLE_TIMEOUT, () -> Kit.await(write),
                    "a write blocked on a peer that stopped reading, with only an idle timeout of " + timeout);
            Timing.assertOnTime(Timing.since(lastRead), timeout, "the idle timeout, from the peer's last read,");
            assertIdleTimedOut(pair);
        }
    }

    // ------------------------------------------------------------------ 7.5

    @RequiredRule
    void required_7_5_inboundTrafficPostponesTheIdleTimeout() throws Exception {
        Duration idle = Kit.scaled(Duration.ofMillis(600));
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.builder().idleTimeout(idle).build(), 0);
        Connection c = pair.connection();
        int bytes = 15;
        // The rule is about time passing: a byte every 100 ms for 2.5 idle timeouts in all.
        Future<Void> trickle = kit.fork("trickle", () -> {
            OutputStream out = pair.peer().getOutputStream();
            for (int i = 0; i < bytes; i++) {
                Thread.sleep(Kit.scaled(Duration.ofMillis(100)).toMillis());
                out.write(i);
                out.flush();
            }
            return null;
        });
        ByteBuffer one = ByteBuffer.allocate(1);
        for (int i = 0; i < bytes; i++) {
            assertEquals(1, c.read(one.clear()), "a byte arrives every 100 ms: the connection is not idle");
            assertEquals(i, one.get(0));
        }
        Kit.await(trickle);
        assertTrue(c.isOpen(), "the connection received a byte every 100 ms: it must not have been closed as idle");

        // Once the traffic stops, the idle timeout does apply: it was postponed, not disabled.
        Kit.eventually("the connection to be closed once idle", idle.plus(Stalls.SLACK), () -> !c.isOpen());
        Kit.expectFailure(ErrorKind.IDLE_TIMEOUT, () -> c.read(one.clear()));
    }

    @RequiredRule
    void required_7_5_outboundTrafficPostponesTheIdleTimeout() throws Exception {
        Duration idle = Kit.scaled(Duration.ofMillis(600));
        Stalls.Pair pair = Stalls.serverPair(kit, ConnectionOptions.builder().idleTimeout(idle).build(), 0);
        Connection c = pair.connection();
        int bytes = 15;
        // The rule is about time passing: a byte written every 100 ms for 2.5 idle timeouts in all.
        for (int i = 0; i < bytes; i++) {
            Thread.sleep(Kit.scaled(Duration.ofMillis(100)).toMillis());
            c.write(ByteBuffer.wrap(new byte[] {(byte) i}));
        }
        assertTrue(c.isOpen(), "the connection wrote a byte every 100 ms: it must not have been closed as idle");
        byte[] got = Peer.readExactly(pair.peer(), bytes);
        for (int i = 0; i < bytes; i++) {
            assertEquals(i, got[i]);
        }

        Kit.eventually("the connection to be closed once idle", idle.plus(Stalls.SLACK), () -> !c.isOpen());
        Kit.expectFailure(ErrorKind.IDLE_TIMEOUT, () -> c.write(ByteBuffer.wrap(new byte[] {1})));
    }

    @RequiredRule
    void required_7_5_aSingleWriteDrainingSlowlyPostponesTheIdleTimeoutWithoutFurtherCalls() throws Exception {
        Duration idle = Timing.TIMEOUTS.getFirst();
        Stalls.Pair pair = Stalls.clientPair(kit, Stalls.smallBuffers().idleTimeout(idle).build(), Stalls.SMALL_BUFFER);
        byte[] data = kit.randomBytes(1024 * 1024);
        // One call, then only socket traffic: the bytes drain to a peer that reads a receive window's
        // worth at a time for 2.5 idle timeouts (no call starts or ends meanwhile), then reads the
        // rest. Smaller reads would not reopen the window often enough to move bytes on the socket.
        Future<Stalls.Outcome> write = kit.fork("write", () -> Stalls.outcome(() -> pair.connection().write(ByteBuffer.wrap(data))));
        InputStream in = pair.peer().getInputStream();
        byte[] got = new byte[data.length];
        int at = 0;
        long slowUntil = System.nanoTime() + idle.multipliedBy(5).dividedBy(2).toNanos();
        String ended = null;
        try {
            while (at < data.length) {
                boolean slow = System.nanoTime() < slowUntil;
                int n;
                if (slow) {
                    byte[] window = Peer.readFully(in, Stalls.SMALL_BUFFER);
                    System.arraycopy(window, 0, got, at, window.length);
                    n = window.length;
                } else {
                    n = in.read(got, at, data.length - at);
                }
                if (n < 0) {
                    ended = "end-of-stream";
                    break;
                }
                at += n;
                if (slow) {
                    Thread.sleep(Kit.scaled(Duration.ofMillis(20)).toMillis());
                }
            }
        } catch (SocketException e) {
            ended = e.toString();
        }
        Stalls.Outcome outcome = Kit.await(write);
        int received = at;
        String end = ended;
        assertNull(outcome.kind(), () -> "a write whose bytes kept draining to the peer " + outcome + " (the peer saw "
                + (end == null ? "every byte" : end + " after " + received + " bytes")
                + "): socket traffic alone must postpone the idle timeout of " + idle);
        assertNull(ended, () -> "the peer saw " + end + " after " + received + " of " + data.length + " bytes");
        assertArrayEquals(data, got);
        assertTrue(pair.connection().isOpen(), "the connection was never idle: it must not have been closed");
        Kit.eventually("the connection to be closed once idle", idle.plus(Kit.defaultWait()),
                () -> !pair.connection().isOpen());
    }

    // ------------------------------------------------------------------ 7.6

    @RequiredRule
    void required_7_6_interruptingABlockedReadFailsItWithCancelledAndAbortsTheConnection() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        assertInterruptCancels(pair, "read", () -> pair.connection().read(ByteBuffer.allocate(1024)));
    }

    @RequiredRule
    void required_7_6_interruptingABlockedReadOnAnAcceptedConnectionFailsItWithCancelled() throws Exception {
        Stalls.Pair pair = Stalls.serverPair(kit, ConnectionOptions.defaults(), 0);
        assertInterruptCancels(pair, "read", () -> pair.connection().read(ByteBuffer.allocate(1024)));
    }

    @RequiredRule
    void required_7_6_interruptingAReadThatHasAReadTimeoutFailsItWithCancelled() throws Exception {
        // A read timeout may make a backend read another way (a timed wait): interruption must
        // still win, and it must not be mistaken for the timeout.
        Duration patient = Kit.scaled(Duration.ofSeconds(30));
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.builder().readTimeout(patient).build(), 0);
        assertInterruptCancels(pair, "read", () -> pair.connection().read(ByteBuffer.allocateDirect(1024)));
    }

    // ------------------------------------------------------------------ 7.7

    @RequiredRule
    void required_7_7_interruptingABlockedWriteFailsItWithCancelledAndAbortsTheConnection() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, Stalls.smallBuffers().build(), Stalls.SMALL_BUFFER);
        assertInterruptCancels(pair, "write", () -> pair.connection().write(ByteBuffer.wrap(new byte[Stalls.HUGE])));
    }

    // ------------------------------------------------------------------ 7.8

    @RequiredRule
    void required_7_8_aReadByAnInterruptedThreadFailsAtOnceWithCancelledEvenWithDataWaiting() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        pair.peer().getOutputStream().write("waiting".getBytes(StandardCharsets.US_ASCII));
        assertAlreadyInterruptedCallCancels(pair, () -> pair.connection().read(ByteBuffer.allocate(1024)));
        assertPeerSeesEnd(pair.peer());
    }

    @RequiredRule
    void required_7_8_aWriteByAnInterruptedThreadFailsAtOnceWithCancelledAndSendsNothing() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        assertAlreadyInterruptedCallCancels(pair,
                () -> pair.connection().write(ByteBuffer.wrap("must not be sent".getBytes(StandardCharsets.US_ASCII))));
        int first;
        try {
            first = pair.peer().getInputStream().read();
        } catch (SocketException e) {
            first = -1; // a reset: the connection ended without the write's bytes
        }
        assertEquals(-1, first, "a write that failed at once with CANCELLED must not have sent anything");
    }

    @RequiredRule
    void required_7_8_aShutdownOutputByAnInterruptedThreadFailsWithCancelled() throws Exception {
        Stalls.Pair pair = Stalls.serverPair(kit, ConnectionOptions.defaults(), 0);
        assertAlreadyInterruptedCallCancels(pair, () -> pair.connection().shutdownOutput());
    }

    // ------------------------------------------------------------------ 7.9

    @RequiredRule
    void required_7_9_interruptingABlockedConnectFailsItWithCancelledAndLeavesNoSocket() throws Exception {
        ServerSocketChannel full = kit.track(ServerSocketChannel.open());
        full.bind(new InetSocketAddress(Kit.LOOPBACK, 0), 1);
        InetSocketAddress address = (InetSocketAddress) full.getLocalAddress();
        // Nobody accepts: once the accept queue (backlog + 1 on Linux) is full, the listener drops
        // further SYNs and a connect hangs until its timeout.
        boolean hangs = false;
        for (int i = 0; i < 16 && !hangs; i++) {
            Socket filler = kit.track(new Socket());
            try {
                filler.connect(address, (int) Kit.scaled(Duration.ofMillis(250)).toMillis());
            } catch (SocketTimeoutException e) {
                hangs = true;
            }
        }
        Assumptions.assumeTrue(hangs, "a connect to a listener with a full backlog does not hang on this platform");

        LeakCheck before = LeakCheck.baseline();
        ClientOptions patient = ClientOptions.builder().connectTimeout(Kit.scaled(Duration.ofSeconds(60))).build();
        Stalls.Blocking<Stalls.Outcome> connect = Stalls.fork(kit, "connect",
                () -> Stalls.outcome(() -> kit.connect(address, patient)));
        connect.awaitBlocked("the connect");
        assertFalse(connect.result().isDone(), () -> "the connect to a full listener did not block: " + describe(connect));
        connect.thread().interrupt();
        Stalls.Outcome outcome = Kit.await(connect.result());
        assertEquals(ErrorKind.CANCELLED, outcome.kind(), () -> "the interrupted connect " + outcome);
        assertEquals(0, kit.transport().metrics().openConnections(), "an interrupted connect leaves no connection");
        Kit.eventually("the interrupted connect's socket to be closed", () -> before.descriptorLeaks().isEmpty());
    }

    // ------------------------------------------------------------------ 7.10

    @RequiredRule
    void required_7_10_closeReturnsWithinTheCloseTimeoutWhenThePeerDoesNotRead() throws Exception {
        Stalls.Pair pair = writtenButUnread();
        Timing.assertNotLater(closeTook(pair.connection()), TIMEOUT, "close() with the close timeout");
        assertFalse(pair.connection().isOpen());
        assertPeerSeesEnd(pair.peer());
    }

    @RequiredRule
    void required_7_10_aPeerThatReadsOnlyAfterTheCloseTimeoutGetsEverythingOrAResetNeverLess() throws Exception {
        Stalls.Pair pair = writtenButUnread();
        Timing.assertNotLater(closeTook(pair.connection()), TIMEOUT, "close() with a peer that does not read");
        // The rule is about time passing: the peer goes on not reading for the whole close timeout
        // (and a margin). Whether the backend aborted what was left or the kernel delivers it after
        // the close, the peer must never see a clean end-of-stream after only part of the data.
        Thread.sleep(TIMEOUT.plus(Kit.scaled(Duration.ofSeconds(1))).toMillis());
        long received = 0;
        byte[] chunk = new byte[64 * 1024];
        try {
            InputStream in = pair.peer().getInputStream();
            for (int n; (n = in.read(chunk)) >= 0; ) {
                received += n;
            }
        } catch (SocketException e) {
            return; // a reset: what close() could not hand over in time was aborted, visibly
        }
        assertEquals(UNREAD_WRITE_SIZE, received,
                "a clean end-of-stream after only part of what was written is a silent truncation");
    }

    @RequiredRule
    void required_7_10_closeReturnsWithinTheCloseTimeoutWhileAWriteIsBlocked() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, Stalls.smallBuffers().closeTimeout(TIMEOUT).build(),
                Stalls.SMALL_BUFFER);
        Connection c = pair.connection();
        Stalls.Blocking<Stalls.Outcome> write = Stalls.fork(kit, "write",
                () -> Stalls.outcome(() -> c.write(ByteBuffer.wrap(new byte[Stalls.HUGE]))));
        write.awaitBlocked("the write");

        Timing.assertNotLater(closeTook(c), TIMEOUT, "close() with the close timeout");
        Stalls.Outcome outcome = Kit.await(write.result());
        assertEquals(ErrorKind.CLOSED, outcome.kind(), () -> "the write blocked during close() " + outcome);
        assertPeerSeesEnd(pair.peer());
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Returns a client connection with a close timeout of {@link #TIMEOUT} that has written far
     * more than its peer, which does not read, has taken. The connection's send buffer is large,
     * so the write completes (into the kernel) without the peer reading.
     */
    private Stalls.Pair writtenButUnread() throws Exception {
        ConnectionOptions options = ConnectionOptions.builder()
                .closeTimeout(TIMEOUT)
                .socket(SocketOptions.defaults().withSendBufferSize(1024 * 1024))
                .build();
        Stalls.Pair pair = Stalls.clientPair(kit, options, Stalls.SMALL_BUFFER);
        Future<Void> write = kit.fork("write", () -> {
            pair.connection().write(ByteBuffer.wrap(kit.randomBytes(UNREAD_WRITE_SIZE)));
            return null;
        });
        Kit.await(write);
        return pair;
    }

    /** Closes on a forked thread, so that a close() that hangs fails the test instead of stalling it. */
    private Duration closeTook(Connection c) throws Exception {
        long start = System.nanoTime();
        Kit.await(kit.fork("close", () -> {
            c.close();
            return null;
        }));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private void assertReadTimesOutAndStaysUsable(Stalls.Pair pair, Duration timeout) throws Exception {
        Connection c = pair.connection();
        for (int round = 1; round <= 2; round++) {
            long start = System.nanoTime();
            Future<Integer> read = kit.fork("read", () -> c.read(ByteBuffer.allocate(16)));
            Stalls.expectFailure(ErrorKind.READ_TIMEOUT, () -> Kit.await(read),
                    "read " + round + " with nothing sent and a read timeout of " + timeout);
            Timing.assertOnTime(Timing.since(start), timeout, "the read timeout");
            assertTrue(c.isOpen(), "READ_TIMEOUT leaves the connection open");
        }
        pair.peer().getOutputStream().write("late".getBytes(StandardCharsets.US_ASCII));
        // A direct buffer: a backend may take another path for it when a read timeout is set.
        ByteBuffer late = ByteBuffer.allocateDirect(4);
        while (late.hasRemaining()) {
            assertTrue(c.read(late) > 0, "a read after READ_TIMEOUT returns the data sent later");
        }
        byte[] got = new byte[4];
        late.flip().get(got);
        assertEquals("late", new String(got, StandardCharsets.US_ASCII),
                "a read after READ_TIMEOUT returns the data sent later");
        c.write(ByteBuffer.wrap("back".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("back", new String(Peer.readExactly(pair.peer(), 4), StandardCharsets.US_ASCII),
                "the connection still writes after READ_TIMEOUT");
    }

    private static void assertIdleTimedOut(Stalls.Pair pair) throws Exception {
        Connection c = pair.connection();
        assertFalse(c.isOpen(), "isOpen() after the idle timeout");
        Stalls.expectFailure(ErrorKind.IDLE_TIMEOUT, () -> c.read(ByteBuffer.allocate(16)), "a read after the idle timeout");
        Stalls.expectFailure(ErrorKind.IDLE_TIMEOUT, () -> {
            c.write(ByteBuffer.wrap(new byte[] {1}));
            return "nothing";
        }, "a write after the idle timeout");
        assertPeerSeesEnd(pair.peer());
    }

    private static void assertPeerSeesEnd(Socket peer) throws IOException {
        try {
            Peer.End end = Peer.awaitEnd(peer);
            assertTrue(end == Peer.End.EOF || end == Peer.End.RESET, () -> "the peer saw " + end);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the peer did not see the connection end within " + Kit.defaultWait(), e);
        }
    }

    private void assertInterruptCancels(Stalls.Pair pair, String call, Stalls.Call blocking) throws Exception {
        Stalls.Blocking<Stalls.Outcome> task = Stalls.fork(kit, call, () -> Stalls.outcome(blocking));
        task.awaitBlocked("the " + call);
        assertFalse(task.result().isDone(), () -> "the " + call + " did not block: " + describe(task));
        task.thread().interrupt();
        Stalls.Outcome outcome = Kit.await(task.result());
        assertEquals(ErrorKind.CANCELLED, outcome.kind(), () -> "the interrupted " + call + " " + outcome);
        assertTrue(outcome.interrupted(), () -> "the " + call + " must leave the interrupt status set: " + outcome);
        Connection c = pair.connection();
        assertFalse(c.isOpen(), "an interrupted " + call + " aborts the connection");
        Stalls.expectFailure(ErrorKind.CANCELLED, () -> c.read(ByteBuffer.allocate(16)),
                "a read after an interrupted " + call);
        assertPeerSeesEnd(pair.peer());
    }

    private void assertAlreadyInterruptedCallCancels(Stalls.Pair pair, Stalls.Call call) throws Exception {
        Future<Stalls.Outcome> task = kit.fork("interrupted-call", () -> {
            Thread.currentThread().interrupt();
            long start = System.nanoTime();
            Stalls.Outcome outcome = Stalls.outcome(call);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            Thread.interrupted(); // the thread ends here; clear the flag anyway
            assertTrue(took.compareTo(Stalls.SLACK) < 0, () -> "the call took " + took + "; it must fail at once");
            return outcome;
        });
        Stalls.Outcome outcome = Kit.await(task);
        assertEquals(ErrorKind.CANCELLED, outcome.kind(), () -> "a call by an interrupted thread " + outcome);
        assertTrue(outcome.interrupted(), () -> "the call must leave the interrupt status set: " + outcome);
        assertFalse(pair.connection().isOpen(), "a call by an interrupted thread aborts the connection");
    }

    private static String describe(Stalls.Blocking<?> task) {
        return Stalls.describe(task.result());
    }
}
