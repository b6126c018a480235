package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import net.corosio.Capability;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.Server;
import net.corosio.SocketOptions;
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
}
