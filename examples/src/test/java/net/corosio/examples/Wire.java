package net.corosio.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A raw JDK socket to an example, for the bytes no well-behaved client sends: malformed, oversized,
 * truncated and trickled input. Every read has a deadline.
 */
public final class Wire implements AutoCloseable {

    /** How long any single expectation may take. */
    public static final Duration DEADLINE = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    /** How the peer ended the stream. */
    public enum End { CLOSED, RESET }

    private Wire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /**
     * Connects.
     *
     * @param address the example's address
     * @return the connected wire
     * @throws IOException if it cannot connect
     */
    public static Wire connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, (int) DEADLINE.toMillis());
        socket.setTcpNoDelay(true);
        return new Wire(socket);
    }

    /**
     * Returns the socket, for options and half-closing.
     *
     * @return the socket
     */
    public Socket socket() {
        return socket;
    }

    /**
     * Sends text as ISO-8859-1 bytes.
     *
     * @param text the bytes to send
     * @return this wire
     * @throws IOException if sending fails
     */
    public Wire send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends bytes.
     *
     * @param bytes what to send
     * @return this wire
     * @throws IOException if sending fails
     */
    public Wire send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /**
     * Reads until {@code marker} has been received (counting from the first byte this wire read),
     * failing the test at the deadline.
     *
     * @param marker the text to wait for
     * @return everything received so far
     * @throws IOException if reading fails
     */
    public String readUntil(String marker) throws IOException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        byte[] buffer = new byte[8192];
        while (!text().contains(marker)) {
            int read = readSome(buffer, deadline, marker);
            if (read < 0) {
                fail("the stream ended before '" + marker + "'; received: " + text());
            }
        }
        return text();
    }

    /**
     * Reads until the peer ends the stream, failing the test at the deadline.
     *
     * @return how it ended
     * @throws IOException if reading fails other than by a reset
     */
    public End readToEnd() throws IOException {
        return readToEnd(DEADLINE);
    }

    /**
     * Reads until the peer ends the stream, failing the test after {@code within}.
     *
     * @param within the deadline
     * @return how it ended
     * @throws IOException if reading fails other than by a reset
     */
    public End readToEnd(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        byte[] buffer = new byte[8192];
        try {
            while (readSome(buffer, deadline, "end of stream") >= 0) {
                // keep reading
            }
            return End.CLOSED;
        } catch (SocketException e) {
            if (String.valueOf(e.getMessage()).contains("reset")) {
                return End.RESET;
            }
            throw e;
        }
    }

    /**
     * Returns everything received so far, as ISO-8859-1 text.
     *
     * @return the text
     */
    public String text() {
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    private int readSome(byte[] buffer, long deadline, String waitingFor) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            fail("timed out waiting for " + waitingFor + "; received: " + text());
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        try {
            int read = in.read(buffer);
            if (read > 0) {
                received.write(buffer, 0, read);
            }
            return read;
        } catch (SocketTimeoutException e) {
            fail("timed out waiting for " + waitingFor + "; received: " + text());
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
