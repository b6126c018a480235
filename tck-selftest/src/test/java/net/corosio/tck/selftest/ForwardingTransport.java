package net.corosio.tck.selftest;

import java.net.InetSocketAddress;
import java.util.Set;
import net.corosio.Capability;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportException;
import net.corosio.TransportMetrics;

/**
 * A transport that passes every call to a working one, with a hook at each place a broken backend
 * may differ: the options it applies, the connections it hands out (made or accepted), how it runs
 * a handler, the servers and metrics it reports, and its close.
 */
class ForwardingTransport implements Transport {

    /** The working transport underneath. */
    protected final Transport delegate;

    ForwardingTransport(Transport delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public Server serve(InetSocketAddress address, ServerOptions options, ConnectionHandler handler)
            throws TransportException {
        return server(delegate.serve(address, serverOptions(options), c -> handle(handler, accepted(c))));
    }

    @Override
    public Connection connect(InetSocketAddress address, ClientOptions options) throws TransportException {
        return client(delegate.connect(address, clientOptions(options)));
    }

    @Override
    public TransportMetrics metrics() {
        return delegate.metrics();
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** The options the working transport serves with. */
    protected ServerOptions serverOptions(ServerOptions asked) {
        return asked;
    }

    /** The options the working transport connects with. */
    protected ClientOptions clientOptions(ClientOptions asked) {
        return asked;
    }

    /** The connection a handler is given; by default {@link #connection}. */
    protected Connection accepted(Connection connection) {
        return connection(connection);
    }

    /** The connection {@code connect} returns; by default {@link #connection}. */
    protected Connection client(Connection connection) throws TransportException {
        return connection(connection);
    }

    /** The connection handed out, made or accepted. */
    protected Connection connection(Connection connection) {
        return connection;
    }

    /** Runs a handler; the working server does what it does when this returns or throws. */
    protected void handle(ConnectionHandler handler, Connection connection) throws Exception {
        handler.handle(connection);
    }

    /** The server {@code serve} returns. */
    protected Server server(Server server) {
        return server;
    }
}
