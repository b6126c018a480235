package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import net.corosio.Capability;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.ServerMetrics;
import net.corosio.ServerOptions;
import net.corosio.TlsConfig;
import net.corosio.Transport;
import net.corosio.TransportException;
import net.corosio.TransportMetrics;

/** The rules of SPEC.md section 10, observability. */
public abstract class ObservabilityRules extends RuleGroup {

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected ObservabilityRules(TransportKit owner) {
        super(owner);
    }

    // ------------------------------------------------------------------ 10.1

    @RequiredRule
    void required_10_1_serverMetricsCountAcceptedConnectionsAndActiveReturnsToZero() throws Exception {
        int connections = 5;
        CountDownLatch allRunning = new CountDownLatch(connections);
        CountDownLatch release = new CountDownLatch(1);
        Server server = kit.serve(c -> {
            allRunning.countDown();
            if (!release.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("kit: the test never released the handlers");
            }
        });
        assertEquals(new ServerMetrics(0, 0, 0, 0, 0, 0, 0), server.metrics(), "a new server counts nothing");

        List<Socket> peers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            peers.add(kit.oracleConnect(server.localAddress()));
        }
        assertTrue(allRunning.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS), "the handlers did not all run");
        Kit.eventually("accepted and active to count " + connections + " running handlers", () -> {
            ServerMetrics m = server.metrics();
            return m.accepted() == connections && m.active() == connections;
        });

        release.countDown();
        for (Socket peer : peers) {
            assertEquals(Peer.End.EOF, Peer.awaitEnd(peer));
        }
        Kit.eventually("active to return to zero once every handler finished", () -> server.metrics().active() == 0);
        ServerMetrics after = server.metrics();
        assertEquals(connections, after.accepted(), "accepted counts every connection, running or finished");
        assertEquals(0, after.rejected());
        assertEquals(0, after.handlerFailures());
    }

    // ------------------------------------------------------------------ 10.2

    @RequiredRule
    void required_10_2_serverMetricsCountTheBytesHandlersReadAndWroteExactly() throws Exception {
        // Each handler reads to end-of-stream, then writes what it read twice: once in one write and
        // once as a gathering write of a heap, a direct and a heap buffer. The -1 read counts nothing.
        long readSeed = kit.random().nextLong();
        Server server = kit.serve(c -> {
            byte[] request = readToEndInRandomReads(c, new Random(readSeed));
            c.write(ByteBuffer.wrap(request));
            int a = request.length / 3;
            int b = request.length / 2;
            ByteBuffer direct = ByteBuffer.allocateDirect(b - a).put(request, a, b - a).flip();
            c.write(ByteBuffer.wrap(request, 0, a), direct, ByteBuffer.wrap(request, b, request.length - b));
        });

        long expectedRead = 0;
        for (int i = 0; i < 3; i++) {
            byte[] request = kit.randomBytes(1 + kit.random().nextInt(200_000));
            Socket peer = kit.oracleConnect(server.localAddress());
            Peer.writeChunked(peer, request, kit.random(), 8192);
            peer.shutdownOutput();
            assertArrayEquals(twice(request), Peer.readToEnd(peer));
            expectedRead += request.length;
        }
        // A backend client of the same transport: only the server side's bytes may count.
        byte[] request = kit.randomBytes(1 + kit.random().nextInt(100_000));
        Connection client = kit.connect(server.localAddress());
        client.write(ByteBuffer.wrap(request));
        client.shutdownOutput();
        assertArrayEquals(twice(request), Peer.readToEnd(client));
        client.close();
        expectedRead += request.length;

        Kit.eventually("every handler to finish", () -> server.metrics().active() == 0);
        ServerMetrics m = server.metrics();
        assertEquals(expectedRead, m.bytesRead(), "bytesRead must count exactly what handlers read");
        assertEquals(2 * expectedRead, m.bytesWritten(), "bytesWritten must count exactly what handlers wrote");
    }

    @RequiredRule
    void required_10_2_serverMetricsCountPlaintextBytesOnTlsConnections() throws Exception {
        kit.assumeCapability(Capability.TLS);
        ServerOptions options = ServerOptions.builder()
                .tls(TlsConfig.builder(kit.certs().serverContext()).build())
                .build();
        // Sizes agreed in advance, so no half-close is needed (that is a separate capability over TLS).
        int[] requestSizes = {1 + kit.random().nextInt(100_000), 1 + kit.random().nextInt(100_000)};
        int[] responseSizes = {1 + kit.random().nextInt(100_000), 1 + kit.random().nextInt(100_000)};
        String[] protocols = {"TLSv1.3", "TLSv1.2"};
        long readSeed = kit.random().nextLong();
        AtomicInteger served = new AtomicInteger();
        Server server = kit.serve(options, c -> {
            int i = served.getAndIncrement();
            byte[] request = Peer.readExactly(c, requestSizes[i], new Random(readSeed + i));
            c.write(ByteBuffer.wrap(responseTo(request, responseSizes[i])));
        });

        long expectedRead = 0;
        long expectedWritten = 0;
        for (int i = 0; i < protocols.length; i++) {
            SSLSocket peer = kit.oracleTlsConnect(server.localAddress(), kit.certs().clientContext(), protocols[i]);
            assertEquals(protocols[i], peer.getSession().getProtocol());
            byte[] request = kit.randomBytes(requestSizes[i]);
            Peer.writeChunked(peer, request, kit.random(), 4096);
            assertArrayEquals(responseTo(request, responseSizes[i]), Peer.readExactly(peer, responseSizes[i]));
            assertEquals(Peer.End.EOF, Peer.awaitEnd(peer), "the handler returned: a clean TLS close");
            expectedRead += requestSizes[i];
            expectedWritten += responseSizes[i];
        }

        Kit.eventually("every handler to finish", () -> server.metrics().active() == 0);
        ServerMetrics m = server.metrics();
        assertEquals(expectedRead, m.bytesRead(), "bytesRead must count decrypted application bytes exactly");
        assertEquals(expectedWritten, m.bytesWritten(), "bytesWritten must count application bytes before encryption");
    }

    // ------------------------------------------------------------------ 10.3

    @RequiredRule
    void required_10_3_transportMetricsCountOpenConnectionsAndServersAndReturnToZero() throws Exception {
        Transport transport = kit.transport();
        assertEquals(new TransportMetrics(0, 0), transport.metrics(), "a new transport holds nothing");

        Server server = kit.serve(Peer::echo);
        assertEquals(1, transport.metrics().openServers(), "a running server is counted");

        // A backend client to the backend's server: one connection on each side.
        Connection client = kit.connect(server.localAddress());
        expectOpen(transport, 2, 1);
        // An oracle client: one server-side connection.
        Socket oracle = kit.oracleConnect(server.localAddress());
        expectOpen(transport, 3, 1);
        // A backend client to an oracle server: one client-side connection.
        ServerSocket oracleServer = kit.oracleServer();
        Connection outbound = kit.connect(new InetSocketAddress(Kit.LOOPBACK, oracleServer.getLocalPort()));
        kit.accept(oracleServer);
        expectOpen(transport, 4, 1);

        outbound.abort();
        expectOpen(transport, 3, 1);
        client.close(); // the echo handler sees end-of-stream and returns: both sides close
        expectOpen(transport, 1, 1);
        oracle.shutdownOutput();
        assertEquals(Peer.End.EOF, Peer.awaitEnd(oracle));
        expectOpen(transport, 0, 1);

        Server second = kit.serve(Peer::echo);
        expectOpen(transport, 0, 2);
        server.close();
        expectOpen(transport, 0, 1);
        second.shutdown(Duration.ZERO);
        expectOpen(transport, 0, 0);
    }

    // ------------------------------------------------------------------ 10.4

    @OptionalRule
    void optional_10_4_failureMessagesNameTheOperationAndTheConnectionsAddresses() throws Exception {
        Duration readTimeout = Kit.scaled(Duration.ofMillis(200));
        ServerSocket oracleServer = kit.oracleServer();
        ClientOptions options = ClientOptions.builder()
                .connection(ConnectionOptions.builder().readTimeout(readTimeout).build())
                .build();
        Connection c = kit.connect(new InetSocketAddress(Kit.LOOPBACK, oracleServer.getLocalPort()), options);
        Socket peer = kit.accept(oracleServer);
        String localPort = String.valueOf(c.localAddress().getPort());
        String remotePort = String.valueOf(oracleServer.getLocalPort());

        // The rule is about a read on which nothing arrives: the timeout has to pass.
        TransportException timeout = Kit.expectFailure(ErrorKind.READ_TIMEOUT, () -> c.read(ByteBuffer.allocate(8)));
        assertNamesOperationAndAddresses(timeout, "read", localPort, remotePort);

        Peer.reset(peer);
        TransportException reset = Kit.expectFailure(ErrorKind.RESET, () -> readUntilFailure(c));
        assertNamesOperationAndAddresses(reset, "read", localPort, remotePort);
        TransportException write = Kit.expectFailure(ErrorKind.RESET, () -> c.write(ByteBuffer.wrap(new byte[] {1})));
        assertNamesOperationAndAddresses(write, "write", localPort, remotePort);
    }

    // ------------------------------------------------------------------ helpers

    private static void expectOpen(Transport transport, long connections, long servers) {
        Kit.eventually("the transport to count " + connections + " open connections and " + servers + " servers",
                () -> transport.metrics().equals(new TransportMetrics(connections, servers)));
    }

    private static void assertNamesOperationAndAddresses(
            TransportException e, String operation, String localPort, String remotePort) {
        String message = e.getMessage();
        assertTrue(message != null, "the exception has no message");
        // The kind's own name (READ_TIMEOUT) does not count as naming the operation.
        String withoutKind = message.replace(e.kind().name(), "").toLowerCase(Locale.ROOT);
        assertTrue(withoutKind.contains(operation),
                () -> "the message must name the operation '" + operation + "': " + message);
        assertTrue(namesPort(message, remotePort),
                () -> "the message must name the remote address (port " + remotePort + "): " + message);
        assertTrue(namesPort(message, localPort),
                () -> "the message must name the local address (port " + localPort + "): " + message);
    }

    private static boolean namesPort(String message, String port) {
        return Pattern.compile(":" + port + "(?!\\d)").matcher(message).find();
    }

    private static int readUntilFailure(Connection c) throws TransportException {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        while (true) {
            if (c.read(buffer.clear()) < 0) {
                return -1; // end-of-stream instead of the reset: expectFailure reports it
            }
        }
    }

    private static byte[] readToEndInRandomReads(Connection c, Random sizes) throws TransportException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (true) {
            buffer.clear().limit(1 + sizes.nextInt(buffer.capacity()));
            int n = c.read(buffer);
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buffer.array(), 0, n);
        }
    }

    /** The TLS handler's answer: {@code size} bytes cycling through the request. */
    private static byte[] responseTo(byte[] request, int size) {
        byte[] response = new byte[size];
        for (int k = 0; k < size; k++) {
            response[k] = request[k % request.length];
        }
        return response;
    }

    private static byte[] twice(byte[] bytes) {
        byte[] both = new byte[2 * bytes.length];
        System.arraycopy(bytes, 0, both, 0, bytes.length);
        System.arraycopy(bytes, 0, both, bytes.length, bytes.length);
        return both;
    }
}
