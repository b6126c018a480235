package net.corosio.tck.selftest;

import java.nio.ByteBuffer;
import net.corosio.Connection;
import net.corosio.ErrorKind;
import net.corosio.Transport;
import net.corosio.TransportException;

/**
 * Broken: on a TLS 1.2 connection, the end of a stream the peer closed cleanly ({@code
 * close_notify}, then FIN) is reported as {@code TLS_TRUNCATED} instead of -1 (8.18).
 */
final class ReportsCleanTls12CloseAsTruncated extends ForwardingTransport {

    ReportsCleanTls12CloseAsTruncated(Transport delegate) {
        super(delegate);
    }

    @Override
    protected Connection connection(Connection connection) {
        boolean tls12 = connection.tlsSession().map(s -> s.getProtocol().equals("TLSv1.2")).orElse(false);
        return !tls12 ? connection : new ForwardingConnection(connection) {
            @Override
            public int read(ByteBuffer dst) throws TransportException {
                int n = delegate.read(dst);
                if (n < 0) {
                    throw new TransportException(ErrorKind.TLS_TRUNCATED, "the stream ended (broken: clean or not)");
                }
                return n;
            }
        };
    }
}
