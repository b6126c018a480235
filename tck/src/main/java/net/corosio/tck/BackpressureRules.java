package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.SocketOptions;

/** The rules of SPEC.md section 6: backpressure. */
public abstract class BackpressureRules extends RuleGroup {

    /** The backend's receive buffer in the 6.1 tests. */
    private static final int RECEIVE_BUFFER = 32 * 1024;

    /** The backend's inbound limit in the 6.1 tests. */
    private static final int INBOUND_LIMIT = 16 * 1024;

    /** The oracle's send buffer in the 6.1 tests. */
    private static final int PEER_SEND_BUFFER = 16 * 1024;

    /** What the kit allows above the sum of the buffers: segments in flight, rounding. */
    private static final int SLACK_BYTES = 64 * 1024;

    /**
     * The most of one large write a backend may have taken from the caller's buffer while the peer
     * reads nothing: the peer's receive and the backend's send buffers (each doubled by Linux), the
     * outbound queue up to its high water mark, one 64 KiB piece being copied, and slack.
     */
    private static final int COPY_BOUND = 2 * Stalls.SMALL_BUFFER + 2 * Stalls.SMALL_BUFFER + Stalls.SMALL_BUFFER
            + 64 * 1024 + SLACK_BYTES;

    /** How much a fast peer offers: far more than any bounded pipeline holds. */
    private static final int OFFERED = 4 * 1024 * 1024;

    /** How long nothing may move before a pipeline counts as stalled. */
    private static final Duration QUIET = Kit.scaled(Duration.ofMillis(500));

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected BackpressureRules(TransportKit owner) {
        super(owner);
    }

    // ------------------------------------------------------------------ 6.1

    @RequiredRule
    void required_6_1_aHandlerThatDoesNotReadBoundsWhatAFastPeerCanPush() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        Server server = kit.serve(ServerOptions.builder().connection(slowReader()).build(), c -> {
            try {
                if (!release.await(Kit.defaultWait().toMillis() * 3, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the test never released the handler");
                }
                received.complete(Peer.readToEnd(c));
            } catch (Exception e) {
                received.completeExceptionally(e);
                throw e;
            }
        });
        kit.track((AutoCloseable) release::countDown); // closed before the server: the handler returns
        SocketChannel peer = Stalls.pushingChannel(kit, server.localAddress(), PEER_SEND_BUFFER);

        byte[] data = kit.randomBytes(OFFERED);
        ByteBuffer offered = ByteBuffer.wrap(data);
        long pushed = Stalls.pushUntilStalled(peer, offered, QUIET);
        assertPushBounded(pushed);

        release.countDown();
        Future<Void> rest = kit.fork("push-the-rest", () -> {
            while (offered.hasRemaining()) {
                peer.write(offered);
            }
            peer.shutdownOutput();
            return null;
        });
        byte[] got = Kit.await(received);
        Kit.await(rest);
        assertEquals(data.length, got.length, "once the handler reads, every byte must arrive");
        assertArrayEquals(data, got, "once the handler reads, every byte must arrive intact and in order");
    }

    @RequiredRule
    void required_6_1_aClientThatDoesNotReadBoundsWhatAFastPeerCanPush() throws Exception {
        ServerSocketChannel listener = kit.track(ServerSocketChannel.open());
        listener.bind(new InetSocketAddress(Kit.LOOPBACK, 0));
        Connection c = kit.connect((InetSocketAddress) listener.getLocalAddress(), Stalls.client(slowReader()));
        // connect() returned, so the connection waits in the accept queue: accept() does not block.
        SocketChannel peer = kit.track(listener.accept());
        peer.setOption(StandardSocketOptions.SO_SNDBUF, PEER_SEND_BUFFER);
        peer.setOption(StandardSocketOptions.TCP_NODELAY, true);

        byte[] data = kit.randomBytes(OFFERED);
        ByteBuffer offered = ByteBuffer.wrap(data);
        long pushed = Stalls.pushUntilStalled(peer, offered, QUIET);
        assertPushBounded(pushed);

        Future<Void> rest = kit.fork("push-the-rest", () -> {
            while (offered.hasRemaining()) {
                peer.write(offered);
            }
            peer.shutdownOutput();
            return null;
        });
        byte[] got = Peer.readToEnd(c);
        Kit.await(rest);
        assertEquals(data.length, got.length, "once the application reads, every byte must arrive");
        assertArrayEquals(data, got, "once the application reads, every byte must arrive intact and in order");
    }

