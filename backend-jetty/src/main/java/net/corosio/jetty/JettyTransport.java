package net.corosio.jetty;

import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import net.corosio.Capability;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.ConnectionOptions;
import net.corosio.HandlerExecutors;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TransportException;
import net.corosio.spi.AbstractTransport;
import net.corosio.spi.JdkSockets;
import net.corosio.spi.LoopCarrier;
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
        return serveOnListener(address, options, handler, listener -> new JettyServer(this,
                HandlerExecutors.isEventLoop(options.handlerExecutor()) ? io.carriedServers() : io.servers(),
                listener, options, handler));
    }

    @Override
    protected List<LoopCarrier> carriers() {
        return io.carriers();
    }

    // @corrects connect-timeout: Jetty's non-blocking connect has one timeout per ClientConnector and
    // fails with SocketTimeoutException("Connect Timeout"); connecting here is bounded per connection
    // and reported as CONNECT_TIMEOUT, and an abandoned connect leaves no socket registered.
    @Override
    public Connection connect(InetSocketAddress address, ClientOptions options) throws TransportException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        SocketChannel channel = JdkSockets.connectBlocking(address, options);
        SSLEngine engine;
        try {
            engine = options.tls() == null ? null : TlsEngines.client(options.tls(), address);
        } catch (RuntimeException e) {
            JdkSockets.closeQuietly(channel);
            throw e;
        }
        InetSocketAddress target = (InetSocketAddress) channel.socket().getRemoteSocketAddress();
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

    @Override
    protected void closeResources() {
        io.close();
    }
}
