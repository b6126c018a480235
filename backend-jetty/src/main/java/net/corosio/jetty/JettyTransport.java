package net.corosio.jetty;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import net.corosio.Capability;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TransportException;
import net.corosio.spi.AbstractTransport;
import net.corosio.spi.ErrorClassifier;
import net.corosio.spi.TlsEngines;
import net.corosio.spi.TrafficCounter;
import org.eclipse.jetty.io.EndPoint;

/**
 * The jetty transport. Servers accept on a virtual thread and register each socket with the
 * server selectors; clients connect on the caller's thread and register the connected socket with
 * the client connector. Every socket then gets the same stack: a {@link SocketEndPoint}, a {@link
 * TlsLayer} for TLS, and an {@link EndPointBridge} reporting to a {@link JettyConnection}.
 *
 * <p>Connecting is blocking (on the caller's thread, a virtual thread in a handler), bounded by
 * the connection's own connect timeout: Jetty's non-blocking connect has one timeout per {@code
 * ClientConnector}, not per connection, and a connect it abandons leaves its socket registered
 * with a selector, so its descriptor stays open until that selector next wakes up.
 */
final class JettyTransport extends AbstractTransport {

    private final JettyIo io;
    private final TrafficCounter clientTraffic = new TrafficCounter();

    JettyTransport(Set<Capability> capabilities, JettyIo io) {
        super(JettyTransportProvider.NAME, capabilities);
        this.io = io;
    }

    JettyIo io() {
        return io;
    }

    TrafficCounter clientTraffic() {
        return clientTraffic;
    }

    @Override
    public Server serve(InetSocketAddress address, ServerOptions options, ConnectionHandler handler)
            throws TransportException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        ensureOpen();
        InetSocketAddress bindAddress = resolve(address, "serve on");
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open();
            SocketConfig.listener(listener, options.connection().socket());
            listener.bind(bindAddress, options.backlog());
            JettyServer server = new JettyServer(this, listener, options, handler);
            server.onShutdownRun(track(server));
            server.start();
            return server;
        } catch (IOException e) {
            closeQuietly(listener);
            ErrorKind kind = ErrorClassifier.classify(e, ErrorKind.IO);
            throw new TransportException(kind, "serve on " + address + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Connection connect(InetSocketAddress address, ClientOptions options) throws TransportException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        InetSocketAddress target = resolve(address, "connect to");
        SocketChannel channel = null;
        SSLEngine engine;
        try {
            channel = SocketChannel.open();
            SocketConfig.client(channel, options.connection().socket());
            if (options.localAddress() != null) {
                channel.bind(options.localAddress());
            }
            channel.socket().connect(target, millis(options.connectTimeout()));
            engine = options.tls() == null ? null : TlsEngines.client(options.tls(), address);
        } catch (IOException e) {
            closeQuietly(channel);
            ErrorKind kind = Thread.currentThread().isInterrupted()
                    ? ErrorKind.CANCELLED
                    : ErrorClassifier.classify(e, ErrorKind.CONNECT_TIMEOUT);
            throw new TransportException(kind, "connect to " + address + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
        ClientAttempt attempt = new ClientAttempt(this, channel, target, options.connection(), engine);
        io.clients().accept(channel, attempt.context());
        JettyConnection connection = attempt.await();
        connection.awaitHandshake();
        return connection;
    }

    /**
     * Builds the connection stack on a socket's end point (on a selector thread): the TLS layer if
     * there is an engine, the bridge, and the API connection, tracked until its socket closes.
     *
     * @param network the socket's end point
     * @param serverSide whether the socket was accepted
     * @param options the connection's options
     * @param engine the TLS engine, or {@code null} for plain TCP
     * @param traffic the counter the connection's bytes go to
     * @return the connection for {@code network}: the TLS layer, or the bridge
     */
    org.eclipse.jetty.io.Connection newStack(
            SocketEndPoint network, boolean serverSide, ConnectionOptions options, SSLEngine engine, TrafficCounter traffic) {
        TlsLayer tls = engine == null ? null : new TlsLayer(io.pool(), io.threads(), network, engine);
        EndPoint endPoint = tls == null ? network : tls.getSslEndPoint();
        EndPointBridge bridge = new EndPointBridge(endPoint, io.threads(), network, tls, io.pool());
        SocketChannel channel = network.getChannel();
        JettyConnection connection = new JettyConnection(bridge, engine, serverSide,
                address(channel.socket().getLocalSocketAddress()), address(channel.socket().getRemoteSocketAddress()),
                options, io.timeouts(), traffic);
        bridge.attach(connection);
        connection.untrackWith(track(connection, connection.state()));
        if (tls == null) {
            return bridge;
        }
        endPoint.setConnection(bridge);
        return tls;
    }

    private static InetSocketAddress address(java.net.SocketAddress address) {
        return (InetSocketAddress) address;
    }

    private static InetSocketAddress resolve(InetSocketAddress address, String operation) throws TransportException {
        if (!address.isUnresolved()) {
            return address;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(address.getHostString()), address.getPort());
        } catch (UnknownHostException e) {
            throw new TransportException(ErrorKind.UNRESOLVED,
                    operation + " " + address + " failed: cannot resolve " + address.getHostString(), e);
        }
    }

    /** A timeout in whole milliseconds for the socket APIs: 0 means none, and nothing rounds down to 0. */
    private static int millis(Duration timeout) {
        if (timeout.isZero()) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Closing a socket we are abandoning: nothing useful to report.
        }
    }

    @Override
    protected void closeResources() {
        io.close();
    }
}
