package net.corosio.spi;

import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.TransportException;

/**
 * A {@link Connection} whose bytes are moved by an event loop (Netty, Jetty, a selector), bridged
 * to suspending calls: the whole of the API's semantics lives here, once, and a backend only
 * moves bytes and reports events.
 *
 * <p><b>Inbound.</b> The loop hands received (plaintext) bytes to {@link #received}; they wait in
 * an {@link InboundQueue} bounded by the inbound limit, and a reader parked in {@link #read} is
 * woken. When the queue is full the backend is asked to stop reading ({@link
 * #updateReadInterest()}), and to resume once the reader has drained it.
 *
 * <p><b>Outbound.</b> {@link #write} hands bytes to the backend ({@link #submitWrite}, which
 * copies them) in slices of at most the high water mark, under a write lock so writes stay atomic,
 * and parks while the backend holds more than the high water mark, until {@link #flushed} brings it
 * down to the low one.
 *
 * <p><b>Lifecycle.</b> Failures the loop reports ({@link #failed}) are classified once and are
 * sticky ({@link ConnectionState}); timeouts (read, write, idle, TLS handshake, close) are handled
 * here; {@link #close()} is a lingering close bounded by the close timeout; an interrupt cancels.
 *
 * <p><b>Threads.</b> The {@code received}, {@code receivedEnd}, {@code receivedEndWithFailure},
 * {@code flushed}, {@code failed}, {@code handshakeSucceeded} and {@code channelClosed}
 * notifications come from the event loop, in order. The {@code submit…} hooks are called from
 * application threads and must not block.
 */
public abstract class BridgedConnection implements Connection {

    private final ConnectionState state;
    private final ConnectionOptions options;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final TrafficCounter traffic;
    private final boolean tls;
    private final InboundQueue inbound;
    private final Signal readable = new Signal();
    private final Signal writable = new Signal();
    private final Signal lifecycle = new Signal();
    private final ReentrantLock writeLock = new ReentrantLock();

    /** A write failed after handing part of its bytes over (guarded by {@code writeLock}). */
    private boolean writeCutOff;
    private final AtomicLong pendingOut = new AtomicLong();
    private final ProgressTimeout idle;
    private final ProgressTimeout writeStall;
    private volatile boolean handshakeDone;
    private volatile boolean released;
    private volatile Throwable endFailure;
    private volatile Runnable untrack = () -> {};

    /**
     * Creates an open connection.
     *
     * @param backend the backend's name, for messages
     * @param serverSide whether the connection was accepted (for messages)
     * @param local the local address
     * @param remote the peer's address
     * @param options the connection's options
     * @param tls whether the backend runs a TLS handshake before the connection is ready
     * @param timer the timer for the write and idle timeouts
     * @param traffic the counter the connection's application bytes are added to
     */
    protected BridgedConnection(
            String backend,
            boolean serverSide,
            InetSocketAddress local,
            InetSocketAddress remote,
            ConnectionOptions options,
            boolean tls,
            TimeoutScheduler timer,
            TrafficCounter traffic) {
        this.local = local;
        this.remote = remote;
        this.options = options;
        this.traffic = traffic;
        this.tls = tls;
        this.handshakeDone = !tls;
        this.state = new ConnectionState(backend + " " + local + (serverSide ? " <- " : " -> ") + remote, this::onFailure);
        this.inbound = new InboundQueue(options.inboundLimit(), this::updateReadInterest, readable::signal);
        this.idle = new ProgressTimeout(timer, options.idleTimeout(),
                () -> state.fail(ErrorKind.IDLE_TIMEOUT, "nothing was read or written for " + options.idleTimeout(), null));
        this.writeStall = new ProgressTimeout(timer, options.writeTimeout(),
                () -> state.fail(ErrorKind.WRITE_TIMEOUT, "a write made no progress for " + options.writeTimeout(), null));
        idle.arm();
    }

    // ================================================================== hooks for the backend

    /**
     * Sets the socket's read interest to {@code !isReadPaused()}, read at the time it runs on the
     * event loop. Called from any thread: schedule it on the loop when called from elsewhere.
     */
    protected abstract void updateReadInterest();

    /**
     * Copies {@code slice}'s remaining bytes into the backend's buffers and queues them for
     * writing (without flushing). Must not block. The backend later reports them with {@link
     * #flushed}.
     *
     * @param slice the bytes, at most the high water mark; its position is not used afterwards
     */
    protected abstract void submitWrite(ByteBuffer slice);

    /** Starts writing what {@link #submitWrite} queued. Must not block. */
    protected abstract void submitFlush();

    /**
     * After every queued write: sends {@code close_notify} (TLS) and then FIN, keeping the input
     * open. Must not block; failures are reported through {@link #failed}.
     */
    protected abstract void submitShutdownOutput();

