package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import net.corosio.Capability;
import net.corosio.ClientAuth;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.TlsConfig;
import net.corosio.TransportException;
import net.corosio.tck.TlsPeers.EnginePeer;
import net.corosio.tck.TlsPeers.Ending;

/**
 * The rules of SPEC.md section 8 TLS. Each rule is checked with the backend on one side and a JDK
 * peer on the other ({@link SSLSocket}, or {@link EnginePeer} where a test must see or make
 * record boundaries and {@code close_notify}), in both directions where the rule applies to both,
 * and on TLS 1.3 and 1.2 where the two versions behave differently (closing, client certificates).
 */
public abstract class TlsRules extends TlsRuleGroup {

    /** How long a test watches for something that must not happen (the handler running early). */
    private static final Duration QUIET = Kit.scaled(Duration.ofMillis(300));

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected TlsRules(TransportKit owner) {
        super(owner);
    }

    // ================================================================== 8.1, 8.2 protocols

    @RequiredRule
    void required_8_1_tls13ServerCarriesDataBothWaysAndShowsTheSession() throws Exception {
        kit.assumeCapability(Capability.TLS);
        exchangeAsServer(TLS13);
    }

    @RequiredRule
    void required_8_1_tls13ClientCarriesDataBothWaysAndShowsTheServersCertificate() throws Exception {
        kit.assumeCapability(Capability.TLS);
        exchangeAsClient(TLS13);
    }

    @RequiredRule
    void required_8_2_tls12ServerCarriesDataBothWaysAndShowsTheSession() throws Exception {
        kit.assumeCapability(Capability.TLS);
        exchangeAsServer(TLS12);
    }

    @RequiredRule
    void required_8_2_tls12ClientCarriesDataBothWaysAndShowsTheServersCertificate() throws Exception {
        kit.assumeCapability(Capability.TLS);
        exchangeAsClient(TLS12);
    }

    /** A backend server limited to {@code protocol} echoes what a JDK client (with defaults) sends. */
    private void exchangeAsServer(String protocol) throws Exception {
        CompletableFuture<Optional<SSLSession>> handlerSaw = new CompletableFuture<>();
        Server server = serve(serverTls(protocol).build(), c -> {
            handlerSaw.complete(c.tlsSession());
            Peer.echo(c);
        });
        SSLSocket oracle = kit.oracleTlsConnect(addressOf(server), kit.certs().clientContext());
        assertEquals(protocol, oracle.getSession().getProtocol(), "the JDK client negotiated the wrong protocol");

        byte[] data = kit.randomBytes(48 * 1024 + kit.random().nextInt(32 * 1024));
        Random chunks = new Random(kit.random().nextLong());
        Future<Void> writer = kit.fork("oracle-writer", () -> {
            Peer.writeChunked(oracle, data, chunks, 8 * 1024);
            return null;
        });
        byte[] echoed = Peer.readExactly(oracle, data.length);
        Kit.await(writer);
        assertArrayEquals(data, echoed, "the bytes echoed through the backend's TLS server differ from those sent");

        SSLSession session = Kit.await(handlerSaw).orElseThrow(() -> new AssertionError("the handler saw no tlsSession()"));
        assertEquals(protocol, session.getProtocol(), "the handler's tlsSession() shows the wrong protocol");
        assertEquals(oracle.getSession().getCipherSuite(), session.getCipherSuite(),
                "the handler's tlsSession() shows a cipher suite the peer did not negotiate");
    }

