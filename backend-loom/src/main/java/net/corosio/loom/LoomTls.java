package net.corosio.loom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.spi.HeapBufferPool;
import net.corosio.spi.TlsCodec;

/**
 * TLS for the loom backend: the shared {@link TlsCodec} does the engine work, and this class
 * moves its ciphertext with blocking reads and writes. The reader owns the inbound side; the
 * outbound side is used under the connection's write lock, which the reader also takes when the
 * engine must answer something (a TLS 1.3 key update).
 */
final class LoomTls {

    private final TlsCodec codec;
    private final SocketIo io;
    private final ReentrantLock writeLock;
    private final ByteBuffer[] single = new ByteBuffer[1];
    private volatile boolean handshakeDone;

    LoomTls(TlsCodec codec, SocketIo io, ReentrantLock writeLock) {
        this.codec = codec;
        this.io = io;
        this.writeLock = writeLock;
    }

    TlsCodec codec() {
        return codec;
    }

    boolean isHandshakeDone() {
        return handshakeDone;
    }

    /** Runs the handshake to completion; the caller bounds it with the handshake timeout. */
    void handshake() throws IOException {
        try {
            while (true) {
                switch (codec.handshake()) {
                    case NEED_INPUT -> {
                        if (io.readUntimed(codec.inboundNet()) < 0) {
                            throw new SSLHandshakeException("the peer closed the connection during the TLS handshake");
                        }
                    }
                    case NEED_FLUSH -> io.writeFully(codec.outboundNet());
                    case NEED_TASKS -> codec.runDelegatedTasks(); // on this virtual thread: nothing else waits for it
                    case DONE -> {
                        handshakeDone = true;
                        return;
                    }
                }
            }
        } catch (SSLException e) {
            sendAlertQuietly();
            throw e;
        }
    }

    private void sendAlertQuietly() {
        try {
            if (codec.produceAlert()) {
                io.writeFully(codec.outboundNet());
            }
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the handshake already failed, and that is what gets reported.
        }
    }

    /** Reads plaintext: at least one byte, or -1 after the peer's close_notify. */
    int read(ByteBuffer dst) throws IOException {
        while (true) {
            int result = codec.read(dst);
            if (result > 0) {
                return result;
            }
            if (!answer(result)) {
                return -1;
            }
        }
    }

    /**
     * Reads plaintext into a buffer of {@code pool}'s, for a lease: at least one byte, or {@code
     * null} after the peer's close_notify. The buffer is taken only while the engine decrypts; a
     * receiver waiting for ciphertext holds none.
     *
     * @return the buffer, flipped, or {@code null} at the end
     */
    ByteBuffer receive(HeapBufferPool pool) throws IOException {
        while (true) {
            ByteBuffer buffer = pool.take();
            int result;
            try {
                result = codec.read(buffer);
            } catch (IOException | RuntimeException e) {
                pool.giveBack(buffer);
                throw e;
            }
            if (result > 0) {
                return buffer.flip();
            }
            pool.giveBack(buffer);
            if (!answer(result)) {
                return null;
            }
        }
    }

    /**
     * Does what the codec asked for instead of plaintext: answer the engine, or read ciphertext
     * (the only wait of a TLS read).
     *
     * @return {@code false} if the stream has ended
     */
    private boolean answer(int codecResult) throws IOException {
        switch (codecResult) {
            case TlsCodec.CLOSED -> {
                return false;
            }
            case TlsCodec.NEED_WRAP -> answerEngine();
            default -> {
                if (io.read(codec.inboundNet()) < 0) {
                    endOfStream();
                    return false;
                }
            }
        }
        return true;
    }

    // @corrects tls-eof-without-close-notify: the JDK's SSLEngine.closeInbound throws when the stream
    // ends without close_notify; reported as TLS_TRUNCATED, after every byte before it.
    private void endOfStream() throws TransportException {
        try {
            codec.inboundEnded();
        } catch (SSLException e) {
            throw new TransportException(ErrorKind.TLS_TRUNCATED,
                    "the peer ended the stream without a TLS close_notify", e);
        }
    }

    private void answerEngine() throws IOException {
        writeLock.lock();
        try {
            if (!codec.isOutboundClosed()) {
                codec.wrap(new ByteBuffer[0]);
                io.writeFully(codec.outboundNet());
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Encrypts and writes every remaining byte; the caller holds the write lock. */
    void write(ByteBuffer src) throws IOException {
        single[0] = src;
        try {
            write(single);
        } finally {
            single[0] = null;
        }
    }

    /** Encrypts and writes every remaining byte of every buffer; the caller holds the write lock. */
    void write(ByteBuffer[] srcs) throws IOException {
        do {
            codec.wrap(srcs);
            io.writeFully(codec.outboundNet());
        } while (hasRemaining(srcs));
    }

    /** Sends close_notify; the caller holds the write lock. */
    void closeOutbound() throws IOException {
        codec.closeOutbound();
        io.writeFully(codec.outboundNet());
    }

    private static boolean hasRemaining(ByteBuffer[] buffers) {
        for (ByteBuffer buffer : buffers) {
            if (buffer.hasRemaining()) {
                return true;
            }
        }
        return false;
    }
}