    /**
     * After every queued write has been written, closes the socket normally, then reports {@link
     * #channelClosed()}. Must not block. If the writes cannot be flushed, {@link #close()} aborts
     * when its close timeout passes.
     */
    protected abstract void submitClose();

    /**
     * Closes the socket now, discarding queued writes, with a reset (SO_LINGER 0) where possible,
     * then reports {@link #channelClosed()}. Idempotent; callable from any thread; must not block.
     */
    protected abstract void submitAbort();

    /**
     * Returns the TLS engine, for the session and the agreed ALPN protocol.
     *
     * @return the engine, or {@code null} for plain TCP
     */
    protected abstract SSLEngine sslEngine();

    // ================================================================== notifications from the loop

    /**
     * Received bytes (plaintext, for TLS), in order. The chunk belongs to the connection from now
     * on.
     *
     * @param chunk the bytes
     */
    protected final void received(InboundQueue.Chunk chunk) {
        idle.progress();
        inbound.offer(chunk);
    }

    /** The peer ended its stream (after a {@code close_notify}, for TLS). */
    protected final void receivedEnd() {
        if (!handshakeDone) {
            state.fail(ErrorKind.TLS_HANDSHAKE, "the peer closed the connection during the TLS handshake", null);
            return;
        }
        inbound.end();
    }

    /**
     * The peer's stream ended abnormally, after the bytes received so far: for TLS, a TCP
     * end-of-stream without {@code close_notify}. The reader gets every byte queued before it, then
     * the failure (classified as by {@link #failed}), which is then terminal; before the TLS
     * handshake completed it is {@link #failed} at once. Unlike {@link #failed}, which discards
     * queued bytes, this keeps the rule that an end never overtakes data.
     *
     * @param cause the failure the stream ended with, e.g. a {@link TransportException} of kind
     *     {@link ErrorKind#TLS_TRUNCATED}
     */
    protected final void receivedEndWithFailure(Throwable cause) {
        if (!handshakeDone) {
            failed(cause);
            return;
        }
        endFailure = Objects.requireNonNull(cause, "cause");
        inbound.end();
    }

    /**
     * Some queued bytes have been written to the socket (or discarded after a failure).
     *
     * @param bytes how many, counted as {@link #submitWrite} received them (plaintext)
     */
    protected final void flushed(long bytes) {
        writeStall.progress();
        idle.progress();
        if (pendingOut.addAndGet(-bytes) <= options.writeLowWaterMark()) {
            writable.signal();
        }
    }

    /** The TLS handshake has completed. */
    protected final void handshakeSucceeded() {
        handshakeDone = true;
        idle.progress(); // the handshake's last flight was traffic: idleness counts from here (8.21)
        lifecycle.signal();
    }

    /**
     * The connection failed: classified by {@link ErrorClassifier}; before the TLS handshake
     * completed, every failure but a local close or cancellation is {@link ErrorKind#TLS_HANDSHAKE}.
     *
     * @param cause the library's exception
     */
    protected final void failed(Throwable cause) {
        ErrorKind kind = ErrorClassifier.classify(cause, ErrorKind.IO);
        if (!handshakeDone && kind != ErrorKind.CLOSED && kind != ErrorKind.CANCELLED) {
            kind = ErrorKind.TLS_HANDSHAKE;
        }
        if (!kind.isTerminal()) {
            kind = ErrorKind.IO;
        }
        state.fail(kind, ConnectionState.describe(kind), cause);
    }

    /**
     * The socket is closed, for whatever reason. A connection still open at this point was closed
     * underneath the API and is reported as reset: never as a clean end.
     */
    protected final void channelClosed() {
        if (state.isOpen()) {
            state.fail(ErrorKind.RESET, "the connection was closed underneath", null);
        }
        if (!state.markReleased()) {
            return;
        }
        released = true;
        idle.cancel();
        writeStall.cancel();
        if (state.claimInputForClose()) {
            inbound.dispose();
        }
        signalAll();
        untrack.run();
    }

    // ================================================================== for the backend's transport

    /**
     * Returns the connection's state, for {@link AbstractTransport#track(Connection, ConnectionState)}.
     *
     * @return the state
     */
    public final ConnectionState state() {
        return state;
    }

    /**
     * Sets what runs once the socket is released (the transport stops tracking the connection).
     *
     * @param action the action
     */
    public final void untrackWith(Runnable action) {
        this.untrack = action;
    }

    /**
     * Returns whether reading should be paused (the inbound queue is full).
     *
     * @return whether the read interest should be off
     */
    protected final boolean isReadPaused() {
        return inbound.isPaused();
    }

    /**
     * Returns the connection's options.
     *
     * @return the options
     */
    protected final ConnectionOptions options() {
        return options;
    }