    // ------------------------------------------------------------------ 6.2

    @RequiredRule
    void required_6_2_writesStopBeingAcceptedOnceThePeerDoesNotReadAndTheBuffersAreFull() throws Exception {
        int chunk = 8 * 1024;
        Stalls.Pair pair = Stalls.clientPair(kit, Stalls.smallBuffers().build(), Stalls.SMALL_BUFFER);
        byte[] data = kit.randomBytes(OFFERED);
        AtomicLong accepted = new AtomicLong();
        Future<Void> writer = kit.fork("writer", () -> {
            for (int at = 0; at < data.length; at += chunk) {
                pair.connection().write(ByteBuffer.wrap(data, at, Math.min(chunk, data.length - at)));
                accepted.addAndGet(Math.min(chunk, data.length - at));
            }
            return null;
        });
        long stalledAt = Stalls.awaitQuiet("the bytes the writer got accepted", accepted::get, QUIET);
        assertFalse(writer.isDone(), () -> "writes to a peer that does not read must suspend, but the writer "
                + "finished (" + Stalls.describe(writer) + ") after " + accepted.get() + " bytes");
        // The peer's receive buffer and the backend's send buffer (each doubled by Linux), the
        // backend's outbound queue up to its high water mark, and the write that found it full.
        long bound = 2L * Stalls.SMALL_BUFFER + 2L * Stalls.SMALL_BUFFER + Stalls.SMALL_BUFFER + chunk + SLACK_BYTES;
        assertTrue(stalledAt <= bound, () -> "the backend accepted " + stalledAt + " bytes for a peer that does "
                + "not read; the buffers and the high water mark allow at most " + bound);

        byte[] got = Peer.readExactly(pair.peer(), data.length);
        Kit.await(writer);
        assertArrayEquals(data, got, "once the peer reads, every byte must arrive intact and in order");
    }

    @RequiredRule
    void required_6_2_aLargeWriteSuspendsWhileThePeerDoesNotReadAndCompletesWhenItReads() throws Exception {
        Stalls.Pair pair = Stalls.serverPair(kit, Stalls.smallBuffers().build(), Stalls.SMALL_BUFFER);
        byte[] data = kit.randomBytes(OFFERED);
        ByteBuffer source = ByteBuffer.wrap(data);
        Future<Void> writer = kit.fork("writer", () -> {
            pair.connection().write(source);
            return null;
        });
        long waiting = Stalls.awaitQuiet("the bytes waiting at the peer", () -> Stalls.unread(pair.peer()), QUIET);
        assertFalse(writer.isDone(), () -> "a write of " + data.length + " bytes to a peer that does not read must "
                + "suspend, but it finished (" + Stalls.describe(writer) + ") with " + waiting + " bytes at the peer");

        // A backend bounded by its water mark has taken no more than the buffers hold from the
        // caller's buffer. Change everything beyond that: a backend that read from the buffer as
        // room appeared sends the new bytes; one that copied the whole write into its queue sends
        // the old ones, having held 4 MiB for a peer that reads nothing.
        int bound = COPY_BOUND;
        for (int i = bound; i < data.length; i++) {
            data[i] ^= (byte) 0xA5;
        }
        byte[] got = Peer.readExactly(pair.peer(), data.length);
        Kit.await(writer);
        assertEquals(source.limit(), source.position(), "the write leaves the buffer's position at its limit");
        int at = Arrays.mismatch(data, got);
        assertTrue(at < 0 || at < bound, () -> "byte " + at + " of the write arrived as it was before the write "
                + "suspended, although only " + bound + " bytes fit in the kernel's buffers and the backend's queue "
                + "(high water mark " + Stalls.SMALL_BUFFER + "): the backend copied the whole write into its queue");
        assertArrayEquals(data, got, "once the peer reads, every byte must arrive intact and in order");
    }

