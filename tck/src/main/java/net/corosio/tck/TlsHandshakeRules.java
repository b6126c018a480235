package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import net.corosio.Capability;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.Server;
import net.corosio.TransportException;

/**
 * The rules of SPEC.md section 8 about handshakes after the first and handshakes cut short: a
 * peer's TLS 1.2 renegotiation is refused without a hang, TLS 1.3 key updates work both ways, and
 * a handshake that the peer ends (FIN) or resets (RST) halfway fails typed, counted, with nothing
 * left behind.
 */
public abstract class TlsHandshakeRules extends TlsRuleGroup {

    /** How many key updates the peer asks for, one after each exchange. */
    private static final int KEY_UPDATES = 4;

    /** What each exchange carries: a few records. */
    private static final int KEY_UPDATE_DATA = 40_000;

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected TlsHandshakeRules(TransportKit owner) {
        super(owner);
    }

    // ================================================================== 8.22 renegotiation

    @RequiredRule
    void required_8_22_aClientsRenegotiationIsRefusedWithoutAHang() throws Exception {
        kit.assumeCapability(Capability.TLS);
        Server server = serve(serverTls(TLS12).build(), Peer::echo);
        SSLSocket client = kit.oracleTlsConnect(addressOf(server), kit.certs().clientContext(), TLS12);
        CountDownLatch handshakes = new CountDownLatch(1);
        client.addHandshakeCompletedListener(e -> handshakes.countDown());
        byte[] before = kit.randomBytes(1000);
        client.getOutputStream().write(before);
        assertArrayEquals(before, Peer.readExactly(client, before.length), "the echo before the renegotiation");

        String outcome = renegotiateThenExchange(client, handshakes);
        assertTrue(outcome.startsWith("refused"), () -> "a TLS 1.2 server must refuse a client's renegotiation "
                + "(with a no_renegotiation warning, or by ending the connection), but " + outcome);
        client.close();
        Kit.eventually("the handler to finish", () -> server.metrics().active() == 0);
    }

