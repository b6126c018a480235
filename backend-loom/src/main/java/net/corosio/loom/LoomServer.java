package net.corosio.loom;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import net.corosio.ConnectionHandler;
import net.corosio.ServerOptions;
import net.corosio.TransportException;
import net.corosio.spi.AbstractServer;
import net.corosio.spi.BlockingAcceptor;
import net.corosio.spi.TlsEngines;

/**
 * A loom server: a {@link BlockingAcceptor} blocks in {@code accept()} on a virtual thread and each
 * socket goes to {@link AbstractServer}, which runs the handler.
 */
final class LoomServer extends AbstractServer<LoomConnection> {

    private final LoomTransport transport;
    private final ServerSocketChannel listener;
    private final InetSocketAddress localAddress;
    private volatile BlockingAcceptor acceptor;

    LoomServer(LoomTransport transport, ServerSocketChannel listener, ServerOptions options, ConnectionHandler handler)
            throws IOException {
        super(LoomTransportProvider.NAME, options, handler);
        this.transport = transport;
        this.listener = listener;
        this.localAddress = (InetSocketAddress) listener.getLocalAddress();
    }

    @Override
    protected void startAccepting() throws IOException {
        acceptor = BlockingAcceptor.start("corosio-loom-accept", listener, this::adopt);
    }

    private void adopt(SocketChannel channel) throws IOException {
        accepted(transport.newConnection(channel, true, options().connection(),
                options().tls() == null ? null : TlsEngines.server(options().tls()), traffic()));
    }

    @Override
    protected void prepare(LoomConnection connection) throws TransportException {
        connection.handshake();
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