    /**
     * Waits for the TLS handshake (nothing for plain TCP), bounded by the handshake timeout. On
     * failure the connection is aborted.
     *
     * @throws TransportException {@link ErrorKind#TLS_HANDSHAKE}, {@link ErrorKind#CANCELLED} or
     *     {@link ErrorKind#CLOSED}
     */
    public final void awaitHandshake() throws TransportException {
        if (handshakeDone) {
            return;
        }
        Duration limit = options.tlsHandshakeTimeout();
        if (!lifecycle.await(() -> handshakeDone || !state.isOpen(), Signal.deadline(limit.toNanos()))) {
            if (Thread.currentThread().isInterrupted()) {
                throw state.failure("TLS handshake", new InterruptedIOException("interrupted"), ErrorKind.TLS_HANDSHAKE);
            }
            state.fail(ErrorKind.TLS_HANDSHAKE, "the TLS handshake did not complete within " + limit, null);
        }
        if (handshakeDone && state.isOpen()) {
            return;
        }
        TransportException failure = state.terminalException("TLS handshake");
        throw failure != null ? failure : state.exception(ErrorKind.TLS_HANDSHAKE, "TLS handshake", "failed", null);
    }

    // ================================================================== the API

    @Override
    public final int read(ByteBuffer dst) throws TransportException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("dst is read-only: " + dst);
        }
        if (!dst.hasRemaining()) {
            return 0;
        }
        try {
            state.beginRead();
        } catch (TransportException e) {
            // A reader that fails here (interrupted) holds the input side while its failure aborts
            // the connection; if the socket's release ran meanwhile, it could not take the input
            // side to give back what is queued, so the failed reader does.
            disposeInputIfReleased();
            throw e;
        }
        try {
            if (state.isInputEnded()) {
                return -1;
            }
            long deadline = Signal.deadline(options.readTimeout().toNanos());
            while (true) {
                TransportException terminal = state.terminalException("read");
                if (terminal != null) {
                    throw terminal;
                }
                int n = inbound.poll(dst);
                if (n > 0) {
                    traffic.read(n);
                    return n;
                }
                if (n < 0) {
                    Throwable failure = endFailure;
                    if (failure != null) {
                        failed(failure);
                        throw state.terminalException("read");
                    }
                    state.markInputEnded();
                    return -1;
                }
                if (!readable.await(() -> inbound.isReadable() || !state.isOpen(), deadline)) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw state.failure("read", new InterruptedIOException("interrupted"), ErrorKind.READ_TIMEOUT);
                    }
                    if (!inbound.isReadable() && state.isOpen()) {
                        throw state.exception(ErrorKind.READ_TIMEOUT, "read",
                                "no data arrived within the read timeout of " + options.readTimeout(), null);
                    }
                }
            }
        } finally {
            state.endRead();
            disposeInputIfReleased();
        }
    }

    /** Gives back what the inbound queue holds once the socket is released, if no reader owns it. */
    private void disposeInputIfReleased() {
        if (released && state.claimInputForClose()) {
            inbound.dispose();
        }
    }

    @Override
    public final void write(ByteBuffer src) throws TransportException {
        Objects.requireNonNull(src, "src");
        state.lockForWrite(writeLock, "write");
        int start = src.position();
        boolean done = false;
        try {
            state.checkWritable("write");
            int size = src.remaining();
            if (size == 0) {
                return;
            }
            writeStall.arm();
            submitSlices(src);
            submitFlush();
            traffic.written(size);
            done = true;
        } finally {
            if (!done && src.position() != start) {
                writeCutOff = true; // part of it was handed over: a clean end would hide the cut
            }
            writeStall.disarm();
            writeLock.unlock();
        }
    }

    @Override
    public final void write(ByteBuffer... srcs) throws TransportException {
        Objects.requireNonNull(srcs, "srcs");
        long size = 0;
        for (int i = 0; i < srcs.length; i++) {
            if (srcs[i] == null) {
                throw new NullPointerException("srcs[" + i + "] is null");
            }
            size += srcs[i].remaining();
        }
        state.lockForWrite(writeLock, "write");
        long handedOver = 0;
        boolean done = false;
        try {
            state.checkWritable("write");
            if (size == 0) {
                return;
            }
            writeStall.arm();
            for (ByteBuffer src : srcs) {
                int start = src.position();
                try {
                    submitSlices(src);
                } finally {
                    handedOver += src.position() - start;
                }
            }
            submitFlush();
            traffic.written(size);
            done = true;
        } finally {
            if (!done && handedOver > 0) {
                writeCutOff = true; // part of it was handed over: a clean end would hide the cut
            }
            writeStall.disarm();
            writeLock.unlock();
        }
    }

    /** Hands {@code src} over in slices of at most the high water mark, waiting below it. */
    private void submitSlices(ByteBuffer src) throws TransportException {
        int high = options.writeHighWaterMark();
        while (src.hasRemaining()) {
            awaitWritable(high);
            int n = Math.min(src.remaining(), high);
            pendingOut.addAndGet(n);
            submitWrite(src.slice(src.position(), n));
            src.position(src.position() + n);
        }
    }

    private void awaitWritable(int high) throws TransportException {
        if (pendingOut.get() >= high) {
            submitFlush();
            long low = options.writeLowWaterMark();
            if (!writable.await(() -> pendingOut.get() <= low || !state.isOpen(), 0)) {
                throw state.failure("write", new InterruptedIOException("interrupted"), ErrorKind.WRITE_TIMEOUT);
            }
        }
        TransportException terminal = state.terminalException("write");
        if (terminal != null) {
            throw terminal;
        }
    }

    @Override
    public final void shutdownOutput() throws TransportException {
        state.lockForWrite(writeLock, "shutdownOutput");
        try {
            state.checkUsable("shutdownOutput");
            if (state.markOutputShutdown()) {
                submitShutdownOutput();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Closes gracefully with a lingering close, bounded by the close timeout: {@code
     * close_notify} (TLS) and FIN after every queued write, then what the peer still sends is
     * discarded until it ends its side or is quiet for {@link ConnectionState#LINGER_QUIET}, then
     * the socket is closed once the queued writes are out. Releasing a socket with unread input
     * makes the kernel reset the connection, so the lingering is what lets a peer that is still
     * sending get every byte and a clean end. When the close timeout passes, the connection is
     * aborted. Without a close timeout there is no lingering and no waiting.
     */
    @Override
    public final void close() {
        if (!state.markClosed()) {
            return;
        }
        signalAll();
        Duration limit = options.closeTimeout();
        long deadline = Signal.deadline(limit.toNanos());
        writeLock.lock(); // a writer, woken above, leaves at once
        try {
            if (writeCutOff) {
                // The close cut a write off halfway: the peer must see a reset, not a clean end of
                // a stream that lost the rest of that write (5.10).
                submitAbort();
                return;
            }
            if (!released && handshakeDone && state.markOutputShutdown()) {
                submitShutdownOutput();
            }
        } finally {
            writeLock.unlock();
        }
        if (limit.isZero()) {
            submitClose();
            return;
        }
        if (!released && handshakeDone && state.claimInputForClose()) {
            inbound.discard();
            if (!linger(deadline)) {
                submitAbort();
                return;
            }
        }
        if (!released) {
            submitClose();
            if (!lifecycle.await(() -> released, deadline)) {
                submitAbort(); // the queued writes could not be flushed in time (or the closer was interrupted)
            }
        }
    }

    /** Returns false if the close timeout passed while the peer was still sending. */
    private boolean linger(long deadline) {
        long quiet = ConnectionState.LINGER_QUIET.toNanos();
        while (!inbound.isEnded() && !released) {
            long seen = inbound.lastArrival();
            long now = System.nanoTime();
            if (now - seen >= quiet) {
                return true;
            }
            if (now - deadline >= 0) {
                return false;
            }
            long until = deadline - (seen + quiet) < 0 ? deadline : seen + quiet;
            if (!readable.await(() -> inbound.isEnded() || released || inbound.lastArrival() != seen, until)
                    && Thread.currentThread().isInterrupted()) {
                return false;
            }
        }
        return true;
    }

    /** Also cuts short a close in progress. */
    @Override
    public final void abort() {
        state.markClosed();
        signalAll();
        submitAbort();
    }

    /** Runs once, when the first terminal failure is recorded. */
    private void onFailure() {
        signalAll();
        if (state.failureKind() == ErrorKind.IDLE_TIMEOUT) {
            submitClose();
        } else {
            submitAbort();
        }
    }

    private void signalAll() {
        readable.signal();
        writable.signal();
        lifecycle.signal();
    }

    @Override
    public final boolean isOpen() {
        return state.isOpen();
    }

    @Override
    public final InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public final InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public final Optional<SSLSession> tlsSession() {
        SSLEngine engine = sslEngine();
        return engine == null || !handshakeDone ? Optional.empty() : Optional.of(engine.getSession());
    }

    @Override
    public final Optional<String> applicationProtocol() {
        SSLEngine engine = sslEngine();
        if (engine == null || !handshakeDone) {
            return Optional.empty();
        }
        String protocol = engine.getApplicationProtocol();
        return protocol == null || protocol.isEmpty() ? Optional.empty() : Optional.of(protocol);
    }

    @Override
    public String toString() {
        return state.label();
    }
}
