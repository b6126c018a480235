package net.corosio.tck.selftest;

import java.net.InetSocketAddress;
import java.time.Duration;
import net.corosio.Server;
import net.corosio.ServerMetrics;
import net.corosio.ShutdownOutcome;

/** A server that passes every call to another; a broken backend overrides the call it breaks. */
class ForwardingServer implements Server {

    /** The server of the working backend underneath. */
    protected final Server delegate;

    ForwardingServer(Server delegate) {
        this.delegate = delegate;
    }

    @Override
    public InetSocketAddress localAddress() {
        return delegate.localAddress();
    }

    @Override
    public ServerMetrics metrics() {
        return delegate.metrics();
    }

    @Override
    public boolean isAccepting() {
        return delegate.isAccepting();
    }

    @Override
    public ShutdownOutcome shutdown(Duration grace) {
        return delegate.shutdown(grace);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
