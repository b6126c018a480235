package net.corosio.tck;

import java.net.InetSocketAddress;
import java.util.Set;
import net.corosio.Capability;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.TransportMetrics;
import net.corosio.spi.TransportProvider;

/** A provider whose transport does nothing: for testing the kit's own oracle, which needs none. */
final class NoTransport implements TransportProvider, Transport {

    @Override
    public String name() {
        return "none";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    @Override
    public Transport create(TransportConfig config) {
        return this;
    }

    @Override
    public Server serve(InetSocketAddress address, ServerOptions options, ConnectionHandler handler) {
        throw new UnsupportedOperationException("this transport does nothing");
    }

    @Override
    public Connection connect(InetSocketAddress address, ClientOptions options) {
        throw new UnsupportedOperationException("this transport does nothing");
    }

    @Override
    public TransportMetrics metrics() {
        return new TransportMetrics(0, 0);
    }

    @Override
    public void close() {}
}
