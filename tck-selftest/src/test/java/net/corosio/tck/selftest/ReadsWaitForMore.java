package net.corosio.tck.selftest;

import java.nio.ByteBuffer;
import net.corosio.Connection;
import net.corosio.Transport;
import net.corosio.TransportException;

/**
 * Broken: a read that got some bytes waits 50 ms before it returns, as one that hoped to fill the
 * buffer would (3.2). Every byte still arrives, in order, within any generous deadline.
 */
final class ReadsWaitForMore extends ForwardingTransport {

    ReadsWaitForMore(Transport delegate) {
        super(delegate);
    }

    @Override
    protected Connection connection(Connection connection) {
        return new Slow(connection);
    }

    private static final class Slow extends ForwardingConnection {
        Slow(Connection delegate) {
            super(delegate);
        }

        @Override
        public int read(ByteBuffer dst) throws TransportException {
            int n = delegate.read(dst);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return n;
        }
    }
}