    @RequiredRule
    void required_8_22_aServersRenegotiationIsRefusedWithoutAHang() throws Exception {
        kit.assumeCapability(Capability.TLS);
        SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext(), TLS12);
        byte[] message = kit.randomBytes(1000);
        Future<String> side = kit.fork("oracle-renegotiate", () -> {
            SSLSocket peer = (SSLSocket) kit.accept(oracle);
            CountDownLatch handshakes = new CountDownLatch(1);
            peer.startHandshake();
            peer.addHandshakeCompletedListener(e -> handshakes.countDown());
            peer.getOutputStream().write(message);
            if (!Arrays.equals(message, Peer.readExactly(peer, message.length))) {
                return "the echo before the renegotiation differs";
            }
            return renegotiateThenExchange(peer, handshakes);
        });
        Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext(), TLS12).build());
        // The client echoes what comes until the stream ends or fails.
        Future<Void> echo = kit.fork("backend-echo", () -> {
            try {
                Peer.echo(client);
            } catch (TransportException e) {
                // refused by ending the connection: any typed failure will do
            }
            return null;
        });
        String outcome = Kit.await(side);
        assertTrue(outcome.startsWith("refused"), () -> "a TLS 1.2 client must refuse a server's renegotiation "
                + "(with a no_renegotiation warning, or by ending the connection), but " + outcome);
        client.abort();
        Kit.await(echo);
    }

    /**
     * Starts a renegotiation on an established TLS 1.2 socket, then sends a message and reads the
     * echo (the other side echoes). Says how it went: {@code "accepted"} if a second handshake
     * completed, {@code "refused, ..."} if it did not (the exchange went on in the old session, or
     * the connection ended), {@code "hung"} if nothing came within the kit's wait. The JDK reports a
     * completed handshake to its listener on a thread of its own, so the verdict waits a moment for
     * it.
     */
    private String renegotiateThenExchange(SSLSocket socket, CountDownLatch handshakes) throws Exception {
        byte[] after = kit.randomBytes(1000);
        String outcome;
        try {
            socket.startHandshake(); // a ClientHello (client) or a HelloRequest (server)
            socket.getOutputStream().write(after);
            byte[] got = Peer.readExactly(socket, after.length);
            outcome = Arrays.equals(after, got) ? "refused, and the conversation went on in the first session"
                    : "refused, but the bytes after it came back changed";
        } catch (SocketTimeoutException e) {
            return "hung: nothing came for " + Kit.defaultWait() + " after the renegotiation started";
        } catch (IOException e) {
            outcome = "refused, the connection ended: " + e;
        }
        if (handshakes.await(LISTENER_DELAY.toMillis(), TimeUnit.MILLISECONDS)) {
            return "accepted: a second handshake completed (then: " + outcome + ")";
        }
        return outcome;
    }

    /** How long the JDK may take to tell its listener that a handshake completed. */
    private static final Duration LISTENER_DELAY = Kit.scaled(Duration.ofMillis(300));

    // ================================================================== 8.23 TLS 1.3 key updates

    @RequiredRule
    void required_8_23_aServerAnswersTheClientsKeyUpdatesAndKeepsTheStreamIntact() throws Exception {
        kit.assumeCapability(Capability.TLS);
        Server server = serve(serverTls(TLS13).build(), Peer::echo);
        SSLSocket client = kit.oracleTlsConnect(addressOf(server), kit.certs().clientContext(), TLS13);
        for (int round = 0; round < KEY_UPDATES; round++) {
            byte[] data = kit.randomBytes(KEY_UPDATE_DATA);
            client.getOutputStream().write(data);
            assertArrayEquals(data, Peer.readExactly(client, data.length), "the echo after " + round + " key updates");
            client.startHandshake(); // a KeyUpdate that asks for one back
        }
        client.close();
    }

    @RequiredRule
    void required_8_23_aClientAnswersTheServersKeyUpdatesAndKeepsTheStreamIntact() throws Exception {
        kit.assumeCapability(Capability.TLS);
        SSLServerSocket oracle = kit.oracleTlsServer(kit.certs().serverContext(), TLS13);
        Future<Void> side = kit.fork("oracle-echo-with-key-updates", () -> {
            SSLSocket peer = (SSLSocket) kit.accept(oracle);
            InputStream in = peer.getInputStream();
            OutputStream out = peer.getOutputStream();
            for (int round = 0; round < KEY_UPDATES; round++) {
                out.write(Peer.readFully(in, KEY_UPDATE_DATA));
                peer.startHandshake(); // a KeyUpdate that asks for one back
            }
            return null;
        });
        Connection client = connect(addressOf(oracle), clientTls(kit.certs().clientContext(), TLS13).build());
        Random reads = new Random(kit.random().nextLong());
        for (int round = 0; round < KEY_UPDATES; round++) {
            byte[] data = kit.randomBytes(KEY_UPDATE_DATA);
            client.write(ByteBuffer.wrap(data));
            int done = round;
            assertArrayEquals(data, within("backend-read", () -> Peer.readExactly(client, data.length, reads)),
                    () -> "the echo after " + done + " key updates");
        }
        Kit.await(side);
    }

    // ================================================================== 8.24 handshakes cut short

    @RequiredRule
    void required_8_24_aServerCountsHandshakesThePeerEndsOrResetsHalfwayAndLeavesNothing() throws Exception {
        kit.assumeCapability(Capability.TLS);
        AtomicInteger handlerRuns = new AtomicInteger();
        Server server = serve(serverTls().build(), c -> handlerRuns.incrementAndGet());
        InetSocketAddress address = addressOf(server);
        // A warm-up handshake, so that what the backend starts once is not counted as left behind.
        kit.oracleTlsConnect(address, kit.certs().clientContext()).close();
        Kit.eventually("the warm-up's handler to finish", () -> handlerRuns.get() == 1 && server.metrics().active() == 0);
        LeakCheck before = LeakCheck.baseline();
        long failures = server.metrics().tlsHandshakeFailures();
        int attempts = 0;
        for (boolean reset : new boolean[] {false, true}) {
            for (boolean wholeHello : new boolean[] {false, true}) {
                Socket socket = kit.oracleConnect(address);
                byte[] hello = clientHello(kit.certs().clientContext());
                socket.getOutputStream().write(hello, 0, wholeHello ? hello.length : hello.length / 2);
                if (reset) {
                    Peer.reset(socket);
                } else {
                    socket.shutdownOutput();
                    Peer.awaitEnd(socket);
                    socket.close();
                }
                attempts++;
            }
        }
        long expected = failures + attempts;
        Kit.eventually("the server to count " + attempts + " failed handshakes (metrics: " + server.metrics() + ")",
                () -> server.metrics().tlsHandshakeFailures() == expected && server.metrics().active() == 0);
        try {
            Kit.eventually("nothing to be left behind", () -> before.leaksWhileRunning().isEmpty());
        } catch (AssertionError e) {
            fail("handshakes cut short by the peer must leave no socket or virtual thread behind: "
                    + before.leaksWhileRunning());
        }
        // The server still serves a client that completes its handshake, and only it runs the handler.
        assertEquals(1, handlerRuns.get(), "the handler ran for a handshake cut short");
        kit.oracleTlsConnect(address, kit.certs().clientContext());
        Kit.eventually("the server to still serve a client that completes its handshake", () -> handlerRuns.get() == 2);
    }

    @RequiredRule
    void required_8_24_aClientsConnectFailsTypedWhenThePeerEndsOrResetsTheHandshake() throws Exception {
        kit.assumeCapability(Capability.TLS);
        for (boolean reset : new boolean[] {false, true}) {
            ServerSocket oracle = kit.oracleServer();
            LeakCheck before = LeakCheck.baseline();
            Future<Void> side = kit.fork("oracle-cut-handshake", () -> {
                try (Socket accepted = oracle.accept()) {
                    accepted.setSoTimeout((int) Kit.defaultWait().toMillis());
                    Peer.readFully(accepted.getInputStream(), 5); // the ClientHello has begun to arrive
                    if (reset) {
                        Peer.reset(accepted);
                    } else {
                        accepted.shutdownOutput();
                        Peer.awaitEnd(accepted); // until the client gives up and closes
                    }
                }
                return null;
            });
            String outcome = within("backend-connect", () -> {
                try {
                    kit.connect(addressOf(oracle), clientOptions(clientTls(kit.certs().clientContext()).build(),
                            ConnectionOptions.defaults()));
                    return "connect succeeded";
                } catch (TransportException e) {
                    return "failed with " + e.kind();
                }
            });
            Kit.await(side);
            List<String> allowed = reset ? List.of("failed with TLS_HANDSHAKE", "failed with RESET")
                    : List.of("failed with TLS_HANDSHAKE");
            assertTrue(allowed.contains(outcome), () -> "a connect whose peer " + (reset ? "reset" : "ended")
                    + " the TCP connection during the handshake must fail with one of " + allowed + ", but " + outcome);
            Kit.eventually("the failed connect to count no connection (" + kit.transport().metrics() + ")",
                    () -> kit.transport().metrics().openConnections() == 0);
            try {
                Kit.eventually("nothing to be left behind", () -> before.leaksWhileRunning().isEmpty());
            } catch (AssertionError e) {
                fail("a connect whose handshake the peer cut short must leave no socket or virtual thread behind: "
                        + before.leaksWhileRunning());
            }
        }
    }

    /** The first flight of a JDK client's handshake (its ClientHello), as ciphertext to send by hand. */
    private static byte[] clientHello(SSLContext context) throws IOException {
        SSLEngine engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult result = engine.wrap(ByteBuffer.allocate(0), out);
        if (result.bytesProduced() == 0) {
            throw new IllegalStateException("the JDK engine produced no ClientHello: " + result);
        }
        byte[] hello = new byte[out.flip().remaining()];
        out.get(hello);
        return hello;
    }
}
