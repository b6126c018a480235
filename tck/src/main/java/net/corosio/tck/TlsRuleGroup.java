package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TlsConfig;
import net.corosio.TransportException;
import net.corosio.tck.TlsPeers.Ending;

/**
 * What the TLS rule groups share: the protocol names, the backend's TLS servers and clients with
 * the kit's certificates, JDK peers, and waits bounded by the kit's default wait.
 */
abstract class TlsRuleGroup extends RuleGroup {

    static final String TLS13 = "TLSv1.3";
    static final String TLS12 = "TLSv1.2";
    static final List<String> BOTH = List.of(TLS13, TLS12);


    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    TlsRuleGroup(TransportKit owner) {
        super(owner);
    }

    // ================================================================== helpers

    /** What an oracle read until the stream ended, and how it ended. */
    record Seen(Ending ending, byte[] bytes) {}

    /** A handler body that produces a result for the test. */
    @FunctionalInterface
    interface HandlerBody<T> {
        T run(Connection connection) throws Exception;
    }

    /** A handler that completes {@code result} with what {@code body} returns, or with what it throws. */
    static <T> ConnectionHandler reporting(CompletableFuture<T> result, HandlerBody<T> body) {
        return c -> {
            try {
                result.complete(body.run(c));
            } catch (Exception | Error e) {
                result.completeExceptionally(e);
                throw e;
            }
        };
    }

    TlsConfig.Builder serverTls(String... protocols) {
        TlsConfig.Builder builder = TlsConfig.builder(kit.certs().serverContext());
        return protocols.length > 0 ? builder.protocols(protocols) : builder;
    }

    static TlsConfig.Builder clientTls(SSLContext context, String... protocols) {
        TlsConfig.Builder builder = TlsConfig.builder(context);
        return protocols.length > 0 ? builder.protocols(protocols) : builder;
    }

    Server serve(TlsConfig tls, ConnectionHandler handler) throws TransportException {
        return serve(tls, ConnectionOptions.defaults(), handler);
    }

    Server serve(TlsConfig tls, ConnectionOptions connection, ConnectionHandler handler) throws TransportException {
        return kit.serve(ServerOptions.builder().tls(tls).connection(connection).build(), handler);
    }

    static ClientOptions clientOptions(TlsConfig tls, ConnectionOptions connection) {
        return ClientOptions.builder().tls(tls).connection(connection).build();
    }

    /** Connects through the backend, within the kit's default wait. */
    Connection connect(InetSocketAddress address, TlsConfig tls) throws Exception {
        return connect(address, tls, ConnectionOptions.defaults());
    }

    Connection connect(InetSocketAddress address, TlsConfig tls, ConnectionOptions connection) throws Exception {
        return within("backend-connect", () -> kit.connect(address, clientOptions(tls, connection)));
    }

    /** Asserts that a backend connect fails with {@code kind}, within the kit's default wait. */
    void expectConnectFailure(ErrorKind kind, InetSocketAddress address, TlsConfig tls, String situation) {
        Future<Connection> attempt = kit.fork("backend-connect", () -> kit.connect(address, clientOptions(tls, ConnectionOptions.defaults())));
        TransportException e = assertThrows(TransportException.class, () -> Kit.await(attempt),
                () -> "connect must fail with " + kind + " for " + situation);
        assertEquals(kind, e.kind(), () -> "connect with " + situation + " failed with the wrong kind: " + e);
    }

    /**
     * Connects without a client certificate to a server that needs one, then reads once: with TLS
     * 1.2 the connect fails; with TLS 1.3 the server's verdict comes after the client's handshake
     * is done, so the first read may report it instead. Either way the kind is TLS_HANDSHAKE.
     */
    void expectHandshakeFailureAtConnectOrFirstRead(String protocol, InetSocketAddress address, TlsConfig tls)
            throws Exception {
        String outcome = within("backend-connect-then-read", () -> {
            Connection c;
            try {
                c = kit.connect(address, clientOptions(tls, ConnectionOptions.defaults()));
            } catch (TransportException e) {
                return "connect failed with " + e.kind();
            }
            return "connect succeeded and the first read " + readOutcome(c);
        });
        List<String> allowed = protocol.equals(TLS13)
                ? List.of("connect failed with TLS_HANDSHAKE", "connect succeeded and the first read failed with TLS_HANDSHAKE")
                : List.of("connect failed with TLS_HANDSHAKE");
        assertTrue(allowed.contains(outcome),
                protocol + ": a client without a certificate must fail with TLS_HANDSHAKE "
                        + (protocol.equals(TLS13) ? "at connect or at its first read" : "at connect") + ", but " + outcome);
    }

