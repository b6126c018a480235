package net.corosio.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import net.corosio.spi.TlsCodec;
import net.corosio.spi.VirtualThreadInternals;

/**
 * TLS for one {@link NioConnection}, on its selector thread: the SPI's {@link TlsCodec} does the
 * engine work (handshake steps and delegated tasks, buffer sizing, {@code BUFFER_OVERFLOW} /
 * {@code UNDERFLOW}, close_notify, the truncation check) and this class drives it from readiness,
 * never blocking: ciphertext is read when the socket is readable and written until the socket is
 * full, and the handshake advances one step per event. The handshake's delegated tasks — its
 * public-key crypto, milliseconds per handshake — run on a virtual thread, not on the loop, which
 * meanwhile serves its other connections; the handshake resumes on the loop when they are done.
 *
 * <p><b>Inbound.</b> Ciphertext is read straight into the codec's network buffer, and every
 * complete record is decrypted at once into the loop's plaintext buffer and delivered (copied into
 * a right-sized chunk). Decrypting everything that has arrived, even while the reader is paused,
 * means no whole record ever waits in the codec for socket readiness that will not come.
 *
 * <p><b>Outbound.</b> Queued plaintext is wrapped one record at a time into the codec's network
 * buffer, which is written out before the next wrap; the plaintext is reported flushed once its
 * record has left. When the engine must send something before it can read on (a TLS 1.3 key
 * update), reading stops until the outbound side has sent it.
 *
 * <p>Loop-confined: every method runs on the connection's selector thread (the delegated tasks
 * excepted; nothing touches the codec while they run).
 */
final class NioTls {

    private static final ByteBuffer[] NOTHING = new ByteBuffer[0];

    /** The most plaintext buffers gathered into one record, so small writes share a record. */
    private static final int MAX_GATHER = 16;

    /** The most socket reads per readiness event, so one fast peer cannot hold the loop. */
    private static final int MAX_READS_PER_EVENT = 16;

    private final TlsCodec codec;
    private final NioConnection connection;
    private final SocketChannel channel;
    private final SelectorLoop loop;
    private final ByteBuffer[] single = new ByteBuffer[1];
    private boolean handshaking = true;
    private boolean tasksRunning;
    private boolean owesWrap;
    private long wrapped;

    NioTls(TlsCodec codec, NioConnection connection, SocketChannel channel, SelectorLoop loop) {
        this.codec = codec;
        this.connection = connection;
        this.channel = channel;
        this.loop = loop;
    }

    SSLEngine engine() {
        return codec.engine();
    }

    boolean isHandshaking() {
        return handshaking;
    }

    /**
     * Returns whether the socket should be read now. Not while the engine must send something
     * before it can use more input: during the handshake while a flight waits for the socket to
     * take it, and afterwards while the engine owes the peer a message (a TLS 1.3 key update).
     * Reading then would only pile up ciphertext, and a readable socket would wake the loop again
     * and again for nothing.
     *
     * @param paused whether the inbound queue is full
     * @return whether read interest should be on
     */
    boolean wantsRead(boolean paused) {
        if (handshaking) {
            return !tasksRunning && !codec.outboundNet().hasRemaining();
        }
        return !paused && !owesWrap;
    }

    /** Begins the handshake: a client sends its hello, a server waits for one. */
    void start() {
        advanceHandshake();
    }

