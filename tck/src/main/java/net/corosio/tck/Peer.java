package net.corosio.tck;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Random;
import javax.net.ssl.SSLException;
import net.corosio.Connection;
import net.corosio.TransportException;

/**
 * What the oracle peer (a plain JDK socket) and the kit's handlers do over and over: write in
 * random chunks, read exactly so many bytes, read to the end, and say how a stream ended. Reads on
 * JDK sockets are bounded by the socket's timeout, which the kit sets on every socket it makes.
 */
public final class Peer {

    /** How a peer saw a stream end. */
    public enum End {
        /** A clean end-of-stream. */
        EOF,
        /** A connection reset. */
        RESET,
        /**
         * A TLS-level failure. A JDK {@code SSLSocket} does not report a missing {@code
         * close_notify} (it returns -1 either way): use {@code TlsPeers.EnginePeer} when that
         * matters.
         */
        TLS_ERROR
    }

    private Peer() {}

    /**
     * Writes {@code bytes} in random chunks of 1 to {@code maxChunk} bytes, each sent on its own.
     *
     * @param socket the socket
     * @param bytes the data
     * @param random the chunk sizes' source
     * @param maxChunk the largest chunk
     * @throws IOException if writing fails
     */
    public static void writeChunked(Socket socket, byte[] bytes, Random random, int maxChunk) throws IOException {
        OutputStream out = socket.getOutputStream();
        int offset = 0;
        while (offset < bytes.length) {
            int n = Math.min(bytes.length - offset, 1 + random.nextInt(maxChunk));
            out.write(bytes, offset, n);
            out.flush();
            offset += n;
        }
    }

    /**
     * Reads exactly {@code size} bytes.
     *
     * @param socket the socket
     * @param size how many
     * @return the bytes
     * @throws IOException if the stream ends first, fails, or the socket's timeout passes
     */
    public static byte[] readExactly(Socket socket, int size) throws IOException {
        return readFully(socket.getInputStream(), size);
    }

    /**
     * Reads exactly {@code size} bytes, failing if the stream ends first.
     *
     * @param in the stream
     * @param size how many
     * @return the bytes
     * @throws IOException if the stream ends first or fails
     */
    public static byte[] readFully(InputStream in, int size) throws IOException {
        byte[] bytes = in.readNBytes(size);
        if (bytes.length < size) {
            throw new EOFException("stream ended after " + bytes.length + " of " + size + " bytes");
        }
        return bytes;
    }

    /**
     * Reads until end-of-stream.
     *
     * @param socket the socket
     * @return every byte read
     * @throws IOException if the stream fails or the socket's timeout passes
     */
    public static byte[] readToEnd(Socket socket) throws IOException {
        return socket.getInputStream().readAllBytes();
    }

    /**
     * Reads and discards until the stream ends, and says how it ended.
     *
     * @param socket the socket
     * @return how the stream ended
     * @throws IOException if the socket's timeout passes or another error occurs
     */
    public static End awaitEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) {
                // discard
            }
            return End.EOF;
        } catch (java.net.SocketTimeoutException e) {
            throw e;
        } catch (SSLException e) {
            return isReset(e) ? End.RESET : End.TLS_ERROR;
        } catch (SocketException e) {
            if (isReset(e)) {
                return End.RESET;
            }
            throw e;
        }
    }

    private static boolean isReset(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("reset") || message.contains("Broken pipe"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Closes a socket so that the other side sees a reset ({@code SO_LINGER} 0).
     *
     * @param socket the socket
     * @throws IOException if closing fails
     */
    public static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /**
     * Reads exactly {@code size} bytes from a connection, using reads of random sizes.
     *
     * @param connection the connection
     * @param size how many
     * @param random the read sizes' source
     * @return the bytes
     * @throws TransportException if a read fails
     * @throws EOFException if the stream ends first
     */
    public static byte[] readExactly(Connection connection, int size, Random random)
            throws TransportException, EOFException {
        ByteBuffer all = ByteBuffer.allocate(size);
        while (all.hasRemaining()) {
            int want = Math.min(all.remaining(), 1 + random.nextInt(16 * 1024));
            ByteBuffer slice = all.slice(all.position(), want);
            int n = connection.read(slice);
            if (n < 0) {
                throw new EOFException("end-of-stream after " + all.position() + " of " + size + " bytes");
            }
            all.position(all.position() + n);
        }
        return all.array();
    }

    /**
     * Reads from a connection until end-of-stream.
     *
     * @param connection the connection
     * @return every byte read
     * @throws TransportException if a read fails
     */
    public static byte[] readToEnd(Connection connection) throws TransportException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (connection.read(buffer.clear()) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
        }
        return out.toByteArray();
    }

    /**
     * Echoes everything it reads until end-of-stream: the handler of many rules.
     *
     * @param connection the connection
     * @throws TransportException if a call fails
     */
    public static void echo(Connection connection) throws TransportException {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (connection.read(buffer.clear()) >= 0) {
            connection.write(buffer.flip());
        }
    }
}