    /** Reads once and describes the outcome, for assertions that name what happened. */
    static String readOutcome(Connection connection) {
        try {
            int n = connection.read(ByteBuffer.allocate(256));
            return "returned " + n;
        } catch (TransportException e) {
            return "failed with " + e.kind();
        }
    }

    /** Runs a blocking call on a forked thread and waits for it up to the kit's default wait. */
    <T> T within(String name, Callable<T> call) throws Exception {
        return Kit.await(kit.fork(name, call));
    }

    /** Accepts one connection on a JDK TLS server and runs its handshake: the session, or what it threw. */
    Future<Object> acceptAndHandshake(SSLServerSocket server) {
        return kit.fork("oracle-accept", () -> {
            SSLSocket socket = (SSLSocket) kit.accept(server);
            try {
                socket.startHandshake();
                // With TLS 1.3 a client may still reject the server after this; read to see it.
                return socket.getSession();
            } catch (IOException e) {
                return e;
            }
        });
    }

    /** A JDK client-mode TLS socket over a connected plain socket, its handshake not started. */
    SSLSocket layeredClient(Socket plain, SSLContext context) throws IOException {
        return layeredClient(plain, context, p -> {});
    }

    SSLSocket layeredClient(Socket plain, SSLContext context, Consumer<SSLParameters> configure) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        kit.track(socket);
        SSLParameters parameters = socket.getSSLParameters();
        configure.accept(parameters);
        socket.setSSLParameters(parameters);
        return socket;
    }

    static List<SNIServerName> requestedServerNames(Object session) {
        ExtendedSSLSession extended = assertInstanceOf(ExtendedSSLSession.class, session,
                "the session must be an ExtendedSSLSession, to show the requested server names: " + session);
        return extended.getRequestedServerNames();
    }

    static Object poll(BlockingQueue<Object> queue, String what) throws InterruptedException {
        Object value = queue.poll(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS);
        if (value == null) {
            fail("not within " + Kit.defaultWait() + ": " + what);
        }
        return value;
    }

    /** Waits for a handler's read timeout reported at stream position {@code position}. */
    static void awaitTimeoutAt(BlockingQueue<Object> timeouts, int position, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + Kit.defaultWait().toNanos();
        while (true) {
            Object event = timeouts.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                fail("not within " + Kit.defaultWait() + ": " + what);
            }
            if (event instanceof TransportException e) {
                throw new AssertionError(what + ": the handler's read failed instead", e);
            }
            int at = (Integer) event;
            if (at == position) {
                return;
            }
            // Only a timeout before any data arrived may come first.
            assertTrue(at < position, what + ": the handler had read " + at + " bytes, more than the " + position + " sent");
        }
    }

    static boolean completesWithin(Future<?> future, Duration limit) throws InterruptedException {
        try {
            future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    static void writeChunked(Connection connection, byte[] data, Random random, int maxChunk)
            throws TransportException {
        int offset = 0;
        while (offset < data.length) {
            int n = Math.min(data.length - offset, 1 + random.nextInt(maxChunk));
            connection.write(ByteBuffer.wrap(data, offset, n));
            offset += n;
        }
    }

    static InetSocketAddress addressOf(Server server) {
        return new InetSocketAddress(Kit.LOOPBACK, server.localAddress().getPort());
    }

    static InetSocketAddress addressOf(ServerSocket server) {
        return new InetSocketAddress(Kit.LOOPBACK, server.getLocalPort());
    }
}
