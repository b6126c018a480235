package net.corosio.spi;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.internal.jfr.Events;

/**
 * A {@link Connection} whose bytes are moved by an event loop (Netty, Jetty, a selector), bridged
 * to suspending calls: the whole of the API's semantics lives here and in {@link
 * AbstractConnection}, once; a backend only moves bytes ({@code submit…} hooks) and reports what
 * its loop sees through one handle, {@link #loopSide()}.
 *
 * <p><b>Inbound.</b> The loop hands received (plaintext) bytes to {@link LoopSide#received}; they
 * wait in an {@link InboundQueue} bounded by the inbound limit, and a reader parked in {@code
 * read} or {@code receive} is woken. A read that finds bytes queued never parks, and takes all it
 * has room for; a receive takes the oldest chunk whole and lends it — the backend's own buffer,
 * not a copy — so a receiver that waits holds no buffer at all. When the queue is full the backend
 * is asked to stop reading ({@link #updateReadInterest()}), and to resume once the reader has
 * drained it.
 *
 * <p><b>Outbound.</b> {@code write} hands bytes to the backend ({@link #submitWrite}, which
 * copies them) in slices of at most the high water mark, under the write lock so writes stay
 * atomic, and waits while the backend holds the high water mark or more ({@link OutboundCredit}).
 * A backend that can write on the caller's thread when nothing is queued ({@link #writeDirectly})
 * hands over only what the socket did not take. A lease written with {@code write(BufferLease)}
 * is handed over whole, without a copy, to a backend that can queue it ({@link #submitOwned}), and
 * copied like any other bytes otherwise.
 *
 * <p><b>Lifecycle.</b> Failures the loop reports are classified once and are sticky ({@link
 * ConnectionState}); timeouts are handled here; {@link #close()} is a lingering close ({@link
 * LingeringClose}) bounded by the close timeout; an interrupt cancels.
 *
 * <p><b>Threads.</b> {@link LoopSide}'s notifications come from the event loop, in order. The
 * {@code submit…} hooks are called from application threads and must not block.
 */
public abstract class BridgedConnection extends AbstractConnection {

