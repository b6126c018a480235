package net.corosio.jetty;

import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLEngine;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.spi.ErrorClassifier;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.Promise;

/**
 * One connected client socket on its way into the client connector: it builds the connection
 * stack when Jetty asks, and hands the opened connection to the thread that waits in {@link
 * #await}. A connection that arrives after the waiter gave up (interrupted) is aborted.
 */
final class ClientAttempt implements Promise<Connection> {

    /** How long registering a connected socket with a selector may take. */
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(10);

    private final JettyTransport transport;
    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final ConnectionOptions options;
    private final SSLEngine engine;
    private final CompletableFuture<JettyConnection> result = new CompletableFuture<>();
    private volatile JettyConnection created;

    ClientAttempt(JettyTransport transport, SocketChannel channel, InetSocketAddress remote, ConnectionOptions options,
            SSLEngine engine) {
        this.transport = transport;
        this.channel = channel;
        this.remote = remote;
        this.options = options;
        this.engine = engine;
    }

    /** The context for {@code ClientConnector.accept}. */
    Map<String, Object> context() {
        Map<String, Object> context = new ConcurrentHashMap<>();
        context.put(JettyClientConnector.ATTEMPT_CONTEXT_KEY, this);
        context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, this);
        context.put(ClientConnector.REMOTE_SOCKET_ADDRESS_CONTEXT_KEY, remote);
        return context;
    }

    /** On a selector thread: builds the stack for the registered socket. */
    Connection newConnection(SocketEndPoint endPoint) {
        Connection top = transport.newStack(endPoint, false, options, engine, transport.clientTraffic());
        created = EndPointBridge.of(top).api();
        return top;
    }

    /** Jetty: the connection is open. */
    @Override
    public void succeeded(Connection connection) {
        JettyConnection api = EndPointBridge.of(connection).api();
        if (!result.complete(api)) {
            api.abort(); // the caller has given up
        }
    }

    /** Jetty: the socket could not be registered, or the connection could not open. */
    @Override
    public void failed(Throwable failure) {
        result.completeExceptionally(failure);
        JettyConnection api = created;
        if (api != null) {
            api.abort();
        }
    }

    /**
     * Waits until the connection is open.
     *
     * @return the connection
     * @throws TransportException {@code CANCELLED} if the thread is interrupted (the connection is
     *     aborted), or the failure Jetty reported
     */
    JettyConnection await() throws TransportException {
        try {
            return result.get(REGISTRATION_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveUp(new InterruptedIOException("interrupted"));
            throw new TransportException(ErrorKind.CANCELLED, "connect to " + remote + " failed: interrupted", e);
        } catch (TimeoutException e) {
            giveUp(e);
            throw new TransportException(ErrorKind.IO, "connect to " + remote
                    + " failed: the socket was not registered with a selector within " + REGISTRATION_WAIT, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            ErrorKind kind = ErrorClassifier.classify(cause, ErrorKind.CONNECT_TIMEOUT);
            throw new TransportException(kind, "connect to " + remote + " failed: " + cause.getMessage(), cause);
        }
    }

    private void giveUp(Throwable why) {
        if (result.completeExceptionally(why)) {
            JettyConnection api = created;
            if (api != null) {
                api.abort();
            } else {
                JettyTransport.closeQuietly(channel); // not registered yet: nothing else owns it
            }
        } else if (!result.isCompletedExceptionally()) {
            result.join().abort();
        }
    }
}
