package net.corosio.tck.faults;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import net.corosio.Connection;

/**
 * One end of a scenario's connection as {@link StreamScript} drives it: the transport under test's
 * {@link Connection}, or the JDK socket at the other end. Used by one thread at a time.
 */
interface Endpoint {

    /** Reads at least one byte, or returns -1 at end-of-stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes every remaining byte. */
    void write(ByteBuffer src) throws IOException;

    /** Closes gracefully. */
    void close() throws IOException;

    /** Closes so the peer sees a reset; never throws. */
    void abort();

    /**
     * The transport under test's end.
     *
     * @param connection the connection
     * @return the endpoint
     */
    static Endpoint of(Connection connection) {
        return new Endpoint() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                return connection.read(dst);
            }

            @Override
            public void write(ByteBuffer src) throws IOException {
                connection.write(src);
            }

            @Override
            public void close() {
                connection.close();
            }

            @Override
            public void abort() {
                connection.abort();
            }
        };
    }

    /**
     * The JDK end (plain or TLS).
     *
     * @param socket the socket
     * @return the endpoint; its buffers must be heap buffers
     */
    static Endpoint of(Socket socket) {
        return new Endpoint() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                InputStream in = socket.getInputStream();
                int n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return n;
            }

            @Override
            public void write(ByteBuffer src) throws IOException {
                socket.getOutputStream().write(src.array(), src.arrayOffset() + src.position(), src.remaining());
                src.position(src.limit());
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }

            @Override
            public void abort() {
                try {
                    socket.setSoLinger(true, 0);
                } catch (IOException e) {
                    // closed already
                }
                try {
                    socket.close();
                } catch (IOException e) {
                    // nothing more to do
                }
            }
        };
    }
}
