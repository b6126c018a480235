package net.corosio.jetty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import net.corosio.ConnectionHandler;
import net.corosio.ServerOptions;
import net.corosio.TransportException;
import net.corosio.spi.AbstractServer;
import net.corosio.spi.BlockingAcceptor;
import net.corosio.spi.JdkSockets;
import net.corosio.spi.LoopCarrier;
import net.corosio.spi.TlsEngines;
import org.eclipse.jetty.io.Connection;

/**
 * A jetty server. Like Jetty's own {@code ServerConnector}, it accepts with a blocking {@code
 * accept()} (here on a virtual thread) and hands each socket to the transport's selectors with
 * {@code SelectorManager.accept}; from then on the socket belongs to the event loop. A server whose
 * handlers the event loop carries hands its sockets to the carried selectors, and starts each
 * handler on the carrier of its socket's selector.
 */
final class JettyServer extends AbstractServer<JettyConnection> {

    private final JettyTransport transport;
    private final ServerSelectors selectors;
    private final ServerSocketChannel listener;
    private final InetSocketAddress localAddress;
    private volatile BlockingAcceptor acceptor;

    JettyServer(JettyTransport transport, ServerSelectors selectors, ServerSocketChannel listener, ServerOptions options,
            ConnectionHandler handler) throws IOException {
        super(JettyTransportProvider.NAME, options, handler);
        this.transport = transport;
        this.selectors = selectors;
        this.listener = listener;
        this.localAddress = (InetSocketAddress) listener.getLocalAddress();
    }

    @Override
    protected void startAccepting() throws IOException {
        acceptor = BlockingAcceptor.start("corosio-jetty-accept", listener, this::adopt);
    }

    /** Hands an accepted socket to the transport's selectors; from then on it is the loop's. */
    private void adopt(SocketChannel channel) throws IOException {
        JdkSockets.configureAccepted(channel, options().connection().socket());
        channel.configureBlocking(false);
        selectors.accept(channel, this);
    }

    /** On a selector thread: builds the connection stack for an accepted socket. */
    Connection newConnection(SocketEndPoint endPoint) {
        return transport.newStack(endPoint, true, options().connection(),
                options().tls() == null ? null : TlsEngines.server(options().tls()), traffic());
    }

    /** On a selector thread: the connection is open and reading; its handler may start. */
    void opened(JettyConnection connection) {
        accepted(connection);
    }

    /** Starts the handler on the carrier of the selector the connection's socket is registered with. */
    @Override
    protected void startOnEventLoop(JettyConnection connection, Runnable handler) {
        LoopCarrier carrier = connection.bridge().carrier();
        if (carrier == null) {
            throw new IllegalStateException(connection + " is not on a carried selector");
        }
        carrier.startHandler(connection, handler);
    }

    @Override
    protected void prepare(JettyConnection connection) throws TransportException {
        connection.awaitHandshake();
    }

    @Override
    protected void stopAccepting() {
        BlockingAcceptor running = acceptor;
        if (running != null) {
            running.stop();
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }
}
