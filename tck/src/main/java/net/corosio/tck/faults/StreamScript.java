package net.corosio.tck.faults;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Random;
import javax.net.ssl.SSLException;
import net.corosio.TransportException;

/**
 * What each end of a fault scenario does, the same on the transport under test and on the JDK
 * end. The client greets, the server answers (so the connection, and any TLS handshake, is
 * complete before the fault is put on the path); then the sender writes the stream in writes of
 * random sizes and waits for the receiver's receipt (bytes received, bytes intact) before it
 * closes, and the receiver reads the whole stream, sends the receipt and reads the sender's
 * end-of-stream before it closes. Nothing half-closes, so the script works the same over TLS.
 */
final class StreamScript {

    /** What one end saw. */
    static final String SUCCESS = "success";

    /** The stream ended before it was complete. */
    static final String END_OF_STREAM = "end-of-stream";

    /** Bytes the greeting carries each way. */
    static final int GREETING_BYTES = 1;

    private static final byte HELLO = 'G';
    private static final byte WELCOME = 'H';
    private static final int MAX_WRITE = 64 * 1024;

    /**
     * How one end's script ended.
     *
     * @param outcome {@value #SUCCESS}, {@value #END_OF_STREAM}, an {@code ErrorKind} name, or
     *     another description of a failure
     * @param atNanos when the outcome was known
     * @param sent stream bytes written (accepted by write calls), for a sender
     * @param check what a receiver received, or {@code null} for a sender
     * @param detail the failure, or what a sender's receipt said
     */
    record Result(String outcome, long atNanos, long sent, StreamCheck check, String detail) {}

    private StreamScript() {}

    /** The client's half of the greeting. */
    static void greetAsClient(Endpoint end) throws IOException {
        end.write(ByteBuffer.wrap(new byte[] {HELLO}));
        expectByte(end, WELCOME);
    }

    /** The server's half of the greeting. */
    static void greetAsServer(Endpoint end) throws IOException {
        expectByte(end, HELLO);
        end.write(ByteBuffer.wrap(new byte[] {WELCOME}));
    }

    private static void expectByte(Endpoint end, byte expected) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        if (end.read(one) < 0) {
            throw new java.io.EOFException("the stream ended during the greeting");
        }
        if (one.get(0) != expected) {
            throw new IOException("the greeting was " + one.get(0) + ", not " + expected);
        }
    }

    /**
     * Writes the stream, then waits for the receipt, then closes.
     *
     * @param end the sender's end
     * @param size the stream's length
     * @param random the write sizes' source
     * @return how it ended
     */
    static Result send(Endpoint end, long size, Random random) {
        long sent = 0;
        try {
            while (sent < size) {
                int n = (int) Math.min(size - sent, 1 + random.nextInt(MAX_WRITE));
                ByteBuffer chunk = ByteBuffer.allocate(n);
                StreamPattern.fill(chunk, sent);
                end.write(chunk.flip());
                sent += n;
            }
            ByteBuffer receipt = ByteBuffer.allocate(16);
            while (receipt.hasRemaining()) {
                if (end.read(receipt) < 0) {
                    long at = System.nanoTime();
                    end.close();
                    return new Result(END_OF_STREAM, at, sent, null, "the stream ended before the receipt");
                }
            }
            long at = System.nanoTime();
            String said = "receipt: " + receipt.getLong(0) + " received, " + receipt.getLong(8) + " intact";
            end.close();
            return new Result(SUCCESS, at, sent, null, said);
        } catch (IOException | RuntimeException e) {
            long at = System.nanoTime();
            end.abort();
            return new Result(classify(e), at, sent, null, e.toString());
        }
    }

    /**
     * Reads the stream (checking it), sends the receipt, reads the sender's end-of-stream, then
     * closes.
     *
     * @param end the receiver's end
     * @param size the stream's length
     * @return how it ended
     */
    static Result receive(Endpoint end, long size) {
        StreamCheck check = new StreamCheck();
        ByteBuffer buffer = ByteBuffer.allocate(MAX_WRITE);
        try {
            while (check.received() < size) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), size - check.received()));
                if (end.read(buffer) < 0) {
                    long at = System.nanoTime();
                    end.close();
                    return new Result(END_OF_STREAM, at, 0, check, "after " + check.received() + " of " + size + " bytes");
                }
                check.accept(buffer.flip());
            }
            ByteBuffer receipt = ByteBuffer.allocate(16).putLong(check.received()).putLong(check.delivered());
            end.write(receipt.flip());
            int n = end.read(buffer.clear());
            long at = System.nanoTime();
            end.close();
            return n < 0 ? new Result(SUCCESS, at, 0, check, null)
                    : new Result("unexpected data", at, 0, check, n + " bytes after the stream");
        } catch (IOException | RuntimeException e) {
            long at = System.nanoTime();
            end.abort();
            return new Result(classify(e), at, 0, check, e.toString());
        }
    }

    /**
     * Names a failure: a {@link TransportException}'s kind, or, for the JDK end, the kind its
     * exception stands for.
     *
     * @param e the failure
     * @return the name
     */
    static String classify(Exception e) {
        if (e instanceof TransportException te) {
            return te.kind().name();
        }
        if (e instanceof SocketTimeoutException) {
            return "READ_TIMEOUT";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("reset") || message.contains("Broken pipe")) {
                return "RESET";
            }
        }
        if (e instanceof SSLException) {
            return "TLS_ERROR";
        }
        if (e instanceof java.io.EOFException) {
            return END_OF_STREAM;
        }
        return e.getClass().getSimpleName();
    }
}