    /**
     * Runs handshake steps until one needs I/O: writes that do not fit wait for {@code OP_WRITE}
     * ({@link #flush}), input waits for {@code OP_READ} ({@link #readable}).
     */
    private void advanceHandshake() {
        try {
            while (handshaking) {
                switch (codec.handshake()) {
                    case NEED_FLUSH -> {
                        if (!writeNet()) {
                            connection.interest(SelectionKey.OP_WRITE, true);
                            connection.applyReadInterest();
                            return;
                        }
                    }
                    case NEED_INPUT -> {
                        connection.applyReadInterest();
                        return;
                    }
                    case NEED_TASKS -> {
                        tasksRunning = true;
                        connection.applyReadInterest(); // off: the codec is not ours until they are done
                        VirtualThreadInternals.startUnbound("corosio-nio-tls-tasks", this::runDelegatedTasks);
                        return;
                    }
                    case DONE -> {
                        handshaking = false;
                        connection.tlsHandshakeDone();
                        decrypt(); // application data may have come with the peer's last flight
                    }
                }
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Off the loop: runs the engine's tasks, then resumes the handshake on the loop. */
    private void runDelegatedTasks() {
        RuntimeException thrown = null;
        try {
            codec.runDelegatedTasks(); // the JDK's engine keeps a task's failure for the next step
        } catch (RuntimeException e) {
            thrown = e; // another provider's engine may throw it here instead
        }
        RuntimeException failure = thrown;
        connection.schedule(() -> {
            tasksRunning = false;
            if (connection.isReleased()) {
                return;
            }
            if (failure != null) {
                fail(new SSLException("a TLS handshake task failed", failure));
            } else {
                advanceHandshake();
            }
        });
    }

    // ------------------------------------------------------------------ inbound

    /** The socket is readable: read ciphertext, then advance the handshake or decrypt. */
    void readable() {
        try {
            for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
                if (!wantsRead(connection.loopSide().isReadPaused())) {
                    return;
                }
                int n = channel.read(codec.inboundNet());
                if (n < 0) {
                    endOfStream();
                    return;
                }
                if (n == 0) {
                    return;
                }
                if (handshaking) {
                    advanceHandshake();
                } else {
                    decrypt();
                }
                if (connection.isReleased() || connection.isInputDone()) {
                    return;
                }
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Decrypts every complete record held, delivering the plaintext, until more input is needed. */
    private void decrypt() throws SSLException {
        while (!owesWrap && !connection.isInputDone() && !connection.isReleased()) {
            ByteBuffer plaintext = loop.plaintextBuffer(codec.engine().getSession().getApplicationBufferSize());
            int n = codec.read(plaintext);
            if (n > 0) {
                connection.deliver(plaintext.flip());
                continue;
            }
            switch (n) {
                case TlsCodec.CLOSED -> connection.endOfInput();
                case TlsCodec.NEED_WRAP -> {
                    if (codec.isOutboundClosed()) {
                        return; // nothing can be sent after our close_notify: answering would spin
                    }
                    owesWrap = true;
                    connection.applyReadInterest();
                    connection.flushSoon();
                }
                default -> {
                    return; // NEED_INPUT
                }
            }
        }
    }

    /** The TCP stream ended: cleanly after close_notify, a truncation otherwise. */
    private void endOfStream() {
        if (handshaking) {
            connection.endOfInput(); // reported as a failed handshake
            return;
        }
        try {
            codec.inboundEnded();
            connection.endOfInput();
        } catch (SSLException e) {
            connection.truncatedInput(e);
        }
    }

    // ------------------------------------------------------------------ outbound

    /**
     * Writes pending ciphertext, then wraps and writes queued plaintext, until everything is out
     * or the socket is full. During the handshake it only finishes the handshake's own writes.
     *
     * @param outbound the connection's queued plaintext
     * @return whether everything has been written
     */
    boolean flush(ArrayDeque<ByteBuffer> outbound) throws IOException {
        boolean answered = false;
        while (true) {
            if (!writeNet()) {
                return false;
            }
            if (wrapped > 0) {
                connection.loopSide().flushed(wrapped);
                wrapped = 0;
            }
            if (handshaking) {
                advanceHandshake();
                return !codec.outboundNet().hasRemaining();
            }
            if (owesWrap) {
                codec.wrap(NOTHING);
                owesWrap = false;
                answered = true;
                continue;
            }
            if (outbound.isEmpty()) {
                break;
            }
            wrapped += wrapQueued(outbound);
        }
        if (answered) {
            connection.applyReadInterest();
            decrypt(); // the engine can read on: what arrived meanwhile is waiting in the codec
        }
        return true;
    }

    /** Wraps one record's worth of queued plaintext, gathering small buffers into it. */
    private long wrapQueued(ArrayDeque<ByteBuffer> outbound) throws SSLException {
        int count = Math.min(outbound.size(), MAX_GATHER);
        ByteBuffer[] srcs;
        if (count == 1) {
            srcs = single;
            srcs[0] = outbound.peekFirst();
        } else {
            srcs = new ByteBuffer[count];
            Iterator<ByteBuffer> it = outbound.iterator();
            for (int i = 0; i < count; i++) {
                srcs[i] = it.next();
            }
        }
        try {
            return codec.wrap(srcs);
        } finally {
            single[0] = null;
            while (!outbound.isEmpty() && !outbound.peekFirst().hasRemaining()) {
                outbound.pollFirst();
            }
        }
    }

    /**
     * Produces close_notify (once, and only after a completed handshake) and writes it.
     *
     * @return whether it has been written (otherwise {@link #flush} finishes it)
     */
    boolean closeOutbound() throws IOException {
        if (!handshaking && !codec.isOutboundClosed()) {
            codec.closeOutbound();
        }
        return writeNet();
    }

    /**
     * Forgets ciphertext that will never be sent, for a connection being released.
     *
     * @return the plaintext bytes it stood for
     */
    long discardPending() {
        long bytes = wrapped;
        wrapped = 0;
        return bytes;
    }

    private boolean writeNet() throws IOException {
        ByteBuffer net = codec.outboundNet();
        while (net.hasRemaining()) {
            if (channel.write(net) == 0) {
                return false;
            }
        }
        return true;
    }

    /** A failed handshake owes the peer an alert: sent if the socket takes it now, then reported. */
    private void fail(IOException e) {
        if (handshaking && e instanceof SSLException) {
            try {
                if (codec.produceAlert()) {
                    writeNet();
                }
            } catch (IOException | RuntimeException ignored) {
                // Best effort: the handshake already failed, and that is what gets reported.
            }
        }
        connection.loopSide().failed(e);
    }
}