    /** A backend client (with defaults) exchanges data with a JDK server limited to {@code protocol}. */
    private void exchangeAsClient(String protocol) throws Exception {
        SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext(), protocol);
        byte[] data = kit.randomBytes(48 * 1024 + kit.random().nextInt(32 * 1024));
        Future<String> echo = kit.fork("oracle-echo", () -> {
            SSLSocket socket = (SSLSocket) kit.accept(oracle);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[8 * 1024];
            int total = 0;
            while (total < data.length) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new EOFException("the backend's stream ended after " + total + " of " + data.length + " bytes");
                }
                out.write(buffer, 0, n);
                out.flush();
                total += n;
            }
            return socket.getSession().getProtocol();
        });
        Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext()).build());
        SSLSession session = client.tlsSession().orElseThrow(() -> new AssertionError("the client has no tlsSession()"));
        assertEquals(protocol, session.getProtocol(), "the client's tlsSession() shows the wrong protocol");
        Certificate[] chain = session.getPeerCertificates();
        assertEquals(kit.certs().serverCertificate(), chain[0], "the client's tlsSession() must show the server's certificate");

        Random chunks = new Random(kit.random().nextLong());
        Future<Void> writer = kit.fork("backend-writer", () -> {
            writeChunked(client, data, chunks, 8 * 1024);
            return null;
        });
        Random reads = new Random(kit.random().nextLong());
        byte[] echoed = within("backend-read", () -> Peer.readExactly(client, data.length, reads));
        Kit.await(writer);
        assertArrayEquals(data, echoed, "the bytes echoed back to the backend's TLS client differ from those sent");
        assertEquals(protocol, Kit.await(echo), "the JDK server negotiated the wrong protocol");
    }

    // ================================================================== 8.3 record framing

    @RequiredRule
    void required_8_3_recordsSplitAcrossSegmentsArriveIntactAtTheServer() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String protocol : BOTH) {
            Server server = serve(serverTls(protocol).build(), Peer::echo);
            EnginePeer peer = TlsPeers.connect(kit, addressOf(server), kit.certs().clientContext()).handshake();
            byte[] data = kit.randomBytes(1024 * 1024);
            int oneByOne = 512;
            Random random = new Random(kit.random().nextLong());
            Future<Void> writer = kit.fork("oracle-writer", () -> {
                // One byte of plaintext per record, each record's ciphertext sent one byte per segment.
                peer.sendRawChunked(peer.sealInRecords(Arrays.copyOf(data, oneByOne), random, 1), random, 1);
                // Then records of random sizes, cut at random places into segments of random sizes.
                byte[] records = peer.sealInRecords(Arrays.copyOfRange(data, oneByOne, data.length), random, 16 * 1024);
                peer.sendRawChunked(records, random, 40 * 1024);
                return null;
            });
            byte[] echoed = within("oracle-read", () -> peer.readExactly(data.length));
            Kit.await(writer);
            assertArrayEquals(data, echoed, protocol + ": the echo through the backend's TLS server differs from what was sent");
        }
    }

    @RequiredRule
    void required_8_3_writesOfAnySizeArriveIntactAtTheClientAndBack() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String protocol : BOTH) {
            byte[] data = kit.randomBytes(1024 * 1024);
            ServerSocket oracle = kit.oracleServer();
            Random oracleRandom = new Random(kit.random().nextLong());
            // The JDK peer echoes in records of random sizes cut into segments of random sizes.
            Future<Void> echo = kit.fork("oracle-echo", () -> {
                EnginePeer peer = TlsPeers.serve(kit.accept(oracle), kit.certs().serverContext(), protocol).handshake();
                byte[] buffer = new byte[32 * 1024];
                int total = 0;
                while (total < data.length) {
                    int n = peer.read(buffer, 0, buffer.length);
                    if (n < 0) {
                        throw new EOFException("close_notify after " + total + " of " + data.length + " bytes");
                    }
                    byte[] records = peer.sealInRecords(Arrays.copyOf(buffer, n), oracleRandom, 1 + oracleRandom.nextInt(16 * 1024));
                    peer.sendRawChunked(records, oracleRandom, n < 64 ? 1 : 20 * 1024);
                    total += n;
                }
                return null;
            });
            Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext()).build());
            int oneByOne = 512;
            Random writes = new Random(kit.random().nextLong());
            Future<Void> writer = kit.fork("backend-writer", () -> {
                for (int i = 0; i < oneByOne; i++) {
                    client.write(ByteBuffer.wrap(data, i, 1));
                }
                writeChunked(client, Arrays.copyOfRange(data, oneByOne, data.length), writes, 64 * 1024);
                return null;
            });
            Random reads = new Random(kit.random().nextLong());
            byte[] echoed = within("backend-read", () -> Peer.readExactly(client, data.length, reads));
            Kit.await(writer);
            Kit.await(echo);
            assertArrayEquals(data, echoed, protocol + ": the echo back to the backend's TLS client differs from what it wrote");
        }
    }

    // ================================================================== 8.4, 8.5 trust and names

    @RequiredRule
    void required_8_4_clientThatDoesNotTrustTheServerFailsConnect() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (boolean verifyHostname : new boolean[] {true, false}) {
            SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().untrustedServerContext());
            Future<Object> side = acceptAndHandshake(oracle);
            TlsConfig tls = clientTls(kit.certs().clientContext()).hostnameVerification(verifyHostname).build();
            expectConnectFailure(ErrorKind.TLS_HANDSHAKE, addressOf(oracle), tls,
                    "an untrusted certificate (hostname verification " + verifyHostname + ")");
            Kit.await(side);
        }
    }

    @RequiredRule
    void required_8_4_backendServerWithAnUntrustedCertificateIsRejectedBeforeItsHandler() throws Exception {
        kit.assumeCapability(Capability.TLS);
        CountDownLatch handlerRan = new CountDownLatch(1);
        Server server = serve(TlsConfig.builder(kit.certs().untrustedServerContext()).build(), c -> handlerRan.countDown());
        expectConnectFailure(ErrorKind.TLS_HANDSHAKE, addressOf(server), clientTls(kit.certs().clientContext()).build(),
                "a backend server with an untrusted certificate");
        Kit.eventually("the server to count the failed handshake (metrics: " + server.metrics() + ")",
                () -> server.metrics().tlsHandshakeFailures() == 1);
        assertEquals(1, handlerRan.getCount(), "the handler ran for a connection whose handshake failed");
    }

    @RequiredRule
    void required_8_5_certificateThatDoesNotNameTheHostFailsConnect() throws Exception {
        kit.assumeCapability(Capability.TLS);
        // A trusted certificate for another host, reached as "localhost".
        SSLServerSocket wrongHost = kit.oracleTlsServer(kit.certs().wrongHostServerContext());
        Future<Object> side = acceptAndHandshake(wrongHost);
        expectConnectFailure(ErrorKind.TLS_HANDSHAKE, addressOf(wrongHost), clientTls(kit.certs().clientContext()).build(),
                "a certificate naming only " + TestCertificates.WRONG_HOST + " when connecting to localhost");
        Kit.await(side);

        // The right certificate, but the client asks for a name it does not carry.
        SSLServerSocket right = kit.oracleTlsServer(kit.certs().serverContext());
        side = acceptAndHandshake(right);
        expectConnectFailure(ErrorKind.TLS_HANDSHAKE, addressOf(right),
                clientTls(kit.certs().clientContext()).serverName("elsewhere.corosio.invalid").build(),
                "serverName elsewhere.corosio.invalid, which the certificate does not name");
        Kit.await(side);
    }

    @RequiredRule
    void required_8_5_certificateThatNamesTheHostIsAccepted() throws Exception {
        kit.assumeCapability(Capability.TLS);
        SSLContext trust = kit.certs().clientContext();
        // The host name the client connected to ("localhost"), and the IP literal.
        InetSocketAddress literal = new InetSocketAddress(InetAddress.getByAddress(Kit.LOOPBACK.getAddress()), 0);
        for (boolean byLiteral : new boolean[] {false, true}) {
            SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext());
            Future<Object> side = acceptAndHandshake(oracle);
            InetSocketAddress address = byLiteral
                    ? new InetSocketAddress(literal.getAddress(), oracle.getLocalPort())
                    : addressOf(oracle);
            Connection client = connect(address, clientTls(trust).build());
            assertTrue(client.tlsSession().isPresent(), "connecting to " + address.getHostString() + " must succeed");
            assertInstanceOf(SSLSession.class, Kit.await(side), "the JDK server's handshake failed");
        }
        // The certificate for another host is accepted when that host is the serverName...
        SSLServerSocket wrongHost = kit.oracleTlsServer(kit.certs().wrongHostServerContext());
        Future<Object> side = acceptAndHandshake(wrongHost);
        Connection named = connect(addressOf(wrongHost), clientTls(trust).serverName(TestCertificates.WRONG_HOST).build());
        assertTrue(named.tlsSession().isPresent(), "serverName " + TestCertificates.WRONG_HOST + " must be accepted");
        assertInstanceOf(SSLSession.class, Kit.await(side), "the JDK server's handshake failed");
        // ...and, with verification off, for any host: the earlier failure was about the name only.
        wrongHost = kit.oracleTlsServer(kit.certs().wrongHostServerContext());
        side = acceptAndHandshake(wrongHost);
        Connection unverified = connect(addressOf(wrongHost), clientTls(trust).hostnameVerification(false).build());
        assertTrue(unverified.tlsSession().isPresent());
        assertInstanceOf(SSLSession.class, Kit.await(side), "the JDK server's handshake failed");
    }

    // ================================================================== 8.6 protocol versions

    @RequiredRule
    void required_8_6_clientWithNoProtocolInCommonWithTheServerFailsConnect() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String serverProtocol : BOTH) {
            String clientProtocol = serverProtocol.equals(TLS13) ? TLS12 : TLS13;
            SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext(), serverProtocol);
            Future<Object> side = acceptAndHandshake(oracle);
            expectConnectFailure(ErrorKind.TLS_HANDSHAKE, addressOf(oracle),
                    clientTls(kit.certs().clientContext(), clientProtocol).build(),
                    "a " + clientProtocol + "-only client and a " + serverProtocol + "-only JDK server");
            assertInstanceOf(SSLException.class, Kit.await(side), "the JDK server's handshake should have failed");
        }
    }

    @RequiredRule
    void required_8_6_serverWithNoProtocolInCommonWithTheClientFailsTheHandshake() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String serverProtocol : BOTH) {
            String clientProtocol = serverProtocol.equals(TLS13) ? TLS12 : TLS13;
            CountDownLatch handlerRan = new CountDownLatch(1);
            Server server = serve(serverTls(serverProtocol).build(), c -> handlerRan.countDown());
            // A JDK client, then a backend client, both limited to the other protocol.
            assertThrows(IOException.class,
                    () -> kit.oracleTlsConnect(addressOf(server), kit.certs().clientContext(), clientProtocol),
                    "a " + clientProtocol + "-only JDK client must fail against a " + serverProtocol + "-only server");
            expectConnectFailure(ErrorKind.TLS_HANDSHAKE, addressOf(server),
                    clientTls(kit.certs().clientContext(), clientProtocol).build(),
                    "a " + clientProtocol + "-only client and a " + serverProtocol + "-only backend server");
            Kit.eventually("the server to count 2 failed handshakes (metrics: " + server.metrics() + ")",
                    () -> server.metrics().tlsHandshakeFailures() == 2);
            assertEquals(1, handlerRan.getCount(), "the handler ran for a connection whose handshake failed");
        }
    }

    @RequiredRule
    void required_8_6_aPeerOfferingOnlyTls11AndTls10IsRefusedByADefaultServer() throws Exception {
        kit.assumeCapability(Capability.TLS);
        CountDownLatch handlerRan = new CountDownLatch(1);
        Server server = serve(serverTls().build(), c -> handlerRan.countDown());
        String outcome = LegacyTlsPeers.client(kit, addressOf(server).getPort()).outcome();
        assertLegacyPeerRefused(outcome, "a JDK client offering only " + List.of(LegacyTlsPeer.PROTOCOLS)
                + " to a server with the default settings");
        Kit.eventually("the server to count the refused handshake (metrics: " + server.metrics() + ")",
                () -> server.metrics().tlsHandshakeFailures() == 1);
        assertEquals(1, handlerRan.getCount(), "the handler ran for a connection on an old protocol");
    }

    @RequiredRule
    void required_8_6_aDefaultClientRefusesAServerOfferingOnlyTls11AndTls10() throws Exception {
        kit.assumeCapability(Capability.TLS);
        LegacyTlsPeers legacy = LegacyTlsPeers.server(kit);
        expectConnectFailure(ErrorKind.TLS_HANDSHAKE, new InetSocketAddress(Kit.LOOPBACK, legacy.port()),
                clientTls(kit.certs().clientContext()).build(),
                "a client with the default settings and a JDK server offering only " + List.of(LegacyTlsPeer.PROTOCOLS));
        assertLegacyPeerRefused(legacy.outcome(), "the JDK server offering only " + List.of(LegacyTlsPeer.PROTOCOLS));
    }

    /** The legacy peer's handshake must have failed, and not for want of a protocol of its own. */
    private static void assertLegacyPeerRefused(String outcome, String situation) {
        assertTrue(outcome.startsWith("REFUSED "), () -> situation + ": the handshake must fail, but " + outcome);
        assertFalse(outcome.contains("No appropriate protocol"),
                () -> situation + ": the old peer could not offer its protocols at all (the kit's fault): " + outcome);
    }

    @RequiredRule
    void required_8_6_noProtocolOlderThanTls12CanBeConfigured() {
        kit.assumeCapability(Capability.TLS);
        SSLContext context = kit.certs().serverContext();
        for (String old : List.of("TLSv1.1", "TLSv1", "SSLv3")) {
            for (List<String> protocols : List.of(List.of(old), List.of(TLS13, old), List.of(old, TLS12))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> TlsConfig.builder(context).protocols(protocols).build(),
                        "protocols " + protocols + " must be refused");
                assertTrue(e.getMessage() != null && e.getMessage().contains(old),
                        () -> "the message must name " + old + ": " + e.getMessage());
            }
        }
    }

    // ================================================================== 8.7, 8.8, 8.9 ends

    @RequiredRule
    void required_8_7_clientCloseSendsCloseNotifyBeforeTheTcpEnd() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String protocol : BOTH) {
            byte[] data = kit.randomBytes(20_000);
            ServerSocket oracle = kit.oracleServer();
            CountDownLatch received = new CountDownLatch(1);
            Future<Seen> seen = kit.fork("oracle-read-to-end", () -> {
                EnginePeer peer = TlsPeers.serve(kit.accept(oracle), kit.certs().serverContext(), protocol).handshake();
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                sink.writeBytes(peer.readExactly(data.length));
                received.countDown();
                Ending ending = peer.readToEnd(sink);
                return new Seen(ending, sink.toByteArray());
            });
            Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext()).build());
            client.write(ByteBuffer.wrap(data));
            // Close once the peer has the data, so that what it sent after its handshake (a TLS 1.3
            // session ticket, which this client never reads) has surely arrived: a close must still be clean.
            assertTrue(received.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS),
                    protocol + ": the peer did not receive the data written before close()");
            client.close();
            Seen result = Kit.await(seen);
            assertEquals(Ending.CLEAN, result.ending(),
                    protocol + ": after the client's close() the peer must see close_notify, then the TCP end-of-stream");
            assertArrayEquals(data, result.bytes(), protocol + ": the peer must receive everything written before close()");
        }
    }

    @RequiredRule
    void required_8_7_serverCloseSendsCloseNotifyBeforeTheTcpEnd() throws Exception {
        kit.assumeCapability(Capability.TLS);
        byte[] data = kit.randomBytes(20_000);
        for (String protocol : BOTH) {
            for (boolean explicitClose : new boolean[] {true, false}) {
                // The handler closes the connection itself, or returns and lets the server close it.
                Server server = serve(serverTls(protocol).build(), c -> {
                    c.write(ByteBuffer.wrap(data));
                    if (explicitClose) {
                        c.close();
                    }
                });
                EnginePeer peer = TlsPeers.connect(kit, addressOf(server), kit.certs().clientContext()).handshake();
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                Ending ending = within("oracle-read-to-end", () -> peer.readToEnd(sink));
                String how = protocol + (explicitClose ? ", handler called close()" : ", handler returned");
                assertEquals(Ending.CLEAN, ending, how + ": the peer must see close_notify, then the TCP end-of-stream");
                assertArrayEquals(data, sink.toByteArray(), how + ": the peer must receive everything the handler wrote");
            }
        }
    }

    @RequiredRule
    void required_8_8_clientReadFailsWithTlsTruncatedWhenThePeerEndsTcpWithoutCloseNotify() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String protocol : BOTH) {
            byte[] data = kit.randomBytes(5_000);
            ServerSocket oracle = kit.oracleServer();
            Future<Void> side = kit.fork("oracle-truncate", () -> {
                EnginePeer peer = TlsPeers.serve(kit.accept(oracle), kit.certs().serverContext(), protocol).handshake();
                peer.write(data);
                peer.endTcpOutputWithoutCloseNotify();
                return null;
            });
            Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext()).build());
            Random reads = new Random(kit.random().nextLong());
            byte[] got = within("backend-read", () -> Peer.readExactly(client, data.length, reads));
            assertArrayEquals(data, got, protocol + ": the bytes before the truncation must arrive");
            Kit.await(side);
            for (int i = 1; i <= 2; i++) {
                String which = protocol + ": read " + i + " after the TCP end without close_notify";
                assertEquals("failed with TLS_TRUNCATED", within("backend-read", () -> readOutcome(client)), which);
            }
        }
    }

    @RequiredRule
    void required_8_8_handlerReadFailsWithTlsTruncatedWhenThePeerEndsTcpWithoutCloseNotify() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String protocol : BOTH) {
            byte[] data = kit.randomBytes(5_000);
            Random reads = new Random(kit.random().nextLong());
            CompletableFuture<List<String>> outcomes = new CompletableFuture<>();
            Server server = serve(serverTls(protocol).build(), reporting(outcomes, c -> {
                byte[] got = Peer.readExactly(c, data.length, reads);
                List<String> seen = new ArrayList<>();
                seen.add(Arrays.equals(data, got) ? "data intact" : "data differs");
                seen.add(readOutcome(c));
                seen.add(readOutcome(c));
                return seen;
            }));
            EnginePeer peer = TlsPeers.connect(kit, addressOf(server), kit.certs().clientContext()).handshake();
            peer.write(data);
            peer.endTcpOutputWithoutCloseNotify();
            assertEquals(List.of("data intact", "failed with TLS_TRUNCATED", "failed with TLS_TRUNCATED"),
                    Kit.await(outcomes),
                    protocol + ": the handler must read the data, then TLS_TRUNCATED on every later read");
        }
    }

    @RequiredRule
    void required_8_9_resetOfATlsClientConnectionIsReportedAsReset() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String protocol : BOTH) {
            ServerSocket oracle = kit.oracleServer();
            Future<Void> side = kit.fork("oracle-reset", () -> {
                EnginePeer peer = TlsPeers.serve(kit.accept(oracle), kit.certs().serverContext(), protocol).handshake();
                peer.readExactly(1); // the connection is established on both sides
                Peer.reset(peer.socket());
                return null;
            });
            Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext()).build());
            client.write(ByteBuffer.wrap(new byte[] {1}));
            Kit.await(side);
            for (int i = 1; i <= 2; i++) {
                assertEquals("failed with RESET", within("backend-read", () -> readOutcome(client)),
                        protocol + ": read " + i + " after the peer's TCP reset");
            }
        }
    }

    @RequiredRule
    void required_8_9_resetOfATlsServerConnectionIsReportedAsReset() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (String protocol : BOTH) {
            CompletableFuture<List<String>> outcomes = new CompletableFuture<>();
            Server server = serve(serverTls(protocol).build(), reporting(outcomes, c -> {
                Peer.readExactly(c, 1, new Random(0));
                c.write(ByteBuffer.wrap(new byte[] {2})); // tells the peer the handler is reading
                return List.of(readOutcome(c), readOutcome(c));
            }));
            EnginePeer peer = TlsPeers.connect(kit, addressOf(server), kit.certs().clientContext()).handshake();
            peer.write(new byte[] {1});
            peer.readExactly(1);
            Peer.reset(peer.socket());
            assertEquals(List.of("failed with RESET", "failed with RESET"), Kit.await(outcomes),
                    protocol + ": the handler's reads after the peer's TCP reset");
        }
    }

    // ================================================================== 8.10, 8.11 handshake and handler

    @RequiredRule
    void required_8_10_silentClientIsDroppedAfterTheHandshakeTimeoutWithoutRunningTheHandler() throws Exception {
        kit.assumeCapability(Capability.TLS);
        CountDownLatch handlerRan = new CountDownLatch(1);
        Server server = null;
        for (Duration timeout : Timing.TIMEOUTS) {
            ConnectionOptions connection = ConnectionOptions.builder().tlsHandshakeTimeout(timeout).build();
            server = serve(serverTls().build(), connection, c -> handlerRan.countDown());
            long start = System.nanoTime();
            Socket silent = kit.oracleConnect(addressOf(server));
            // A second client starts a record header and then falls silent too.
            Socket stalled = kit.oracleConnect(addressOf(server));
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
            for (Socket socket : List.of(silent, stalled)) {
                socket.setSoTimeout((int) (timeout.plus(Kit.defaultWait()).toMillis()));
                try {
                    Peer.awaitEnd(socket);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("a client that sent no complete handshake message was not dropped within "
                            + "the handshake timeout " + timeout + " + " + Kit.defaultWait(), e);
                }
                Timing.assertOnTime(Timing.since(start), timeout, "the TLS handshake timeout");
            }
            Server counted = server;
            Kit.eventually("the server to count 2 failed handshakes (metrics: " + server.metrics() + ")",
                    () -> counted.metrics().tlsHandshakeFailures() == 2);
            assertEquals(1, handlerRan.getCount(), "the handler ran for a client that never completed a handshake");
            // Counters are updated one after the other (ServerMetrics is approximately consistent), so
            // the failure count can be seen a moment before the connection leaves the active count.
            Kit.eventually("the dropped clients to stop counting as active (metrics: " + server.metrics() + ")",
                    () -> counted.metrics().active() == 0);
        }

        // The server still serves a client that does complete its handshake.
        kit.oracleTlsConnect(addressOf(server), kit.certs().clientContext());
        assertTrue(handlerRan.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS),
                "the handler must run for a client that completes its handshake");
    }

    @RequiredRule
    void required_8_11_handlerRunsOnlyAfterTheHandshakeAndSeesTheSession() throws Exception {
        kit.assumeCapability(Capability.TLS);
        CompletableFuture<Optional<SSLSession>> handlerSaw = new CompletableFuture<>();
        Server server = serve(serverTls().build(), c -> handlerSaw.complete(c.tlsSession()));
        Socket plain = kit.oracleConnect(addressOf(server));
        // Connected, but no handshake yet: the handler must not run (nothing happens for QUIET).
        assertThrows(TimeoutException.class, () -> handlerSaw.get(QUIET.toMillis(), TimeUnit.MILLISECONDS),
                "the handler ran before the client sent its first handshake byte");
        SSLSocket oracle = layeredClient(plain, kit.certs().clientContext());
        oracle.startHandshake();
        SSLSession session = Kit.await(handlerSaw).orElseThrow(() -> new AssertionError("the handler saw no tlsSession()"));
        assertEquals(oracle.getSession().getProtocol(), session.getProtocol(), "the handler's session protocol");
        assertEquals(oracle.getSession().getCipherSuite(), session.getCipherSuite(), "the handler's session cipher suite");
    }

    @RequiredRule
    void required_8_11_clientConnectReturnsOnlyAfterTheHandshake() throws Exception {
        kit.assumeCapability(Capability.TLS);
        ServerSocket oracle = kit.oracleServer();
        Future<Connection> connecting = kit.fork("backend-connect",
                () -> kit.connect(addressOf(oracle), clientOptions(clientTls(kit.certs().clientContext()).build(),
                        ConnectionOptions.defaults())));
        Socket accepted = kit.accept(oracle);
        // TCP is up but the JDK server holds back its handshake: connect must not return (nothing happens for QUIET).
        assertFalse(completesWithin(connecting, QUIET), "connect returned before the TLS handshake was done");
        SSLSocket server = (SSLSocket) kit.certs().serverContext().getSocketFactory()
                .createSocket(accepted, null, accepted.getPort(), true);
        kit.track(server);
        server.setUseClientMode(false);
        server.startHandshake();
        Connection client = Kit.await(connecting);
        SSLSession session = client.tlsSession().orElseThrow(() -> new AssertionError("connect returned without a tlsSession()"));
        assertEquals(server.getSession().getProtocol(), session.getProtocol(), "the client's session protocol");
        assertEquals(kit.certs().serverCertificate(), session.getPeerCertificates()[0], "the client's session peer certificate");
    }

    // ================================================================== 8.12 read timeouts

    @RequiredRule
    void required_8_12_clientReadTimeoutInTheMiddleOfARecordLeavesTheStreamIntact() throws Exception {
        kit.assumeCapability(Capability.TLS);
        Duration readTimeout = Kit.scaled(Duration.ofMillis(200));
        for (String protocol : BOTH) {
            ServerSocket oracle = kit.oracleServer();
            Future<EnginePeer> accepting = kit.fork("oracle-handshake",
                    () -> TlsPeers.serve(kit.accept(oracle), kit.certs().serverContext(), protocol).handshake());
            Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext()).build(),
                    ConnectionOptions.builder().readTimeout(readTimeout).build());
            EnginePeer peer = Kit.await(accepting);
            byte[] first = kit.randomBytes(1_000);
            byte[] second = kit.randomBytes(3_000);

            Kit.expectFailure(ErrorKind.READ_TIMEOUT, () -> within("backend-read", () -> client.read(ByteBuffer.allocate(64))));
            peer.write(first);
            assertArrayEquals(first, within("backend-read", () -> Peer.readExactly(client, first.length, new Random(1))),
                    protocol + ": the first record after a read timeout");
            byte[] record = peer.seal(second, 0, second.length); // sealed after the first: records are numbered
            int cutA = 1 + kit.random().nextInt(record.length / 2);
            int cutB = cutA + 1 + kit.random().nextInt(record.length - cutA - 1);
            peer.sendRaw(record, 0, cutA);
            Kit.expectFailure(ErrorKind.READ_TIMEOUT, () -> within("backend-read", () -> client.read(ByteBuffer.allocate(64))));
            peer.sendRaw(record, cutA, cutB - cutA);
            Kit.expectFailure(ErrorKind.READ_TIMEOUT, () -> within("backend-read", () -> client.read(ByteBuffer.allocate(64))));
            peer.sendRaw(record, cutB, record.length - cutB);
            assertArrayEquals(second, within("backend-read", () -> Peer.readExactly(client, second.length, new Random(2))),
                    protocol + ": a record whose pieces came in across two read timeouts");

            client.write(ByteBuffer.wrap(first));
            assertArrayEquals(first, within("oracle-read", () -> peer.readExactly(first.length)),
                    protocol + ": writing after read timeouts");
            assertTrue(client.isOpen(), protocol + ": the connection must stay open after read timeouts");
        }
    }

    @RequiredRule
    void required_8_12_handlerReadTimeoutInTheMiddleOfARecordLeavesTheStreamIntact() throws Exception {
        kit.assumeCapability(Capability.TLS);
        Duration readTimeout = Kit.scaled(Duration.ofMillis(200));
        for (String protocol : BOTH) {
            byte[] first = kit.randomBytes(1_000);
            byte[] second = kit.randomBytes(3_000);
            byte[] third = kit.randomBytes(500);
            int total = first.length + second.length + third.length;
            // Where the handler's stream stood each time a read timed out (or how the handler failed).
            BlockingQueue<Object> timeouts = new LinkedBlockingQueue<>();
            Server server = serve(serverTls(protocol).build(), ConnectionOptions.builder().readTimeout(readTimeout).build(), c -> {
                ByteBuffer all = ByteBuffer.allocate(total);
                while (all.hasRemaining()) {
                    try {
                        if (c.read(all) < 0) {
                            throw new EOFException("end-of-stream after " + all.position() + " of " + total + " bytes");
                        }
                    } catch (TransportException e) {
                        if (e.kind() != ErrorKind.READ_TIMEOUT) {
                            timeouts.add(e);
                            throw e;
                        }
                        timeouts.add(all.position());
                    }
                }
                c.write(all.flip());
            });
            EnginePeer peer = TlsPeers.connect(kit, addressOf(server), kit.certs().clientContext()).handshake();
            peer.write(first);
            awaitTimeoutAt(timeouts, first.length, protocol + ": a read timeout after the first record");
            byte[] record = peer.seal(second, 0, second.length); // sealed after the first: records are numbered
            int cutA = 1 + kit.random().nextInt(record.length / 2);
            int cutB = cutA + 1 + kit.random().nextInt(record.length - cutA - 1);
            for (int[] piece : new int[][] {{0, cutA}, {cutA, cutB}}) {
                timeouts.clear();
                peer.sendRaw(record, piece[0], piece[1] - piece[0]);
                // Two timeouts: the first may have been under way before the piece arrived.
                awaitTimeoutAt(timeouts, first.length, protocol + ": a read timeout with part of a record received");
                awaitTimeoutAt(timeouts, first.length, protocol + ": a read timeout with part of a record received");
            }
            peer.sendRaw(record, cutB, record.length - cutB);
            peer.write(third);
            byte[] echoed = within("oracle-read", () -> peer.readExactly(total));
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            sent.writeBytes(first);
            sent.writeBytes(second);
            sent.writeBytes(third);
            assertArrayEquals(sent.toByteArray(), echoed, protocol + ": the stream read across read timeouts, echoed back");
        }
    }

    // ================================================================== 8.13, 8.14 SNI and ALPN

    @RequiredRule
    void required_8_13_clientSendsTheConfiguredServerName() throws Exception {
        kit.assumeCapability(Capability.TLS);
        SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext());
        Future<Object> side = acceptAndHandshake(oracle);
        connect(addressOf(oracle), clientTls(kit.certs().clientContext()).serverName(TestCertificates.SERVER_NAME).build());
        assertEquals(List.of(new SNIHostName(TestCertificates.SERVER_NAME)), requestedServerNames(Kit.await(side)),
                "the server names the JDK server received");
    }

    @RequiredRule
    void required_8_13_clientSendsTheHostItConnectsToAsServerName() throws Exception {
        kit.assumeCapability(Capability.TLS);
        SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext());
        Future<Object> side = acceptAndHandshake(oracle);
        // The loopback address under a DNS name (the JDK sends no SNI for dot-less names like localhost).
        InetAddress named = InetAddress.getByAddress(TestCertificates.SERVER_NAME, Kit.LOOPBACK.getAddress());
        connect(new InetSocketAddress(named, oracle.getLocalPort()), clientTls(kit.certs().clientContext()).build());
        assertEquals(List.of(new SNIHostName(TestCertificates.SERVER_NAME)), requestedServerNames(Kit.await(side)),
                "the server names the JDK server received from a client connecting to " + TestCertificates.SERVER_NAME);
    }

    @RequiredRule
    void required_8_13_serverSeesTheServerNameTheClientSent() throws Exception {
        kit.assumeCapability(Capability.TLS);
        BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        Server server = serve(serverTls().build(), c -> seen.add(c.tlsSession().map(s -> (Object) s).orElse("no session")));
        SNIHostName expected = new SNIHostName(TestCertificates.SERVER_NAME);

        layeredClient(kit.oracleConnect(addressOf(server)), kit.certs().clientContext(),
                p -> p.setServerNames(List.of(expected))).startHandshake();
        assertEquals(List.of(expected), requestedServerNames(poll(seen, "the handler to run")),
                "the server names the handler sees from a JDK client");

        connect(addressOf(server), clientTls(kit.certs().clientContext()).serverName(TestCertificates.SERVER_NAME).build());
        assertEquals(List.of(expected), requestedServerNames(poll(seen, "the handler to run")),
                "the server names the handler sees from the backend's client");
    }

    @RequiredRule
    void required_8_14_serverAgreesOnItsMostPreferredProtocolTheClientOffers() throws Exception {
        kit.assumeCapability(Capability.TLS_ALPN);
        for (String protocol : BOTH) {
            BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
            Server server = serve(serverTls(protocol).applicationProtocols("h2", "spdy/3.1", "http/1.1").build(),
                    c -> seen.add(c.applicationProtocol().map(p -> (Object) p).orElse("none")));
            SSLSocket oracle = layeredClient(kit.oracleConnect(addressOf(server)), kit.certs().clientContext(),
                    p -> p.setApplicationProtocols(new String[] {"http/1.1", "spdy/3.1"}));
            oracle.startHandshake();
            assertEquals("spdy/3.1", oracle.getApplicationProtocol(), protocol + ": the protocol the JDK client was given");
            assertEquals("spdy/3.1", poll(seen, "the handler to run"), protocol + ": the handler's applicationProtocol()");

            Connection client = connect(addressOf(server),
                    clientTls(kit.certs().clientContext()).applicationProtocols("http/1.1", "spdy/3.1").build());
            assertEquals(Optional.of("spdy/3.1"), client.applicationProtocol(), protocol + ": the backend client's applicationProtocol()");
            assertEquals("spdy/3.1", poll(seen, "the handler to run"), protocol + ": the handler's applicationProtocol()");
        }
    }

    @RequiredRule
    void required_8_14_clientReportsTheProtocolTheServerChose() throws Exception {
        kit.assumeCapability(Capability.TLS_ALPN);
        for (String protocol : BOTH) {
            SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext(), protocol);
            SSLParameters parameters = oracle.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2", "spdy/3.1", "http/1.1"});
            oracle.setSSLParameters(parameters);
            Future<Object> side = acceptAndHandshake(oracle);
            Connection client = connect(addressOf(oracle),
                    clientTls(kit.certs().clientContext()).applicationProtocols("http/1.1", "spdy/3.1").build());
            assertInstanceOf(SSLSession.class, Kit.await(side), "the JDK server's handshake failed");
            assertEquals(Optional.of("spdy/3.1"), client.applicationProtocol(),
                    protocol + ": the client's applicationProtocol() after the JDK server chose");
        }
    }

    // ================================================================== 8.15 client certificates

    @RequiredRule
    void required_8_15_trustedClientCertificateIsAcceptedAndShownToTheServer() throws Exception {
        kit.assumeCapability(Capability.TLS_CLIENT_AUTH);
        for (String protocol : BOTH) {
            // The backend's server, a JDK client with a certificate.
            BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
            Server server = serve(serverTls(protocol).clientAuth(ClientAuth.NEED).build(),
                    c -> seen.add(c.tlsSession().map(s -> (Object) s).orElse("no session")));
            kit.oracleTlsConnect(addressOf(server), kit.certs().clientContextWithCertificate());
            SSLSession session = assertInstanceOf(SSLSession.class, poll(seen, "the handler to run"));
            assertEquals(kit.certs().clientCertificate(), session.getPeerCertificates()[0],
                    protocol + ": the handler's tlsSession() must show the client's certificate");

            // The backend's client with a certificate, a JDK server that needs one.
            SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext(), protocol);
            oracle.setNeedClientAuth(true);
            Future<Object> side = acceptAndHandshake(oracle);
            Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContextWithCertificate()).build());
            SSLSession oracleSession = assertInstanceOf(SSLSession.class, Kit.await(side), "the JDK server's handshake failed");
            assertEquals(kit.certs().clientCertificate(), oracleSession.getPeerCertificates()[0],
                    protocol + ": the JDK server must receive the backend client's certificate");
            assertTrue(client.tlsSession().isPresent());
        }
    }

    @RequiredRule
    void required_8_15_clientWithoutCertificateFailsWithTlsHandshake() throws Exception {
        kit.assumeCapability(Capability.TLS_CLIENT_AUTH);
        for (String protocol : BOTH) {
            SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext(), protocol);
            oracle.setNeedClientAuth(true);
            Future<Object> side = acceptAndHandshake(oracle);
            expectHandshakeFailureAtConnectOrFirstRead(protocol, addressOf(oracle),
                    clientTls(kit.certs().clientContext()).build());
            assertInstanceOf(SSLException.class, Kit.await(side), "the JDK server's handshake should have failed");
        }
    }

    @RequiredRule
    void required_8_15_serverRejectsClientWithoutCertificateBeforeTheHandlerAndCountsIt() throws Exception {
        kit.assumeCapability(Capability.TLS_CLIENT_AUTH);
        for (String protocol : BOTH) {
            CountDownLatch handlerRan = new CountDownLatch(1);
            Server server = serve(serverTls(protocol).clientAuth(ClientAuth.NEED).build(), c -> handlerRan.countDown());
            // A JDK client without a certificate: with TLS 1.3 its handshake may end before the server's verdict.
            Future<Object> oracle = kit.fork("oracle-without-certificate", () -> {
                try {
                    SSLSocket socket = kit.oracleTlsConnect(addressOf(server), kit.certs().clientContext());
                    return socket.getInputStream().read();
                } catch (IOException e) {
                    return e;
                }
            });
            assertInstanceOf(IOException.class, Kit.await(oracle),
                    protocol + ": the JDK client without a certificate must fail (its handshake or its first read)");
            // The backend's client without a certificate.
            expectHandshakeFailureAtConnectOrFirstRead(protocol, addressOf(server), clientTls(kit.certs().clientContext()).build());
            Kit.eventually("the server to count 2 failed handshakes (metrics: " + server.metrics() + ")",
                    () -> server.metrics().tlsHandshakeFailures() == 2);
            assertEquals(1, handlerRan.getCount(), protocol + ": the handler ran for a client without a certificate");
        }
    }

    // ================================================================== 8.16 half-close

    @OptionalRule
    void optional_8_16_clientShutdownOutputSendsCloseNotifyAndReadingContinues() throws Exception {
        kit.assumeCapability(Capability.TLS_HALF_CLOSE);
        byte[] request = kit.randomBytes(3_000);
        byte[] reply = kit.randomBytes(7_000);
        ServerSocket oracle = kit.oracleServer();
        Future<Seen> side = kit.fork("oracle-reply-after-close-notify", () -> {
            EnginePeer peer = TlsPeers.serve(kit.accept(oracle), kit.certs().serverContext(), TLS13).handshake();
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            Ending ending = peer.readToEnd(sink);
            if (ending == Ending.CLEAN) {
                peer.write(reply);
                peer.closeNotify();
                peer.socket().shutdownOutput();
            }
            return new Seen(ending, sink.toByteArray());
        });
        Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext(), TLS13).build());
        client.write(ByteBuffer.wrap(request));
        client.shutdownOutput();
        Seen seen = Kit.await(side);
        assertEquals(Ending.CLEAN, seen.ending(), "after shutdownOutput the peer must see close_notify, then the TCP end-of-stream");
        assertArrayEquals(request, seen.bytes(), "the peer must receive everything written before shutdownOutput");
        assertArrayEquals(reply, within("backend-read-to-end", () -> Peer.readToEnd(client)),
                "after shutdownOutput the client must still read the peer's reply, then end-of-stream");
    }

    @OptionalRule
    void optional_8_16_handlerShutdownOutputSendsCloseNotifyAndReadingContinues() throws Exception {
        kit.assumeCapability(Capability.TLS_HALF_CLOSE);
        byte[] response = kit.randomBytes(3_000);
        byte[] reply = kit.randomBytes(7_000);
        CompletableFuture<byte[]> handlerRead = new CompletableFuture<>();
        Server server = serve(serverTls(TLS13).build(), reporting(handlerRead, c -> {
            c.write(ByteBuffer.wrap(response));
            c.shutdownOutput();
            return Peer.readToEnd(c);
        }));
        EnginePeer peer = TlsPeers.connect(kit, addressOf(server), kit.certs().clientContext()).handshake();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Ending ending = within("oracle-read-to-end", () -> peer.readToEnd(sink));
        assertEquals(Ending.CLEAN, ending, "after the handler's shutdownOutput the peer must see close_notify, then the TCP end-of-stream");
        assertArrayEquals(response, sink.toByteArray(), "the peer must receive everything written before shutdownOutput");
        peer.write(reply);
        peer.closeNotify();
        peer.socket().shutdownOutput();
        assertArrayEquals(reply, Kit.await(handlerRead),
                "after shutdownOutput the handler must still read the peer's reply, then end-of-stream");
    }
}