    // ------------------------------------------------------------------ 6.3

    @RequiredRule
    void required_6_3_aWriteLargerThanEveryBufferToASlowReaderCompletesInOrder() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, Stalls.smallBuffers().build(), Stalls.SMALL_BUFFER);
        byte[] data = kit.randomBytes(2 * 1024 * 1024);
        Future<Void> writer = kit.fork("writer", () -> {
            pair.connection().write(ByteBuffer.wrap(data));
            return null;
        });
        byte[] got = readSlowly(pair.peer(), data.length);
        Kit.await(writer);
        assertArrayEquals(data, got, "a large write must arrive intact and in order");
    }

    @RequiredRule
    void required_6_3_aLargeGatheringWriteFromAnAcceptedConnectionToASlowReaderCompletesInOrder() throws Exception {
        Stalls.Pair pair = Stalls.serverPair(kit, Stalls.smallBuffers().build(), Stalls.SMALL_BUFFER);
        byte[] data = kit.randomBytes(2 * 1024 * 1024);
        // Heap and direct buffers of uneven sizes, each larger than every buffer between the ends.
        int[] cuts = {0, 300 * 1024 + 7, 1024 * 1024 + 1, 1536 * 1024 - 3, data.length};
        ByteBuffer[] parts = new ByteBuffer[cuts.length - 1];
        for (int i = 0; i < parts.length; i++) {
            int size = cuts[i + 1] - cuts[i];
            ByteBuffer part = i % 2 == 0 ? ByteBuffer.allocate(size) : ByteBuffer.allocateDirect(size);
            parts[i] = part.put(data, cuts[i], size).flip();
        }
        Future<Void> writer = kit.fork("writer", () -> {
            pair.connection().write(parts);
            return null;
        });
        byte[] got = readSlowly(pair.peer(), data.length);
        Kit.await(writer);
        for (ByteBuffer part : parts) {
            assertFalse(part.hasRemaining(), "a gathering write leaves every buffer's position at its limit");
        }
        assertArrayEquals(data, got, "a large gathering write must arrive intact and in order");
    }

    // ------------------------------------------------------------------ helpers

    private static ConnectionOptions slowReader() {
        return ConnectionOptions.builder()
                .inboundLimit(INBOUND_LIMIT)
                .socket(SocketOptions.defaults().withReceiveBufferSize(RECEIVE_BUFFER))
                .build();
    }

    private static void assertPushBounded(long pushed) {
        // Linux doubles both buffer sizes; the backend may hold up to its inbound limit besides.
        long bound = 2L * RECEIVE_BUFFER + 2L * PEER_SEND_BUFFER + INBOUND_LIMIT + SLACK_BYTES;
        assertTrue(pushed <= bound, () -> "a peer pushed " + pushed + " bytes before the application read any; "
                + "with a " + RECEIVE_BUFFER + "-byte receive buffer, a " + PEER_SEND_BUFFER + "-byte peer send buffer "
                + "and an inbound limit of " + INBOUND_LIMIT + " at most " + bound + " may be taken");
        assertTrue(pushed > 0, "the peer could not push a single byte");
    }

    /** Reads {@code size} bytes in random small pieces, a slow reader behind a small window. */
    private byte[] readSlowly(Socket peer, int size) throws Exception {
        byte[] all = new byte[size];
        InputStream in = peer.getInputStream();
        int at = 0;
        while (at < size) {
            int n = in.read(all, at, Math.min(size - at, 1 + kit.random().nextInt(4096)));
            if (n < 0) {
                throw new EOFException("end-of-stream after " + at + " of " + size + " bytes");
            }
            at += n;
        }
        return all;
    }
}
