package net.corosio.tck.selftest;

import java.nio.ByteBuffer;
import net.corosio.Connection;
import net.corosio.Transport;
import net.corosio.TransportException;

/**
 * Broken: a write copies the caller's whole buffer into memory of its own before sending it, so a
 * 4 MiB write to a peer that reads nothing holds 4 MiB, whatever the write high water mark (6.2).
 * The write still waits until the copy is sent, so it does suspend.
 */
final class CopiesWritesWhole extends ForwardingTransport {

    CopiesWritesWhole(Transport delegate) {
        super(delegate);
    }

    @Override
    protected Connection connection(Connection connection) {
        return new Copying(connection);
    }

    private static final class Copying extends ForwardingConnection {
        Copying(Connection delegate) {
            super(delegate);
        }

        @Override
        public void write(ByteBuffer src) throws TransportException {
            ByteBuffer copy = ByteBuffer.allocate(src.remaining()).put(src.duplicate()).flip();
            delegate.write(copy);
            src.position(src.limit());
        }
    }
}
