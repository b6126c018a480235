package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import net.corosio.Capability;
import net.corosio.Connection;
import net.corosio.ErrorKind;
import net.corosio.ConnectionOptions;
import net.corosio.Server;
import net.corosio.SocketOptions;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import net.corosio.tck.TlsPeers.EnginePeer;
import net.corosio.tck.TlsPeers.Ending;

/**
 * The rules of SPEC.md section 8 that hold TLS connections to what the plaintext rules ask: close
 * delivers queued output to a slow reader, a clean close reads as end-of-stream, and the data,
 * abort, backpressure and timeout rules of sections 3 to 7 hold through TLS.
 */
public abstract class TlsParityRules extends TlsRuleGroup {

    /** What the close tests write: far more than the kernel's buffers hold for a slow reader. */
    private static final int CLOSE_DATA = 512 * 1024;

    /** How long a hesitant reader waits between reads while the writer has not closed yet. */
    private static final Duration HESITATION = Kit.scaled(Duration.ofMillis(50));

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected TlsParityRules(TransportKit owner) {
        super(owner);
    }

    // ================================================================== 8.17 close delivers queued output

    @RequiredRule
    void required_8_17_clientCloseDeliversQueuedOutputToASlowReaderThenCloseNotify() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String protocol : BOTH) {
            byte[] data = kit.randomBytes(CLOSE_DATA);
            ServerSocket oracle = Stalls.oracleServer(kit, Stalls.SMALL_BUFFER);
            Future<Seen> seen = kit.fork("oracle-read-slowly", () -> readSlowlyToEnd(
                    TlsPeers.serve(kit.accept(oracle), kit.certs().serverContext(), protocol).handshake()));
            Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext()).build(), queueing());
            Random chunks = new Random(kit.random().nextLong());
            Future<Void> writer = kit.fork("write-then-close", () -> {
                writeChunked(client, data, chunks, 64 * 1024);
                client.close();
                return null;
            });
            Seen result = Kit.await(seen, Kit.defaultWait().multipliedBy(2));
            Kit.await(writer);
            assertDeliveredThenClean(protocol + ", the client's close()", data, result);
        }
    }

    @RequiredRule
    void required_8_17_handlerCloseDeliversQueuedOutputToASlowReaderThenCloseNotify() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String protocol : BOTH) {
            // TLS 1.3: the handler closes; TLS 1.2: it returns and the server closes.
            boolean explicitClose = protocol.equals(TLS13);
            byte[] data = kit.randomBytes(CLOSE_DATA);
            Server server = serve(serverTls(protocol).build(), queueing(), c -> {
                c.write(ByteBuffer.wrap(data));
                if (explicitClose) {
                    c.close();
                }
            });
            EnginePeer peer = TlsPeers.client(kit.oracleConnect(addressOf(server), Stalls.SMALL_BUFFER),
                    kit.certs().clientContext()).handshake();
            Seen result = Kit.await(kit.fork("oracle-read-slowly", () -> readSlowlyToEnd(peer)),
                    Kit.defaultWait().multipliedBy(2));
            assertDeliveredThenClean(protocol + (explicitClose ? ", the handler's close()" : ", the handler returned"),
                    data, result);
        }
    }

    /**
     * Options under which a write returns long before its bytes are sent to a slow reader: a small
     * send buffer and an outbound queue that takes the whole write, so close() finds it full.
     */
    private static ConnectionOptions queueing() {
        return ConnectionOptions.builder()
                .writeWaterMarks(CLOSE_DATA / 2, CLOSE_DATA)
                .socket(SocketOptions.defaults().withSendBufferSize(Stalls.SMALL_BUFFER))
                .build();
    }

    /**
     * Reads 64 KiB every {@link #HESITATION} until the stream ends — a reader slower than a close
     * that gives up early, much faster than the default close timeout.
     */
    private static Seen readSlowlyToEnd(EnginePeer peer) throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        try {
            while (true) {
                for (int budget = 64 * 1024; budget > 0; ) {
                    int n = peer.read(buffer, 0, Math.min(buffer.length, budget));
                    if (n < 0) {
                        return new Seen(peer.readToEnd(sink), sink.toByteArray());
                    }
                    sink.write(buffer, 0, n);
                    budget -= n;
                }
                Thread.sleep(HESITATION.toMillis());
            }
        } catch (TlsPeers.TruncatedException e) {
            return new Seen(Ending.TRUNCATED, sink.toByteArray());
        } catch (SocketException e) {
            if (TlsPeers.isReset(e)) {
                return new Seen(Ending.RESET, sink.toByteArray());
            }
            throw e;
        }
    }

    private static void assertDeliveredThenClean(String how, byte[] data, Seen seen) {
        assertEquals(data.length, seen.bytes().length, how + " with output queued for a slow reader: the peer must "
                + "receive every byte written before close() (it ended " + seen.ending() + ")");
        assertArrayEquals(data, seen.bytes(), how + ": the bytes written before close() must arrive intact");
        assertEquals(Ending.CLEAN, seen.ending(), how + ": after the last byte the peer must see close_notify, then "
                + "the TCP end-of-stream");
    }

    // ================================================================== 8.18 a clean close reads -1

    @RequiredRule
    void required_8_18_aClientReadsEndOfStreamWhenThePeerClosesCleanly() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String protocol : BOTH) {
            byte[] data = kit.randomBytes(5_000);
            ServerSocket oracle = kit.oracleServer();
            Future<Void> side = kit.fork("oracle-close-cleanly", () -> {
                EnginePeer peer = TlsPeers.serve(kit.accept(oracle), kit.certs().serverContext(), protocol).handshake();
                peer.write(data);
                peer.closeNotify();
                peer.socket().shutdownOutput();
                return null;
            });
            Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext()).build());
            Random reads = new Random(kit.random().nextLong());
            assertArrayEquals(data, within("backend-read", () -> Peer.readExactly(client, data.length, reads)),
                    protocol + ": the bytes before the peer's close_notify");
            Kit.await(side);
            assertEquals(List.of("returned -1", "returned -1"),
                    List.of(within("backend-read", () -> readOutcome(client)), within("backend-read", () -> readOutcome(client))),
                    protocol + ": after the peer's close_notify and TCP end-of-stream every read returns -1");
        }
    }

    @RequiredRule
    void required_8_18_aHandlerReadsEndOfStreamWhenThePeerClosesCleanly() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String protocol : BOTH) {
            byte[] data = kit.randomBytes(5_000);
            Random reads = new Random(kit.random().nextLong());
            CompletableFuture<List<String>> outcomes = new CompletableFuture<>();
            Server server = serve(serverTls(protocol).build(), reporting(outcomes, c -> {
                byte[] got = Peer.readExactly(c, data.length, reads);
                return List.of(Arrays.equals(data, got) ? "data intact" : "data differs", readOutcome(c),
                        readOutcome(c));
            }));
            EnginePeer peer = TlsPeers.connect(kit, addressOf(server), kit.certs().clientContext()).handshake();
            peer.write(data);
            peer.closeNotify();
            peer.socket().shutdownOutput();
            assertEquals(List.of("data intact", "returned -1", "returned -1"), Kit.await(outcomes),
                    protocol + ": after the peer's close_notify and TCP end-of-stream the handler's reads return -1");
        }
    }

    // ================================================================== 8.19 data and abort (3.4, 5.6)

    @RequiredRule
    void required_8_19_writesFromManyThreadsAreAtomicOnATlsClient() throws Exception {
        kit.assumeCapability(Capability.TLS);
        SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext());
        Future<SSLSocket> accepted = kit.fork("oracle-accept", () -> {
            SSLSocket socket = (SSLSocket) kit.accept(oracle);
            socket.startHandshake();
            return socket;
        });
        Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext()).build());
        SSLSocket peer = Kit.await(accepted);
        DataRules.writeFramesConcurrentlyAndCheck(kit, client, peer.getInputStream(), FRAMES_EACH);
    }

    @RequiredRule
    void required_8_19_writesFromManyThreadsAreAtomicOnAnAcceptedTlsConnection() throws Exception {
        kit.assumeCapability(Capability.TLS);
        CompletableFuture<Connection> accepted = new CompletableFuture<>();
        CountDownLatch done = new CountDownLatch(1);
        Server server = serve(serverTls().build(), c -> {
            accepted.complete(c);
            done.await(Kit.defaultWait().toMillis() * 6, TimeUnit.MILLISECONDS);
        });
        kit.track((AutoCloseable) done::countDown);
        SSLSocket client = kit.oracleTlsConnect(addressOf(server), kit.certs().clientContext());
        try {
            DataRules.writeFramesConcurrentlyAndCheck(kit, Kit.await(accepted), client.getInputStream(), FRAMES_EACH);
        } finally {
            done.countDown();
        }
        assertEquals(Peer.End.EOF, Peer.awaitEnd(client), "nothing may follow the last frame");
    }

    @RequiredRule
    void required_8_19_abortOfATlsConnectionMakesThePeerSeeAReset() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String protocol : BOTH) {
            byte[] hello = kit.randomBytes(100);
            // The backend's client aborts...
            SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext(), protocol);
            Future<Peer.End> clientsPeer = kit.fork("oracle-await-end", () -> {
                SSLSocket socket = (SSLSocket) kit.accept(oracle);
                socket.getOutputStream().write(hello);
                return Peer.awaitEnd(socket);
            });
            Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext()).build());
            assertArrayEquals(hello, within("backend-read", () -> Peer.readExactly(client, hello.length, new Random(3))));
            client.abort();
            assertEquals(Peer.End.RESET, Kit.await(clientsPeer), protocol + ": the client's abort() must make its "
                    + "peer see a reset");
            // ...and so does a handler.
            Server server = serve(serverTls(protocol).build(), c -> {
                c.write(ByteBuffer.wrap(hello));
                c.abort();
            });
            SSLSocket peer = kit.oracleTlsConnect(addressOf(server), kit.certs().clientContext());
            assertEquals(Peer.End.RESET, Peer.awaitEnd(peer), protocol + ": a handler's abort() must make its peer "
                    + "see a reset");
        }
    }

    // ================================================================== 8.20 backpressure (6.1, 6.2)

    @RequiredRule
    void required_8_20_aTlsHandlerThatDoesNotReadBoundsWhatAFastPeerCanPush() throws Exception {
        kit.assumeCapability(Capability.TLS);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        ConnectionOptions slowReader = ConnectionOptions.builder()
                .inboundLimit(INBOUND_LIMIT)
                .socket(SocketOptions.defaults().withReceiveBufferSize(SMALL))
                .build();
        Server server = serve(serverTls().build(), slowReader, reporting(received, c -> {
            if (!release.await(Kit.defaultWait().toMillis() * 3, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the test never released the handler");
            }
            return Peer.readToEnd(c);
        }));
        kit.track((AutoCloseable) release::countDown);
        Socket plain = kit.track(new Socket());
        plain.setSendBufferSize(SMALL);
        plain.setTcpNoDelay(true);
        plain.connect(addressOf(server));
        SSLSocket peer = layeredClient(plain, kit.certs().clientContext());
        peer.startHandshake();
        byte[] data = kit.randomBytes(4 * 1024 * 1024);
        AtomicLong pushed = new AtomicLong();
        Future<Void> pusher = kit.fork("oracle-push", () -> {
            for (int at = 0; at < data.length; at += 16 * 1024) {
                peer.getOutputStream().write(data, at, Math.min(16 * 1024, data.length - at));
                pushed.addAndGet(Math.min(16 * 1024, data.length - at));
            }
            peer.close();
            return null;
        });
        long stalled = Stalls.awaitQuiet("the plaintext a TLS peer got accepted", pushed::get, QUIET);
        // Linux doubles both buffers; TLS records add a little; the backend may hold its inbound limit.
        long bound = 2L * SMALL + 2L * SMALL + INBOUND_LIMIT + 64 * 1024;
        assertTrue(stalled <= bound, () -> "a TLS peer pushed " + stalled + " bytes before the handler read any; the "
                + "buffers and the inbound limit allow at most " + bound);
        release.countDown();
        assertArrayEquals(data, Kit.await(received), "once the handler reads, every byte must arrive intact");
        Kit.await(pusher);
    }

    @RequiredRule
    void required_8_20_aLargeTlsWriteSuspendsIsNotCopiedWholeAndCompletesWhenThePeerReads() throws Exception {
        kit.assumeCapability(Capability.TLS);
        byte[] data = kit.randomBytes(4 * 1024 * 1024);
        ByteBuffer source = ByteBuffer.wrap(data);
        CompletableFuture<Void> wrote = new CompletableFuture<>();
        Server server = serve(serverTls().build(), Stalls.smallBuffers().build(), reporting(wrote, c -> {
            c.write(source);
            return null;
        }));
        Socket plain = kit.oracleConnect(addressOf(server), SMALL);
        SSLSocket peer = layeredClient(plain, kit.certs().clientContext());
        peer.startHandshake();
        // The peer reads nothing: the ciphertext waiting in its kernel buffer stops growing.
        long waiting = Stalls.awaitQuiet("the ciphertext waiting at the peer", () -> Stalls.unread(plain), QUIET);
        assertFalse(wrote.isDone(), () -> "a TLS write of " + data.length + " bytes to a peer that does not read must "
                + "suspend, but it finished (" + Stalls.describe(wrote) + ")");
        // As for plaintext (6.2): beyond what the buffers hold, the caller's bytes must still be read
        // from its buffer, not from a copy (encrypted or not) of the whole write.
        int bound = 2 * SMALL + 2 * SMALL + SMALL + 128 * 1024 + 64 * 1024;
        for (int i = bound; i < data.length; i++) {
            data[i] ^= (byte) 0xA5;
        }
        byte[] got = Peer.readExactly(peer, data.length);
        Kit.await(wrote);
        int at = Arrays.mismatch(data, got);
        assertTrue(at < 0 || at < bound, () -> "byte " + at + " of the TLS write arrived as it was before the write "
                + "suspended (" + waiting + " bytes of ciphertext were waiting at the peer), although only " + bound + " fit in the buffers: "
                + "the backend encrypted or copied the whole write into its queue");
        assertArrayEquals(data, got, "once the peer reads, every byte must arrive intact");
    }

    // ================================================================== 8.21 timeouts (7.2, 7.4)

    @RequiredRule
    void required_8_21_aTlsWriteThatMakesNoProgressFailsWithWriteTimeoutOnTime() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (Duration timeout : Timing.TIMEOUTS) {
            SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext());
            oracle.setReceiveBufferSize(SMALL);
            Future<SSLSocket> accepted = kit.fork("oracle-accept", () -> {
                SSLSocket socket = (SSLSocket) kit.accept(oracle);
                socket.startHandshake();
                return socket; // and reads nothing
            });
            Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext()).build(),
                    Stalls.smallBuffers().writeTimeout(timeout).build());
            SSLSocket peer = Kit.await(accepted);
            long start = System.nanoTime();
            Kit.expectFailure(ErrorKind.WRITE_TIMEOUT,
                    () -> within("backend-write", () -> {
                        client.write(ByteBuffer.wrap(new byte[Stalls.HUGE]));
                        return null;
                    }));
            Timing.assertOnTime(Timing.since(start), timeout, "the write timeout of a TLS connection");
            assertEquals(Peer.End.RESET, Peer.awaitEnd(peer), "after WRITE_TIMEOUT the TLS connection is aborted: "
                    + "the peer must see a reset");
        }
    }

    @RequiredRule
    void required_8_21_anIdleTlsConnectionIsClosedOnTime() throws Exception {
        kit.assumeCapability(Capability.TLS);
        // One value (7.4 checks two): long enough that a slow handshake is never mistaken for idleness.
        for (Duration timeout : List.of(Timing.TIMEOUTS.getLast())) {
            Server server = serve(serverTls().build(), ConnectionOptions.builder().idleTimeout(timeout).build(),
                    Peer::echo);
            SSLSocket peer = kit.oracleTlsConnect(addressOf(server), kit.certs().clientContext());
            long handshaken = System.nanoTime();
            Peer.End end = Peer.awaitEnd(peer);
            Timing.assertOnTime(Timing.since(handshaken), timeout, "the idle timeout of a TLS connection ("
                    + "the peer saw " + end + ")");
        }
    }

    /** Frames per writer in the TLS 3.4 tests: enough to interleave, fewer than in plaintext. */
    private static final int FRAMES_EACH = 20;

    /** The small socket buffers of the backpressure tests. */
    private static final int SMALL = Stalls.SMALL_BUFFER;

    /** The backend's inbound limit in 8.20. */
    private static final int INBOUND_LIMIT = 16 * 1024;

    /** How long nothing may move before a pipeline counts as stalled. */
    private static final Duration QUIET = Kit.scaled(Duration.ofMillis(500));
}
