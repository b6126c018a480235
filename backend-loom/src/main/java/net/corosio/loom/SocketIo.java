package net.corosio.loom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import net.corosio.spi.JdkSockets;

/**
 * Raw byte moves on a blocking channel, with the read timeout and progress reporting the API's
 * timeouts need. A read with a timeout goes through the channel's socket adaptor, whose timed
 * read parks the virtual thread and, unlike closing the channel from a timer, leaves the
 * connection usable when it times out.
 */
final class SocketIo {

    private static final int SCRATCH_SIZE = 16 * 1024;

    private final SocketChannel channel;
    private final int readTimeoutMillis;
    private final InputStream timedInput;
    private final Runnable readProgress;
    private final Runnable writeProgress;
    private byte[] scratch; // only for timed reads into direct buffers; used by the single reader
    private InputStream input; // the socket adaptor's stream, for available(); made on first use by the reader

    /**
     * Wraps a blocking channel.
     *
     * @param readProgress run after a read that got bytes (postpones the idle timeout)
     * @param writeProgress run after a write that moved bytes (postpones the idle and write timeouts)
     */
    SocketIo(SocketChannel channel, Duration readTimeout, Runnable readProgress, Runnable writeProgress)
            throws IOException {
        this.channel = channel;
        this.readTimeoutMillis = JdkSockets.timeoutMillis(readTimeout);
        this.readProgress = readProgress;
        this.writeProgress = writeProgress;
        if (readTimeoutMillis > 0) {
            channel.socket().setSoTimeout(readTimeoutMillis);
            this.timedInput = channel.socket().getInputStream();
        } else {
            this.timedInput = null;
        }
    }

    /**
     * Reads at least one byte, or returns -1 at end-of-stream.
     *
     * @throws java.net.SocketTimeoutException when the read timeout passes (the channel stays open)
     */
    // @corrects read-timeout: a JDK SocketChannel read has no timeout, and closing it from a timer
    // would end the connection; the socket adaptor's timed read leaves it usable after READ_TIMEOUT.
    int read(ByteBuffer dst) throws IOException {
        int n = timedInput == null ? channel.read(dst) : timedRead(dst);
        if (n > 0) {
            readProgress.run();
        }
        return n;
    }

    /**
     * Returns how many bytes the kernel holds for reading now ({@code FIONREAD}): a read of that
     * many returns at once.
     *
     * @return the bytes readable without waiting, 0 if none (or after end-of-stream)
     */
    int available() throws IOException {
        InputStream in = timedInput != null ? timedInput : input;
        if (in == null) {
            in = channel.socket().getInputStream();
            input = in;
        }
        return in.available();
    }

    /** Reads without the read timeout: the TLS handshake has its own. */
    int readUntimed(ByteBuffer dst) throws IOException {
        int n = channel.read(dst);
        if (n > 0) {
            readProgress.run();
        }
        return n;
    }

    private int timedRead(ByteBuffer dst) throws IOException {
        if (dst.hasArray()) {
            int n = timedInput.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }
        if (scratch == null) {
            scratch = new byte[SCRATCH_SIZE];
        }
        int n = timedInput.read(scratch, 0, Math.min(scratch.length, dst.remaining()));
        if (n > 0) {
            dst.put(scratch, 0, n);
        }
        return n;
    }

    /** Writes every remaining byte, reporting progress after each partial write. */
    void writeFully(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            if (channel.write(src) > 0) {
                progress();
            }
        }
    }

    /** Writes every remaining byte of every buffer, reporting progress after each partial write. */
    void writeFully(ByteBuffer[] srcs) throws IOException {
        int first = 0;
        while (first < srcs.length) {
            if (!srcs[first].hasRemaining()) {
                first++;
                continue;
            }
            if (channel.write(srcs, first, srcs.length - first) > 0) {
                progress();
            }
        }
    }

    private void progress() {
        writeProgress.run();
    }
}
