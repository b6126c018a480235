package net.corosio.spi;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The buffer work of TLS on an {@link SSLEngine}, with no I/O in it: a backend moves ciphertext
 * between the socket and {@link #inboundNet()} / {@link #outboundNet()} its own way (blocking
 * reads, readiness events) and lets this class do the rest — the handshake steps and delegated
 * tasks, buffer sizing and growth on {@code BUFFER_OVERFLOW} / {@code BUFFER_UNDERFLOW}, TLS 1.3
 * post-handshake messages, {@code close_notify} in both directions, and the truncation check.
 *
 * <p>Plaintext is decrypted straight into the reader's buffer when it has room for a whole record,
 * and through a small internal buffer otherwise, so most reads copy nothing extra.
 *
 * <p><b>Threads.</b> The inbound side ({@link #read}, {@link #inboundNet()}, {@link
 * #inboundEnded()}) is used by one thread at a time, and so is the outbound side ({@link #wrap},
 * {@link #outboundNet()}, {@link #closeOutbound()}); the two sides may run concurrently, as {@link
 * SSLEngine} allows. {@link #handshake()} touches both and must run alone.
 */
public final class TlsCodec {

    /** {@link #read} result: more ciphertext must be read into {@link #inboundNet()}. */
    public static final int NEED_INPUT = 0;

    /** {@link #read} result: the peer sent {@code close_notify}; the stream has ended cleanly. */
    public static final int CLOSED = -1;

    /**
     * {@link #read} result: the engine must send something first (a TLS 1.3 key update response,
     * for example); call {@link #wrap} with no data, flush {@link #outboundNet()}, and read again.
     */
    public static final int NEED_WRAP = -2;

    /** What the handshake needs next from the backend. */
    public enum Step {
        /** Read more ciphertext into {@link #inboundNet()}, then call {@link #handshake()} again. */
        NEED_INPUT,
        /** Write out all of {@link #outboundNet()}, then call {@link #handshake()} again. */
        NEED_FLUSH,
        /**
         * The engine has delegated tasks (the handshake's expensive crypto): call {@link
         * #runDelegatedTasks()} — on any thread, for instance off an event loop — then {@link
         * #handshake()} again. Returned only by a codec made to defer its tasks.
         */
        NEED_TASKS,
        /** The handshake is complete (and any final message has been flushed). */
        DONE
    }

    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final SSLEngine engine;
    private final boolean deferTasks;
    private ByteBuffer netIn; // fill mode: ciphertext received and not yet decrypted
    private ByteBuffer appIn; // read mode: plaintext decrypted and not yet delivered; lazily allocated
    private ByteBuffer netOut; // read mode: ciphertext produced and not yet sent
    private boolean handshakeStarted;

    /**
     * Wraps a configured engine (see {@link TlsEngines}).
     *
     * @param engine the engine, not yet handshaking
     */
    public TlsCodec(SSLEngine engine) {
        this(engine, false);
    }

    /**
     * Wraps an engine, choosing who runs the handshake's delegated tasks.
     *
     * @param engine the engine, client or server mode already set
     * @param deferTasks whether {@link #handshake()} returns {@link Step#NEED_TASKS} for the caller
     *     to run them (an event loop that must not spend milliseconds of crypto on its own thread)
     *     instead of running them itself
     */
    public TlsCodec(SSLEngine engine, boolean deferTasks) {
        this.engine = engine;
        this.deferTasks = deferTasks;
        int packetSize = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packetSize);
        this.netOut = ByteBuffer.allocate(packetSize).flip();
    }

    /**
     * Returns the engine, for its session and negotiated application protocol.
     *
     * @return the engine
     */
    public SSLEngine engine() {
        return engine;
    }

    // ---------------------------------------------------------------- handshake

    /**
     * Advances the handshake as far as it can go without I/O.
     *
     * @return what the backend must do next
     * @throws SSLException if the handshake fails (the engine may then have an alert to flush; see
     *     {@link #produceAlert()})
     */
    public Step handshake() throws SSLException {
        if (!handshakeStarted) {
            handshakeStarted = true;
            engine.beginHandshake();
        }
        while (true) {
            if (netOut.hasRemaining()) {
                return Step.NEED_FLUSH;
            }
            HandshakeStatus status = engine.getHandshakeStatus();
            switch (status) {
                case NEED_TASK -> {
                    if (deferTasks) {
                        return Step.NEED_TASKS;
                    }
                    runDelegatedTasks();
                }
                case NEED_WRAP -> wrap(NOTHING);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (unwrapForHandshake()) {
                        return Step.NEED_INPUT;
                    }
                }
                case FINISHED, NOT_HANDSHAKING -> {
                    return Step.DONE;
                }
            }
        }
    }

    /**
     * After a failed handshake, asks the engine for the alert it owes the peer. Best effort: the
     * backend flushes {@link #outboundNet()} if this returns {@code true}, ignoring I/O errors.
     *
     * @return whether there is something to send
     */
    public boolean produceAlert() {
        try {
            engine.closeOutbound();
            if (!netOut.hasRemaining()) {
                wrap(NOTHING);
            }
        } catch (SSLException | RuntimeException e) {
            return netOut.hasRemaining();
        }
        return netOut.hasRemaining();
    }

    /** Returns true when the handshake needs more input. */
    private boolean unwrapForHandshake() throws SSLException {
        ByteBuffer target = appInForFill();
        SSLEngineResult result = unwrapInto(target);
        appIn.flip();
        return switch (result.getStatus()) {
            case OK -> result.bytesConsumed() == 0 && result.bytesProduced() == 0
                    && engine.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP;
            case BUFFER_UNDERFLOW -> true;
            case BUFFER_OVERFLOW -> {
                growAppIn();
                yield false;
            }
            case CLOSED -> throw new SSLException("the peer closed the connection during the TLS handshake");
        };
    }

    // ---------------------------------------------------------------- inbound

    /**
     * Returns the buffer the backend reads ciphertext into, in fill mode (put after its position).
     * It always has room for at least one byte.
     *
     * @return the inbound network buffer
     */
    public ByteBuffer inboundNet() {
        if (!netIn.hasRemaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(netIn.capacity() + engine.getSession().getPacketBufferSize());
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        return netIn;
    }

    /**
     * Returns whether decrypted bytes are waiting to be read, so a read can return without I/O.
     *
     * @return whether plaintext is pending
     */
    public boolean hasPendingPlaintext() {
        return appIn != null && appIn.hasRemaining();
    }

    /**
     * Decrypts into {@code dst} from the ciphertext held.
     *
     * @param dst where to put plaintext; must have room for at least one byte
     * @return the number of bytes put into {@code dst} (at least 1), or {@link #NEED_INPUT},
     *     {@link #CLOSED} or {@link #NEED_WRAP}
     * @throws SSLException if a record fails to decrypt or the peer sent a fatal alert
     */
    public int read(ByteBuffer dst) throws SSLException {
        if (hasPendingPlaintext()) {
            return drainPlaintext(dst);
        }
        boolean direct = dst.remaining() >= engine.getSession().getApplicationBufferSize();
        while (true) {
            ByteBuffer target = direct ? dst : appInForFill();
            SSLEngineResult result = unwrapInto(target);
            if (!direct) {
                appIn.flip();
            }
            switch (result.getStatus()) {
                case OK -> {
                    if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runDelegatedTasks();
                    }
                    if (result.bytesProduced() > 0) {
                        return direct ? result.bytesProduced() : drainPlaintext(dst);
                    }
                    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        return NEED_WRAP;
                    }
                    if (result.bytesConsumed() == 0) {
                        return NEED_INPUT;
                    }
                    // A record without application data (a session ticket): look at the next one.
                }
                case BUFFER_UNDERFLOW -> {
                    return NEED_INPUT;
                }
                case BUFFER_OVERFLOW -> {
                    if (direct) {
                        direct = false;
                    } else {
                        growAppIn();
                    }
                }
                case CLOSED -> {
                    return CLOSED;
                }
            }
        }
    }

    /**
     * Tells the engine the TCP stream has ended.
     *
     * @throws SSLException if the peer did not send {@code close_notify} first: the stream was
     *     truncated
     */
    public void inboundEnded() throws SSLException {
        engine.closeInbound();
    }

    /**
     * Returns whether the peer's {@code close_notify} has been received.
     *
     * @return whether the inbound side is closed cleanly
     */
    public boolean isInboundDone() {
        return engine.isInboundDone();
    }

    // ---------------------------------------------------------------- outbound

    /**
     * Returns the ciphertext waiting to be sent, in read mode (get from its position). The backend
     * drains it completely before the next {@link #wrap}.
     *
     * @return the outbound network buffer
     */
    public ByteBuffer outboundNet() {
        return netOut;
    }

    /**
     * Encrypts as much of {@code srcs} as one TLS record holds into {@link #outboundNet()}, which
     * must have been drained. Call with no remaining bytes to let the engine send what it owes
     * (handshake messages, a key update response).
     *
     * @param srcs the plaintext; positions advance by what was consumed
     * @return the number of plaintext bytes consumed
     * @throws SSLException if the engine fails, or is closed while data remains to be sent
     * @throws IllegalStateException if {@link #outboundNet()} still holds bytes
     */
    public int wrap(ByteBuffer[] srcs) throws SSLException {
        if (netOut.hasRemaining()) {
            throw new IllegalStateException("outbound TLS buffer not drained: " + netOut.remaining() + " bytes left");
        }
        while (true) {
            netOut.clear();
            SSLEngineResult result;
            try {
                result = engine.wrap(srcs, netOut);
            } finally {
                netOut.flip();
            }
            switch (result.getStatus()) {
                case OK -> {
                    if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runDelegatedTasks();
                    }
                    return result.bytesConsumed();
                }
                case BUFFER_OVERFLOW -> netOut = ByteBuffer.allocate(
                        Math.max(netOut.capacity() * 2, engine.getSession().getPacketBufferSize())).flip();
                case CLOSED -> {
                    if (result.bytesProduced() == 0 && remaining(srcs) > 0) {
                        throw new SSLException("the TLS session is closed for writing");
                    }
                    return result.bytesConsumed();
                }
                case BUFFER_UNDERFLOW -> throw new SSLException("unexpected BUFFER_UNDERFLOW from wrap");
            }
        }
    }

    /**
     * Produces a {@code close_notify} into {@link #outboundNet()}, which must have been drained.
     * After it, no more data can be wrapped. Idempotent.
     *
     * @throws SSLException if the engine fails
     */
    public void closeOutbound() throws SSLException {
        if (engine.isOutboundDone()) {
            return;
        }
        engine.closeOutbound();
        wrap(NOTHING);
    }

    /**
     * Returns whether {@link #closeOutbound()} has run (or the engine closed its outbound side).
     *
     * @return whether the outbound side is closed
     */
    public boolean isOutboundClosed() {
        return engine.isOutboundDone();
    }

    // ---------------------------------------------------------------- helpers

    private SSLEngineResult unwrapInto(ByteBuffer target) throws SSLException {
        netIn.flip();
        try {
            SSLEngineResult result = engine.unwrap(netIn, target);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                    && netIn.capacity() < engine.getSession().getPacketBufferSize()) {
                ByteBuffer bigger = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                bigger.put(netIn);
                netIn = bigger.flip();
            }
            return result;
        } finally {
            netIn.compact();
        }
    }

    /** Returns {@code appIn} in fill mode, keeping what it holds, with room for a whole record. */
    private ByteBuffer appInForFill() {
        int size = engine.getSession().getApplicationBufferSize();
        if (appIn == null) {
            appIn = ByteBuffer.allocate(size);
            return appIn;
        }
        appIn.compact();
        if (appIn.remaining() < size) {
            ByteBuffer bigger = ByteBuffer.allocate(appIn.position() + size);
            appIn.flip();
            bigger.put(appIn);
            appIn = bigger;
        }
        return appIn;
    }

    /** Doubles {@code appIn} (in read mode), keeping what it holds. */
    private void growAppIn() {
        ByteBuffer bigger = ByteBuffer.allocate(appIn.capacity() * 2);
        bigger.put(appIn);
        appIn = bigger.flip();
    }

    private int drainPlaintext(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), appIn.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        return n;
    }

    /**
     * Runs the engine's delegated tasks. May run on any thread, while the codec is otherwise left
     * alone; a failure in a task is thrown by the next {@link #handshake()}.
     */
    public void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static long remaining(ByteBuffer[] buffers) {
        long total = 0;
        for (ByteBuffer buffer : buffers) {
            total += buffer.remaining();
        }
        return total;
    }
}
