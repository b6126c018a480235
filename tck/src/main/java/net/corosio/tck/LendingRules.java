package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Future;
import net.corosio.BufferLease;
import net.corosio.Capability;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TlsConfig;
import net.corosio.TransportException;
import net.corosio.spi.AbstractTransport;

/**
 * The rules of SPEC.md section 13: buffers the transport lends ({@link Connection#receive()}) and
 * writes that take them over ({@link Connection#write(BufferLease)}). Every backend runs them on
 * its own buffers — Netty's pooled direct buffers, Jetty's pooled (direct, or heap for TLS)
 * buffers, the nio loop's heap chunks, loom's pooled heap buffers — plain and over TLS, in the
 * kit's executor mode.
 */
public abstract class LendingRules extends RuleGroup {

    /** How long the bulk transfers may take on a slow, shared machine. */
    private static final Duration BULK_WAIT = Kit.scaled(Duration.ofSeconds(60));

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected LendingRules(TransportKit owner) {
        super(owner);
    }

    /** Echoes by handing every lease it receives to a write: what an echo server copies nothing with. */
    static void leaseEcho(Connection connection) throws TransportException {
        BufferLease lease;
        while ((lease = connection.receive()) != null) {
            connection.write(lease);
        }
    }

    /** Receives until end-of-stream, giving every lease back; asserts what each lease must be. */
    static byte[] receiveToEnd(Connection connection, int expected) throws TransportException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(expected);
        while (true) {
            try (BufferLease lease = connection.receive()) {
                if (lease == null) {
                    return out.toByteArray();
                }
                copyOut(lease, out);
            }
        }
    }

    /** Receives exactly {@code size} bytes, mixing receives and reads of random sizes at random. */
    private static byte[] receiveMixed(Connection connection, int size, Random random) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        while (out.size() < size) {
            if (random.nextBoolean()) {
                try (BufferLease lease = connection.receive()) {
                    if (lease == null) {
                        throw new EOFException("end-of-stream after " + out.size() + " of " + size + " bytes");
                    }
                    copyOut(lease, out);
                }
            } else {
                ByteBuffer buffer = ByteBuffer.allocate(1 + random.nextInt(Math.min(size - out.size(), 16 * 1024)));
                if (connection.read(buffer) < 0) {
                    throw new EOFException("end-of-stream after " + out.size() + " of " + size + " bytes");
                }
                out.write(buffer.array(), 0, buffer.position());
            }
        }
        return out.toByteArray();
    }

    private static void copyOut(BufferLease lease, ByteArrayOutputStream out) {
        ByteBuffer bytes = lease.buffer();
        assertTrue(bytes.hasRemaining(), "a lease holds at least one byte");
        assertTrue(bytes.isReadOnly(), "a lent buffer is read-only");
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        out.writeBytes(copy);
    }

    private Stalls.Pair clientPair() throws Exception {
        return Stalls.clientPair(kit, DataRules.boundedReads().build(), 0);
    }

    /** The transport holds no lease once everything given back has come back. */
    private void assertNothingLent(String after) {
        Kit.eventually("every lent buffer to be back after " + after,
                () -> kit.transport().metrics().lentBuffers() == 0);
    }

    private String lendersOf(Connection connection) {
        return kit.transport() instanceof AbstractTransport transport
                ? String.join("; ", transport.lendingConnections())
                : String.valueOf(connection);
    }

    // ------------------------------------------------------------------ 13.1

    @RequiredRule
    void required_13_1_receivedBytesArriveInOrderNoneLostOrDuplicated() throws Exception {
        Stalls.Pair pair = clientPair();
        byte[] tiny = kit.randomBytes(2_000);
        byte[] bulk = kit.randomBytes(1 << 20);
        Random writerRandom = new Random(kit.random().nextLong());
        Future<?> writer = kit.fork("oracle-writer", () -> {
            Peer.writeChunked(pair.peer(), tiny, writerRandom, 1); // one byte per segment
            Peer.writeChunked(pair.peer(), bulk, writerRandom, 64 * 1024);
            pair.peer().shutdownOutput();
            return null;
        });
        byte[] received = Kit.await(kit.fork("receiver", () -> receiveToEnd(pair.connection(), tiny.length + bulk.length)),
                BULK_WAIT);
        Kit.await(writer);
        assertArrayEquals(tiny, Arrays.copyOf(received, Math.min(received.length, tiny.length)),
                "bytes sent one at a time, received by leases");
        assertArrayEquals(bulk, Arrays.copyOfRange(received, tiny.length, received.length),
                "bytes sent in chunks, received by leases");
        assertNothingLent("every lease was closed");
    }

    @RequiredRule
    void required_13_1_receivesAndReadsMixedOnOneConnectionKeepTheOrder() throws Exception {
        Stalls.Pair pair = clientPair();
        byte[] data = kit.randomBytes(512 * 1024);
        Random writerRandom = new Random(kit.random().nextLong());
        Future<?> writer = kit.fork("oracle-writer", () -> {
            Peer.writeChunked(pair.peer(), data, writerRandom, 8 * 1024);
            return null;
        });
        Random reads = new Random(kit.random().nextLong());
        byte[] received = Kit.await(kit.fork("mixed-reader", () -> receiveMixed(pair.connection(), data.length, reads)),
                BULK_WAIT);
        Kit.await(writer);
        assertArrayEquals(data, received, "reads and receives take one stream, in order");
        assertNothingLent("every lease was closed");
    }

    // ------------------------------------------------------------------ 13.2

    @RequiredRule
    void required_13_2_receiveReturnsNullAfterEveryByteAndAgainLater() throws Exception {
        Stalls.Pair pair = clientPair();
        byte[] data = kit.randomBytes(100_000);
        Peer.writeChunked(pair.peer(), data, kit.random(), 4 * 1024);
        pair.peer().shutdownOutput();
        byte[] received = Kit.await(kit.fork("receiver", () -> receiveToEnd(pair.connection(), data.length)));
        assertArrayEquals(data, received, "end-of-stream never overtakes data");
        assertNull(pair.connection().receive(), "end-of-stream is a state: receive returns null again");
        assertEquals(-1, pair.connection().read(ByteBuffer.allocate(8)), "and read returns -1 again");
        assertTrue(pair.connection().isOpen(), "half-closed is still open");
    }

    @RequiredRule
    void required_13_2_aResetFailsAWaitingReceiverWithResetEveryTime() throws Exception {
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        Stalls.Blocking<BufferLease> receive = Stalls.fork(kit, "receive", () -> pair.connection().receive());
        receive.awaitBlocked("the receive");
        Peer.reset(pair.peer());
        Stalls.expectFailure(ErrorKind.RESET, () -> Kit.await(receive.result()), "a receive waiting when the peer reset");
        Stalls.expectFailure(ErrorKind.RESET, () -> pair.connection().receive(), "a receive after the reset");
        Stalls.expectFailure(ErrorKind.RESET, () -> pair.connection().read(ByteBuffer.allocate(8)), "a read after it");
    }

    @RequiredRule
    void required_13_2_aReceiveTimesOutAsAReadDoesAndTheConnectionStaysUsable() throws Exception {
        Duration timeout = Kit.scaled(Duration.ofMillis(300));
        Stalls.Pair pair = Stalls.clientPair(kit, ConnectionOptions.builder().readTimeout(timeout).build(), 0);
        long start = System.nanoTime();
        Stalls.expectFailure(ErrorKind.READ_TIMEOUT, () -> Kit.await(kit.fork("receive", () -> pair.connection().receive())),
                "a receive with nothing to receive");
        assertTrue(System.nanoTime() - start >= timeout.toNanos() - Stalls.EARLY.toNanos(), "no sooner than the timeout");
        assertTrue(pair.connection().isOpen(), "READ_TIMEOUT leaves the connection open");
        pair.peer().getOutputStream().write(new byte[] {1, 2, 3});
        try (BufferLease lease = Kit.await(kit.fork("receive-again", () -> pair.connection().receive()))) {
            assertNotNull(lease, "a receive after READ_TIMEOUT gets the data sent later");
            assertEquals(1, lease.buffer().get(0));
        }
    }

    @RequiredRule
    void required_13_2_aCloseOrAnInterruptStopsAWaitingReceiverAsItStopsARead() throws Exception {
        Stalls.Pair closed = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        Stalls.Blocking<BufferLease> receive = Stalls.fork(kit, "receive", () -> closed.connection().receive());
        receive.awaitBlocked("the receive");
        closed.connection().close();
        Stalls.expectFailure(ErrorKind.CLOSED, () -> Kit.await(receive.result()), "a receive waiting when another thread closed");

        Stalls.Pair interrupted = Stalls.clientPair(kit, ConnectionOptions.defaults(), 0);
        Stalls.Blocking<Stalls.Outcome> task = Stalls.fork(kit, "receive",
                () -> Stalls.outcome(() -> interrupted.connection().receive()));
        task.awaitBlocked("the receive");
        task.thread().interrupt();
        Stalls.Outcome outcome = Kit.await(task.result());
        assertEquals(ErrorKind.CANCELLED, outcome.kind(), () -> "the interrupted receive " + outcome);
        assertTrue(outcome.interrupted(), () -> "the receive must leave the interrupt status set: " + outcome);
        assertFalse(interrupted.connection().isOpen(), "an interrupted receive aborts the connection");
    }

    // ------------------------------------------------------------------ 13.3

    @RequiredRule
    void required_13_3_aLeaseIsReadOnlyAndFailsLoudlyOnceGivenBack() throws Exception {
        Stalls.Pair pair = clientPair();
        pair.peer().getOutputStream().write(new byte[] {'a', 'b', 'c'});
        BufferLease lease = pair.connection().receive();
        assertNotNull(lease);
        ByteBuffer bytes = lease.buffer();
        assertThrows(ReadOnlyBufferException.class, () -> bytes.put(0, (byte) 'z'), "a lent buffer is read-only");
        lease.close();
        lease.close(); // idempotent
        IllegalStateException used = assertThrows(IllegalStateException.class, lease::buffer,
                "a lease used after it was given back");
        assertNamesConnection(used, pair.connection());
        IllegalStateException written = assertThrows(IllegalStateException.class, () -> pair.connection().write(lease),
                "a lease written after it was given back");
        assertNamesConnection(written, pair.connection());
        assertNothingLent("the lease was closed twice");
    }

    @RequiredRule
    void required_13_3_aLeaseHandedToAWriteIsNoLongerTheCallers() throws Exception {
        Stalls.Pair pair = clientPair();
        pair.peer().getOutputStream().write(new byte[] {'e', 'c', 'h', 'o'});
        BufferLease lease = pair.connection().receive();
        int size = lease.buffer().remaining();
        pair.connection().write(lease);
        IllegalStateException used = assertThrows(IllegalStateException.class, lease::buffer,
                "a lease used after a write took it over");
        assertNamesConnection(used, pair.connection());
        assertThrows(IllegalStateException.class, () -> pair.connection().write(lease), "a lease written twice");
        lease.close(); // does nothing: the write owns it
        assertArrayEquals(Arrays.copyOf("echo".getBytes(java.nio.charset.StandardCharsets.US_ASCII), size),
                Peer.readExactly(pair.peer(), size), "the write still sends the bytes");
        assertNothingLent("the write finished with the lease");
    }

    private static void assertNamesConnection(IllegalStateException e, Connection connection) {
        String port = String.valueOf(connection.localAddress().getPort());
        assertTrue(e.getMessage() != null && e.getMessage().contains(port),
                () -> "the message must name the connection that lent the buffer (" + connection + "): " + e.getMessage());
    }

    // ------------------------------------------------------------------ 13.4

    @RequiredRule
    void required_13_4_anEchoThatWritesTheLeasesItReceivesCarriesEveryByteInOrder() throws Exception {
        Server server = kit.serve(LendingRules::leaseEcho);
        Socket client = kit.oracleConnect(server.localAddress());
        byte[] tiny = kit.randomBytes(2_000);
        byte[] bulk = kit.randomBytes(1 << 20);
        Random writerRandom = new Random(kit.random().nextLong());
        Future<?> writer = kit.fork("oracle-writer", () -> {
            Peer.writeChunked(client, tiny, writerRandom, 1);
            Peer.writeChunked(client, bulk, writerRandom, 16 * 1024);
            client.shutdownOutput();
            return null;
        });
        assertArrayEquals(tiny, Peer.readExactly(client, tiny.length), "echo of bytes sent one at a time");
        assertArrayEquals(bulk, Peer.readExactly(client, bulk.length), "echo of bytes sent in chunks");
        Kit.await(writer, BULK_WAIT);
        assertEquals(Peer.End.EOF, Peer.awaitEnd(client), "the handler returned at end-of-stream");
        assertNothingLent("the echo wrote every lease");
    }

    @RequiredRule
    void required_13_4_aWriteSendsOnlyWhatRemainsBetweenTheBuffersPositionAndLimit() throws Exception {
        Stalls.Pair pair = clientPair();
        byte[] data = kit.randomBytes(20_000);
        Peer.writeChunked(pair.peer(), data, kit.random(), 1_000);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int received = 0;
        while (received < data.length) {
            BufferLease lease = pair.connection().receive();
            assertNotNull(lease, "the peer has not ended its stream");
            ByteBuffer bytes = lease.buffer();
            int n = bytes.remaining();
            int skip = n >= 2 ? 1 : 0; // consumed by the application
            int drop = n >= 3 ? 1 : 0; // cut off by the limit
            expected.write(data, received + skip, n - skip - drop);
            bytes.position(bytes.position() + skip).limit(bytes.limit() - drop);
            pair.connection().write(lease);
            received += n;
        }
        byte[] want = expected.toByteArray();
        assertArrayEquals(want, Peer.readExactly(pair.peer(), want.length), "each write sent its lease's position to limit");
        assertNothingLent("every lease was written");
    }

    @RequiredRule
    void required_13_4_aLeaseWrittenToAnotherConnectionIsForwardedIntact() throws Exception {
        Stalls.Pair from = clientPair();
        ServerSocket sink = kit.oracleServer();
        Connection to = kit.connect(new InetSocketAddress(Kit.LOOPBACK, sink.getLocalPort()));
        Socket sinkPeer = kit.accept(sink);
        byte[] data = kit.randomBytes(1 << 20);
        Random writerRandom = new Random(kit.random().nextLong());
        Future<?> writer = kit.fork("oracle-writer", () -> {
            Peer.writeChunked(from.peer(), data, writerRandom, 32 * 1024);
            from.peer().shutdownOutput();
            return null;
        });
        Future<?> proxy = kit.fork("proxy", () -> {
            BufferLease lease;
            while ((lease = from.connection().receive()) != null) {
                to.write(lease); // no copy: the other connection sends the lent buffer
            }
            to.shutdownOutput();
            return null;
        });
        assertArrayEquals(data, Kit.await(kit.fork("sink", () -> Peer.readToEnd(sinkPeer)), BULK_WAIT),
                "what one connection lent, another wrote, every byte in order");
        Kit.await(writer);
        Kit.await(proxy);
        assertNothingLent("the proxy wrote every lease");
    }

    @RequiredRule
    void required_13_4_aFailedWriteGivesTheLeaseBackAtOnce() throws Exception {
        Stalls.Pair from = clientPair();
        Stalls.Pair to = clientPair();
        from.peer().getOutputStream().write(new byte[] {1, 2, 3});
        BufferLease lease = from.connection().receive();
        to.connection().abort();
        Stalls.expectFailure(ErrorKind.CLOSED, () -> {
            to.connection().write(lease);
            return null;
        }, "writing a lease to an aborted connection");
        assertEquals(0, kit.transport().metrics().lentBuffers(), "the failed write gave the lease back at once");
        assertThrows(IllegalStateException.class, lease::buffer, "the failed write took it over all the same");
    }

    // ------------------------------------------------------------------ 13.5

    @RequiredRule
    void required_13_5_aLeaseNotGivenBackIsCountedAndNamedEvenAfterItsConnectionCloses() throws Exception {
        Stalls.Pair pair = clientPair();
        pair.peer().getOutputStream().write(new byte[] {42});
        BufferLease lease = pair.connection().receive();
        assertEquals(1, kit.transport().metrics().lentBuffers(), "a lease out is counted");
        assertTrue(lendersOf(pair.connection()).contains(String.valueOf(pair.connection().localAddress().getPort())),
                () -> "the transport names the connection that lent it: " + lendersOf(pair.connection()));
        pair.connection().abort();
        Kit.eventually("the aborted connection to be released", () -> kit.transport().metrics().openConnections() == 0);
        assertEquals(1, kit.transport().metrics().lentBuffers(), "a lease outlives its connection, and still counts");
        assertTrue(lendersOf(pair.connection()).contains(String.valueOf(pair.connection().localAddress().getPort())),
                () -> "and its closed connection is still named: " + lendersOf(pair.connection()));
        assertEquals(42, lease.buffer().get(lease.buffer().position()), "and its bytes are still readable");
        lease.close();
        assertEquals(0, kit.transport().metrics().lentBuffers(), "given back, it no longer counts");
        assertEquals(List.of(), kit.transport() instanceof AbstractTransport t ? t.lendingConnections() : List.of(),
                "and no connection is named any more");
    }

    // ------------------------------------------------------------------ 13.6

    @RequiredRule
    void required_13_6_overTlsLeasesCarryDecryptedBytesBothWays() throws Exception {
        kit.assumeCapability(Capability.TLS);
        ConnectionHandler echo = LendingRules::leaseEcho;
        Server server = kit.serve(ServerOptions.builder().tls(TlsConfig.builder(kit.certs().serverContext()).build()).build(),
                echo);
        Connection client = Kit.await(kit.fork("connect", () -> kit.connect(server.localAddress(),
                ClientOptions.builder().tls(TlsConfig.builder(kit.certs().clientContext()).build())
                        .connection(DataRules.boundedReads().build()).build())));
        byte[] data = kit.randomBytes(1 << 20);
        Random writes = new Random(kit.random().nextLong());
        Future<?> writer = kit.fork("writer", () -> {
            int offset = 0;
            while (offset < data.length) {
                int n = Math.min(data.length - offset, 1 + writes.nextInt(offset < 300 ? 1 : 40 * 1024));
                client.write(ByteBuffer.wrap(data, offset, n));
                offset += n;
            }
            return null;
        });
        Random reads = new Random(kit.random().nextLong());
        byte[] echoed = Kit.await(kit.fork("mixed-reader", () -> receiveMixed(client, data.length, reads)), BULK_WAIT);
        Kit.await(writer, BULK_WAIT);
        assertArrayEquals(data, echoed, "decrypted into leases, encrypted from leases, received by leases");
        assertNothingLent("every lease over TLS was written or closed");
    }
}