    private final boolean tls;
    private final InboundQueue inbound;
    private final Signal readable = new Signal();
    private final Signal lifecycle = new Signal();
    private final OutboundCredit credit;
    private final LoopSide loopSide = new LoopSide();
    private volatile boolean handshakeDone;
    private volatile Throwable endFailure;

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
        super(backend, serverSide, local, remote, options, timer, traffic);
        this.tls = tls;
        this.handshakeDone = !tls;
        this.inbound = new InboundQueue(options.inboundLimit(), this::readInterestChanged, readable::signal);
        this.credit = new OutboundCredit(options.writeHighWaterMark(), options.writeLowWaterMark());
    }

    // ================================================================== hooks for the backend

    /**
     * Sets the socket's read interest to {@code !loopSide().isReadPaused()}, read at the time it
     * runs on the event loop. Called from any thread: schedule it on the loop when called from
     * elsewhere.
     */
    protected abstract void updateReadInterest();

    /**
     * Copies {@code slice}'s remaining bytes into the backend's buffers and queues them for
     * writing (without flushing). Must not block. The backend later reports them with {@link
     * LoopSide#flushed}.
     *
     * @param slice the bytes, at most the high water mark; its position is not used afterwards
     */
    protected abstract void submitWrite(ByteBuffer slice);

    /** Starts writing what {@link #submitWrite} queued. Must not block. */
    protected abstract void submitFlush();

    /**
     * After every queued write: sends {@code close_notify} (TLS) and then FIN, keeping the input
     * open. Must not block; failures are reported through {@link LoopSide#failed}.
     */
    protected abstract void submitShutdownOutput();

    /**
     * After every queued write has been written, closes the socket normally, then reports {@link
     * LoopSide#closed()}. Must not block. If the writes cannot be flushed, {@link #close()} aborts
     * when its close timeout passes.
     */
    protected abstract void submitClose();

    /**
     * Closes the socket now, discarding queued writes, with a reset (SO_LINGER 0) where possible,
     * then reports {@link LoopSide#closed()}. Idempotent; callable from any thread; must not block.
     */
    protected abstract void submitAbort();

    /**
     * Writes what the socket takes now of {@code src}, without blocking, if the backend can do so
     * on the calling thread; called only when nothing is queued before it. The bytes written are
     * sent: they are not reported through {@link LoopSide#flushed}. The rest goes through {@link
     * #submitWrite}. By default nothing is written here.
     *
     * @param src the bytes; its position advances past what was written
     * @return the bytes written, 0 or more
     * @throws IOException if the socket fails
     */
    protected long writeDirectly(ByteBuffer src) throws IOException {
        return 0;
    }

    /**
     * Takes over a lease's bytes for writing, without copying them, if the backend can: queues
     * {@code lease.chunk()}'s remaining bytes (without flushing) and calls {@link
     * ChunkLease#release()} once they are written — reporting them through {@link LoopSide#flushed}
     * — or discarded. Must not block. By default nothing is taken, and the bridge copies the bytes
     * through {@link #submitWrite} and gives the lease back at once.
     *
     * @param lease the lease, taken over by {@code write}; its chunk may be another backend's
     * @return whether the backend took the lease (and will release it)
     */
    protected boolean submitOwned(ChunkLease lease) {
        return false;
    }

    /**
     * The form of {@link #writeDirectly(ByteBuffer)} for a lease's chunk (whose {@link
     * InboundQueue.Chunk#bytes()} a backend may write). By default nothing is written here.
     *
     * @param chunk the bytes; its remaining bytes shrink by what was written
     * @return the bytes written, 0 or more
     * @throws IOException if the socket fails
     */
    protected long writeDirectly(InboundQueue.Chunk chunk) throws IOException {
        return 0;
    }

    /**
     * The gathering form of {@link #writeDirectly(ByteBuffer)}.
     *
     * @param srcs the buffers; their positions advance past what was written
     * @return the bytes written, 0 or more
     * @throws IOException if the socket fails
     */
    protected long writeDirectly(ByteBuffer[] srcs) throws IOException {
        return 0;
    }

    /** The inbound queue paused or resumed reading: an event, then the backend applies it. */
    private void readInterestChanged() {
        Events.readInterest(this, inbound.isPaused(), inbound.size());
        updateReadInterest();
    }

    // ================================================================== the loop's handle

    /**
     * Returns the handle through which the backend's event loop reports what it sees: one name
     * per event, whatever the library calls it. For the backend only.
     *
     * @return the handle
     */
    public final LoopSide loopSide() {
        return loopSide;
    }

    /**
     * What the event loop tells the connection, in order, from the loop's thread: bytes received,
     * the stream's end, bytes flushed, the handshake, a failure, the socket's release.
     */
    public final class LoopSide {

        private LoopSide() {}

        /**
         * Received bytes (plaintext, for TLS), in order. The chunk belongs to the connection from
         * now on.
         *
         * @param chunk the bytes
         */
        public void received(InboundQueue.Chunk chunk) {
            inboundProgress();
            inbound.offer(chunk);
        }

        /** The peer ended its stream (after a {@code close_notify}, for TLS). */
        public void ended() {
            if (!handshakeDone) {
                state().fail(ErrorKind.TLS_HANDSHAKE, "the peer closed the connection during the TLS handshake", null);
                return;
            }
            inbound.end();
        }

        /**
         * The peer's stream ended abnormally, after the bytes received so far: for TLS, a TCP
         * end-of-stream without {@code close_notify}. The reader gets every byte queued before it,
         * then the failure (classified as by {@link #failed}), which is then terminal; before the
         * TLS handshake completed it is {@link #failed} at once. Unlike {@link #failed}, which
         * discards queued bytes, this keeps the rule that an end never overtakes data.
         *
         * @param cause the failure the stream ended with, e.g. a {@link TransportException} of kind
         *     {@link ErrorKind#TLS_TRUNCATED}
         */
        public void endedWithFailure(Throwable cause) {
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
        public void flushed(long bytes) {
            progress();
            credit.giveBack(bytes);
        }

        /** The TLS handshake has completed. */
        public void handshakeSucceeded() {
            handshakeDone = true;
            inboundProgress(); // the handshake's last flight was traffic: idleness counts from here (8.21)
            handshakeCompleted();
            lifecycle.signal();
        }

        /**
         * The connection failed: classified by {@link ErrorClassifier}; before the TLS handshake
         * completed, every failure but a local close or cancellation is {@link
         * ErrorKind#TLS_HANDSHAKE}.
         *
         * @param cause the library's exception
         */
        public void failed(Throwable cause) {
            ErrorKind kind = ErrorClassifier.classify(cause, ErrorKind.IO);
            if (!handshakeDone && kind != ErrorKind.CLOSED && kind != ErrorKind.CANCELLED) {
                kind = ErrorKind.TLS_HANDSHAKE;
            }
            if (!kind.isTerminal()) {
                kind = ErrorKind.IO;
            }
            if (state().fail(kind, ConnectionState.describe(kind), cause)) {
                // Once the owner has closed, the failure runs no action of its own: this wakes a
                // close lingering for the peer's end, which a reset ends as well.
                readable.signal();
            }
        }

        /**
         * The socket is closed, for whatever reason. A connection still open at this point was
         * closed underneath the API and is reported as reset: never as a clean end. Idempotent.
         */
        public void closed() {
            ConnectionState state = state();
            if (state.isOpen()) {
                state.fail(ErrorKind.RESET, "the connection was closed underneath", null);
            }
            state.markReleased();
            if (state.claimInputForClose()) {
                inbound.dispose();
            }
            signalAll();
            released();
        }

        /**
         * Returns whether reading should be paused (the inbound queue is full).
         *
         * @return whether the read interest should be off
         */
        public boolean isReadPaused() {
            return inbound.isPaused();
        }

        /**
         * Returns whether the TLS handshake has completed (always, for plain TCP).
         *
         * @return whether the connection is ready for application data
         */
        public boolean isHandshakeDone() {
            return handshakeDone;
        }
    }

    // ================================================================== for the backend's transport

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
        ConnectionState state = state();
        Duration limit = options().tlsHandshakeTimeout();
        if (!lifecycle.await(() -> handshakeDone || !state.isOpen(), Signal.deadline(limit.toNanos()))) {
            if (Thread.currentThread().isInterrupted()) {
                throw state.failure("TLS handshake", new InterruptedIOException("interrupted"), ErrorKind.TLS_HANDSHAKE);
            }
            state.timedOut(ErrorKind.TLS_HANDSHAKE, "the TLS handshake did not complete within " + limit);
        }
        if (handshakeDone && state.isOpen()) {
            return;
        }
        TransportException failure = state.terminalException("TLS handshake");
        throw failure != null ? failure : state.exception(ErrorKind.TLS_HANDSHAKE, "TLS handshake", "failed", null);
    }

    // ================================================================== the API's work

    @Override
    protected final int readSome(ByteBuffer dst) throws TransportException {
        long deadline = Signal.deadline(options().readTimeout().toNanos());
        while (true) {
            checkReadable("read");
            int n = inbound.poll(dst);
            if (n > 0) {
                return n;
            }
            if (n < 0) {
                endOfInput("read");
                return -1;
            }
            awaitInbound("read", deadline);
        }
    }

    /** Lends the oldest queued chunk whole: the backend's own buffer, not a copy. */
    @Override
    protected final ChunkLease receiveSome() throws TransportException {
        long deadline = Signal.deadline(options().readTimeout().toNanos());
        while (true) {
            checkReadable("receive");
            InboundQueue.Chunk chunk = inbound.take();
            if (chunk != null) {
                return lend(chunk);
            }
            if (inbound.isDrainedAndEnded()) {
                endOfInput("receive");
                return null;
            }
            awaitInbound("receive", deadline);
        }
    }

    private void checkReadable(String operation) throws TransportException {
        TransportException terminal = state().terminalException(operation);
        if (terminal != null) {
            throw terminal;
        }
    }

    /** Every byte before the end was delivered: a clean end, or the failure the stream ended with. */
    private void endOfInput(String operation) throws TransportException {
        Throwable failure = endFailure;
        if (failure != null) {
            loopSide.failed(failure);
            throw state().terminalException(operation);
        }
    }

    /** Parks until bytes or the end arrive, or the connection closes or fails; throws on a timeout or an interrupt. */
    private void awaitInbound(String operation, long deadline) throws TransportException {
        ConnectionState state = state();
        if (!readable.await(() -> inbound.isReadable() || !state.isOpen(), deadline)) {
            if (Thread.currentThread().isInterrupted()) {
                throw state.failure(operation, new InterruptedIOException("interrupted"), ErrorKind.READ_TIMEOUT);
            }
            if (!inbound.isReadable() && state.isOpen()) {
                throw state.readTimedOut(operation, "no data arrived within the read timeout of " + options().readTimeout());
            }
        }
    }

    /**
     * A reader that could not start (interrupted) or has just finished held the input side, so a
     * release that ran meanwhile could not give back what is queued: the reader does.
     */
    @Override
    protected final void afterRead() {
        if (state().isReleased() && state().claimInputForClose()) {
            inbound.dispose();
        }
    }

    @Override
    protected final void writeAll(ByteBuffer src) throws TransportException {
        if (credit.pending() == 0 && writeNow(() -> writeDirectly(src)) && !src.hasRemaining()) {
            return;
        }
        submitSlices(src);
        submitFlush();
    }

    @Override
    protected final void writeAll(ByteBuffer[] srcs, long size) throws TransportException {
        if (credit.pending() == 0 && writeNow(() -> writeDirectly(srcs))) {
            boolean done = true;
            for (ByteBuffer src : srcs) {
                done &= !src.hasRemaining();
            }
            if (done) {
                return;
            }
        }
        for (ByteBuffer src : srcs) {
            submitSlices(src);
        }
        submitFlush();
    }

    /**
     * Writes what the socket takes now (loop-carried backends), then hands the rest over whole
     * ({@link #submitOwned}) or, for a backend that cannot take a lease, copies it like any write
     * and gives the lease back. The lease is given back on every path that does not hand it over.
     */
    @Override
    protected final void writeLease(ChunkLease lease) throws TransportException {
        InboundQueue.Chunk chunk = lease.chunk();
        boolean handedOver = false;
        try {
            if (credit.pending() == 0 && writeNow(() -> writeDirectly(chunk)) && chunk.remaining() == 0) {
                return;
            }
            awaitCredit();
            int size = chunk.remaining();
            credit.take(size);
            if (submitOwned(lease)) {
                handedOver = true;
            } else {
                credit.giveBack(size);
                submitSlices(chunk.bytes());
            }
            submitFlush();
        } finally {
            if (!handedOver) {
                lease.release();
            }
        }
    }

    /** Tries a {@link #writeDirectly} call; returns whether it wrote anything. */
    private boolean writeNow(DirectWrite write) throws TransportException {
        try {
            long n = write.run();
            if (n > 0) {
                progress();
            }
            return n > 0;
        } catch (IOException e) {
            throw state().failure("write", e, ErrorKind.WRITE_TIMEOUT);
        }
    }

    /** One of the {@link #writeDirectly} forms. */
    @FunctionalInterface
    private interface DirectWrite {
        long run() throws IOException;
    }

    /** Hands {@code src} over in slices of at most the high water mark, waiting below it. */
    private void submitSlices(ByteBuffer src) throws TransportException {
        int slice = credit.sliceSize();
        while (src.hasRemaining()) {
            awaitCredit();
            int n = Math.min(src.remaining(), slice);
            credit.take(n);
            submitWrite(src.slice(src.position(), n));
            src.position(src.position() + n);
        }
    }

    private void awaitCredit() throws TransportException {
        ConnectionState state = state();
        if (credit.isExhausted()) {
            submitFlush();
            if (!credit.awaitBelowLow(() -> !state.isOpen())) {
                throw state.failure("write", new InterruptedIOException("interrupted"), ErrorKind.WRITE_TIMEOUT);
            }
        }
        TransportException terminal = state.terminalException("write");
        if (terminal != null) {
            // Slices handed over before the failure must still reach the loop, which discards
            // (and releases) what a closed channel cannot send: never left in the queue.
            submitFlush();
            throw terminal;
        }
    }

    @Override
    protected final void shutdownOutputNow() {
        submitShutdownOutput();
    }

    /**
     * Closes gracefully with a lingering close, bounded by the close timeout: {@code
     * close_notify} (TLS) and FIN after every queued write, then what the peer still sends is
     * discarded ({@link LingeringClose}), then the socket is closed once the queued writes are
     * out. When the close timeout passes, the connection is aborted. Without a close timeout there
     * is no lingering and no waiting.
     */
    @Override
    public final void close() {
        ConnectionState state = state();
        if (!state.markClosed()) {
            return;
        }
        signalAll();
        Duration limit = options().closeTimeout();
        long deadline = Signal.deadline(limit.toNanos());
        writeLock().lock(); // a writer, woken above, leaves at once
        try {
            if (isWriteCutOff()) {
                // The close cut a write off halfway: the peer must see a reset, not a clean end of
                // a stream that lost the rest of that write (5.10).
                submitAbort();
                return;
            }
            if (!state.isReleased() && handshakeDone && state.markOutputShutdown()) {
                submitShutdownOutput();
            }
        } finally {
            writeLock().unlock();
        }
        if (limit.isZero()) {
            submitClose();
            return;
        }
        if (!state.isReleased() && handshakeDone && state.claimInputForClose()) {
            inbound.discard();
            if (!LingeringClose.linger(inbound, readable, () -> state.isReleased() || state.failureKind() != null,
                    deadline)) {
                submitAbort();
                return;
            }
        }
        if (!state.isReleased()) {
            submitClose();
            if (!lifecycle.await(state::isReleased, deadline)) {
                submitAbort(); // the queued writes could not be flushed in time (or the closer was interrupted)
            }
        }
    }

    /** Also cuts short a close in progress. */
    @Override
    public final void abort() {
        state().markClosed();
        signalAll();
        submitAbort();
    }

    /** Runs once, when the first terminal failure is recorded. */
    @Override
    protected final void terminalFailure() {
        signalAll();
        if (state().failureKind() == ErrorKind.IDLE_TIMEOUT) {
            submitClose();
        } else {
            submitAbort();
        }
    }

    @Override
    protected final boolean isHandshakeDone() {
        return handshakeDone;
    }

    private void signalAll() {
        readable.signal();
        credit.wake();
        lifecycle.signal();
    }

    /**
     * Returns whether the backend's queue holds bytes not yet written.
     *
     * @return whether writes are pending
     */
    protected final boolean hasPendingWrites() {
        return credit.pending() > 0;
    }

    /**
     * Returns whether the connection was marked {@code tls} when made.
     *
     * @return whether a TLS handshake precedes the data
     */
    protected final boolean isTls() {
        return tls;
    }
}
