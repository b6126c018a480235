package net.corosio.tck.selftest;

import net.corosio.Server;
import net.corosio.ServerMetrics;
import net.corosio.Transport;

/** Broken: a connection rejected for {@code maxConnections} is counted twice (2.7). */
final class CountsRejectionsTwice extends ForwardingTransport {

    CountsRejectionsTwice(Transport delegate) {
        super(delegate);
    }

    @Override
    protected Server server(Server server) {
        return new ForwardingServer(server) {
            @Override
            public ServerMetrics metrics() {
                ServerMetrics m = delegate.metrics();
                return new ServerMetrics(m.accepted(), m.active(), 2 * m.rejected(), m.handlerFailures(),
                        m.tlsHandshakeFailures(), m.bytesRead(), m.bytesWritten());
            }
        };
    }
}
