package net.corosio.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import net.corosio.BufferLease;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.internal.jfr.Events;

/**
 * What every backend's {@link Connection} does the same way, whatever moves its bytes: the state
 * machine ({@link ConnectionState}), the argument checks, the one-reader rule, the write lock that
 * makes each write atomic, the write and idle timeouts, the traffic counts, the addresses and the
 * TLS session. A backend supplies how bytes move: {@link #readSome}, {@link #writeAll}, {@link
 * #shutdownOutputNow}, and its own {@code close} and {@code abort}.
 *
 * <p><b>Lending.</b> {@link #receive()} and {@link #write(BufferLease)} are here too, with their
 * checks and the count of leases out ({@link net.corosio.TransportMetrics#lentBuffers()}). By
 * default they copy — {@link #receiveSome()} reads into a pooled buffer of its own and lends that,
 * holding it while it waits; {@link #writeLease} writes the lease's bytes through {@link #writeAll}
 * and gives it back — so a backend that cannot lend still works. A backend lends its own buffers,
 * and lets a waiting receiver hold none, by overriding {@link #receiveSome()} (the event-loop
 * backends through {@link BridgedConnection}; loom in its own way).
 *
 * <p>Every call's prologue and epilogue are here, so a reader of a backend sees only its I/O.
 * Thread-safe: one reader and any number of writers at a time.
 */
public abstract class AbstractConnection implements Connection {

    private static final VarHandle CLOSE_REPORTED;
    private static final VarHandle LEASES_OUT;

    static {
        try {
            CLOSE_REPORTED = MethodHandles.lookup().findVarHandle(AbstractConnection.class, "closeReported", boolean.class);
            LEASES_OUT = MethodHandles.lookup().findVarHandle(AbstractConnection.class, "leasesOut", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String backend;
    private final boolean serverSide;
    private final long openedAt = System.nanoTime();
    private final ConnectionState state;
    private final ConnectionOptions options;
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final TrafficCounter traffic;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** A write failed after handing part of its bytes over (guarded by {@code writeLock}). */
    private boolean writeCutOff;
    private final ProgressTimeout idle;
    private final ProgressTimeout writeStall;
    private volatile Runnable untrack = () -> {};
    private long bytesRead; // by the one reader
    private long bytesWritten; // under the write lock
    @SuppressWarnings("unused") // through CLOSE_REPORTED
    private volatile boolean closeReported;
    private volatile LendingLedger ledger;
    @SuppressWarnings("unused") // through LEASES_OUT
    private volatile int leasesOut;

    /**
     * Creates an open connection; its idle timeout starts now.
     *
     * @param backend the backend's name, for messages
     * @param serverSide whether the connection was accepted (for messages)
     * @param local the local address
     * @param remote the peer's address
     * @param options the connection's options
     * @param timer the timer for the write and idle timeouts
     * @param traffic the counter the connection's application bytes are added to
     */
    protected AbstractConnection(String backend, boolean serverSide, InetSocketAddress local, InetSocketAddress remote,
            ConnectionOptions options, TimeoutScheduler timer, TrafficCounter traffic) {
        this.backend = backend;
        this.serverSide = serverSide;
        this.local = local;
        this.remote = remote;
        this.options = options;
        this.traffic = traffic;
        this.state = new ConnectionState(this, this::failedTerminally); // labelled by toString(), when a message needs it
        // Without a timeout, the shared timeout that never fires: not even its action is made.
        this.idle = options.idleTimeout().isZero() ? ProgressTimeout.never() : new ProgressTimeout(timer,
                options.idleTimeout(),
                () -> state.timedOut(ErrorKind.IDLE_TIMEOUT, "nothing was read or written for " + options.idleTimeout()));
        this.writeStall = options.writeTimeout().isZero() ? ProgressTimeout.never() : new ProgressTimeout(timer,
                options.writeTimeout(),
                () -> state.timedOut(ErrorKind.WRITE_TIMEOUT, "a write made no progress for " + options.writeTimeout()));
        Events.opened(this, backend, serverSide);
        idle.arm();
    }

    /** The first terminal failure: a failed handshake is an event of its own; then the backend acts. */
    private void failedTerminally() {
        if (state.failureKind() == ErrorKind.TLS_HANDSHAKE && sslEngine() != null && !isHandshakeDone()) {
            Events.handshake(this, System.nanoTime() - openedAt, null, ConnectionState.describe(ErrorKind.TLS_HANDSHAKE));
        }
        terminalFailure();
    }

    /**
     * Reports the TLS handshake's success ({@code corosio.TlsHandshake}); the backend calls it once,
     * when the handshake completes.
     */
    protected final void handshakeCompleted() {
        SSLEngine engine = sslEngine();
        Events.handshake(this, System.nanoTime() - openedAt, engine == null ? null : engine.getSession(), null);
    }

    // ================================================================== what a backend supplies

    /**
     * Reads at least one byte into {@code dst}, waiting as long as the read timeout allows, or
     * returns -1 at end-of-stream. Called with the input side held, the connection usable and the
     * input not ended.
     *
     * @param dst a writable buffer with room
     * @return the bytes read (at least 1), or -1
     * @throws TransportException as {@link Connection#read} documents
     */
    protected abstract int readSome(ByteBuffer dst) throws TransportException;

    /**
     * Writes every remaining byte of {@code src}, waiting while the backend is above its high
     * water mark. Called under the write lock, with the write timeout armed and the output open.
     *
     * @param src the bytes
     * @throws TransportException as {@link Connection#write} documents
     */
    protected abstract void writeAll(ByteBuffer src) throws TransportException;

    /**
     * Writes every remaining byte of {@code srcs}, in order, as {@link #writeAll(ByteBuffer)}.
     *
     * @param srcs the buffers, none {@code null}
     * @param size their remaining bytes, more than 0
     * @throws TransportException as {@link Connection#write} documents
     */
    protected abstract void writeAll(ByteBuffer[] srcs, long size) throws TransportException;

    /**
     * Ends the output after every byte written before: {@code close_notify} (TLS), then FIN.
     * Called once, under the write lock.
     *
     * @throws TransportException if the connection fails meanwhile
     */
    protected abstract void shutdownOutputNow() throws TransportException;

    /**
     * Runs once, on the thread that records the first terminal failure (and only if the owner has
     * not closed the connection): abort the socket, or close it for an idle timeout. Must not block.
     */
    protected abstract void terminalFailure();

    /**
     * Returns the TLS engine, for the session and the agreed ALPN protocol.
     *
     * @return the engine, or {@code null} for plain TCP
     */
    protected abstract SSLEngine sslEngine();

    /**
     * Returns whether the TLS handshake has completed (always, for plain TCP).
     *
     * @return whether {@link #sslEngine()}'s session is established
     */
    protected abstract boolean isHandshakeDone();

    /**
     * Runs after every read, and after a read that could not start: a backend gives back here
     * what a release could not, while the reader held the input side. Does nothing by default.
     */
    protected void afterRead() {}

    /**
     * Receives at least one byte and lends it ({@link #lend}), waiting as long as the read timeout
     * allows, or returns {@code null} at end-of-stream. Called as {@link #readSome} is.
     *
     * <p>By default it copies, as {@code read} does: it reads into a pooled heap buffer ({@link
     * HeapBufferPool#MEDIUM}) and lends that — holding the buffer while it waits. A backend that
     * has buffers of its own lends them instead, and waits holding none.
     *
     * @return the lease, or {@code null} at end-of-stream
     * @throws TransportException as {@link Connection#receive} documents
     */
    protected ChunkLease receiveSome() throws TransportException {
        HeapBufferPool pool = HeapBufferPool.MEDIUM;
        ByteBuffer buffer = pool.take();
        boolean lent = false;
        try {
            if (readSome(buffer) < 0) {
                return null;
            }
            ChunkLease lease = lend(pool.chunk(buffer.flip()));
            lent = true;
            return lease;
        } finally {
            if (!lent) {
                pool.giveBack(buffer);
            }
        }
    }

    /**
     * Writes a lease that {@code write} has taken over, and gives it back ({@link
     * ChunkLease#release()}) once its bytes are written or the write fails: the lease is this
     * method's from the call on, whatever happens. Called as {@link #writeAll} is.
     *
     * <p>By default the lease's bytes go through {@link #writeAll(ByteBuffer)}, and the lease is
     * given back when it returns: no copy for a backend that writes on the caller's thread.
     *
     * @param lease the lease; its {@link ChunkLease#chunk() chunk}'s remaining bytes are what to write
     * @throws TransportException as {@link Connection#write} documents
     */
    protected void writeLease(ChunkLease lease) throws TransportException {
        try {
            writeAll(lease.chunk().bytes());
        } finally {
            lease.release();
        }
    }

    // ================================================================== for the backend

    /**
     * Returns the connection's state.
     *
     * @return the state
     */
    public final ConnectionState state() {
        return state;
    }

    /**
     * Sets what runs once the socket is released: the transport stops tracking the connection.
     *
     * @param action an idempotent action
     */
    public final void untrackWith(Runnable action) {
        this.untrack = Objects.requireNonNull(action, "action");
    }

    /**
     * Stops the timers, untracks the connection and reports it closed ({@code
     * corosio.ConnectionClosed}); for the path that releases the socket. Idempotent.
     */
    protected final void released() {
        idle.cancel();
        writeStall.cancel();
        LendingLedger lending = ledger;
        if (lending != null && leasesOut() > 0) {
            // Leases outlive their connection: the ledger names it until the last comes back. A
            // lease that came back meanwhile saw no release yet; the check after adding covers it.
            lending.closedWithLeasesOut(this);
            if (leasesOut() == 0) {
                lending.forget(this);
            }
        }
        // The event is committed before the transport stops counting the connection: whoever sees
        // the count fall (a test, a drain) finds the event already recorded.
        if (CLOSE_REPORTED.compareAndSet(this, false, true)) {
            Events.closed(this, backend, System.nanoTime() - openedAt, bytesRead, bytesWritten,
                    state.isClosedByOwner() ? null : state.failureKind());
        }
        untrack.run();
    }

    /**
     * Lends a chunk of received bytes to the application: the returned lease counts as a buffer
     * out until it is given back. For {@link #receiveSome()}.
     *
     * @param chunk the bytes, at least one; the lease owns the chunk from now on
     * @return the lease
     */
    protected final ChunkLease lend(InboundQueue.Chunk chunk) {
        LEASES_OUT.getAndAdd(this, 1);
        LendingLedger lending = ledger;
        if (lending != null) {
            lending.lent();
        }
        return new ChunkLease(this, chunk);
    }

    /** One of this connection's leases came back (from {@link ChunkLease}). */
    final void leaseReturned() {
        int left = (int) LEASES_OUT.getAndAdd(this, -1) - 1;
        LendingLedger lending = ledger;
        if (lending != null) {
            lending.returned();
            if (left == 0 && state.isReleased()) {
                lending.forget(this);
            }
        }
    }

    /** How many of this connection's leases are out now. */
    final int leasesOut() {
        return (int) LEASES_OUT.getVolatile(this);
    }

    /** Counts this connection's leases in its transport's ledger; set once, when the transport tracks it. */
    final void countLeasesIn(LendingLedger lending) {
        this.ledger = lending;
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
     * Returns the write lock, held by every write and by {@code shutdownOutput}.
     *
     * @return the lock
     */
    protected final ReentrantLock writeLock() {
        return writeLock;
    }

    /**
     * Returns whether a write failed after handing part of its bytes over: the peer must then see
     * a reset, never a clean end of a stream that lost the rest of that write (SPEC 5.10). Read it
     * holding {@link #writeLock()}.
     *
     * @return whether a write was cut off
     */
    protected final boolean isWriteCutOff() {
        return writeCutOff;
    }

    /** Records progress: bytes moved either way, which postpones the idle and write timeouts. */
    protected final void progress() {
        writeStall.progress();
        idle.progress();
    }

    /** Records inbound progress, which postpones the idle timeout. */
    protected final void inboundProgress() {
        idle.progress();
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
        if (!beginInput()) {
            return -1;
        }
        try {
            int n = readSome(dst);
            if (n < 0) {
                state.markInputEnded();
            } else {
                traffic.read(n);
                bytesRead += n;
            }
            return n;
        } finally {
            endInput();
        }
    }

    /**
     * Takes the input side for a read or a receive.
     *
     * @return {@code false} (with the input side given back) if end-of-stream was delivered already
     * @throws TransportException if the connection cannot be read
     */
    private boolean beginInput() throws TransportException {
        try {
            state.beginRead();
        } catch (TransportException e) {
            afterRead();
            throw e;
        }
        if (state.isInputEnded()) {
            endInput();
            return false;
        }
        return true;
    }

    private void endInput() {
        state.endRead();
        afterRead();
    }

    @Override
    public final BufferLease receive() throws TransportException {
        if (!beginInput()) {
            return null;
        }
        try {
            ChunkLease lease = receiveSome();
            if (lease == null) {
                state.markInputEnded();
            } else {
                int n = lease.chunk().remaining();
                traffic.read(n);
                bytesRead += n;
            }
            return lease;
        } finally {
            endInput();
        }
    }

    /**
     * Takes the lease over, then writes it as {@link #write(ByteBuffer)} would: a lease of this
     * API's kind through {@link #writeLease} (without a copy where the backend can), another kind
     * by copying its buffer. The lease is given back on every path.
     */
    @Override
    public final void write(BufferLease lease) throws TransportException {
        Objects.requireNonNull(lease, "lease");
        if (!(lease instanceof ChunkLease lent)) {
            Connection.super.write(lease);
            return;
        }
        int size = lent.takeForWrite(this);
        boolean handedOver = false;
        try {
            if (!beginWrite(size)) {
                return;
            }
            handedOver = true;
            boolean done = false;
            try {
                writeLease(lent);
                traffic.written(size);
                bytesWritten += size;
                done = true;
            } finally {
                if (!done) {
                    writeCutOff = true; // the backend owned the lease: part of it may be on the wire
                }
                endWrite();
            }
        } finally {
            if (!handedOver) {
                lent.release();
            }
        }
    }

    @Override
    public final void write(ByteBuffer src) throws TransportException {
        Objects.requireNonNull(src, "src");
        int size = src.remaining();
        if (!beginWrite(size)) {
            return;
        }
        int start = src.position();
        boolean done = false;
        try {
            writeAll(src);
            traffic.written(size);
            bytesWritten += size;
            done = true;
        } finally {
            if (!done && src.position() != start) {
                writeCutOff = true;
            }
            endWrite();
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
        if (!beginWrite(size)) {
            return;
        }
        long[] starts = new long[srcs.length];
        for (int i = 0; i < srcs.length; i++) {
            starts[i] = srcs[i].position();
        }
        boolean done = false;
        try {
            writeAll(srcs, size);
            traffic.written(size);
            bytesWritten += size;
            done = true;
        } finally {
            if (!done) {
                for (int i = 0; i < srcs.length; i++) {
                    writeCutOff |= srcs[i].position() != starts[i];
                }
            }
            endWrite();
        }
    }

    /**
     * A write's prologue: takes the write lock (waiting for the write that holds it), checks that
     * the output is open, and arms the write timeout.
     *
     * @param size the bytes to write
     * @return {@code false}, with the lock released, if there is nothing to write
     * @throws TransportException if the output is closed, shut down or failed, or the thread is
     *     interrupted
     */
    private boolean beginWrite(long size) throws TransportException {
        state.lockForWrite(writeLock, "write");
        try {
            state.checkWritable("write");
        } catch (TransportException e) {
            writeLock.unlock();
            throw e;
        }
        if (size == 0) {
            writeLock.unlock();
            return false;
        }
        writeStall.arm();
        return true;
    }

    private void endWrite() {
        writeStall.disarm();
        writeLock.unlock();
    }

    @Override
    public final void shutdownOutput() throws TransportException {
        state.lockForWrite(writeLock, "shutdownOutput");
        try {
            state.checkUsable("shutdownOutput");
            if (state.markOutputShutdown()) {
                shutdownOutputNow();
            }
        } finally {
            writeLock.unlock();
        }
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
        return engine == null || !isHandshakeDone() ? Optional.empty() : Optional.of(engine.getSession());
    }

    @Override
    public final Optional<String> applicationProtocol() {
        SSLEngine engine = sslEngine();
        if (engine == null || !isHandshakeDone()) {
            return Optional.empty();
        }
        String protocol = engine.getApplicationProtocol();
        return protocol == null || protocol.isEmpty() ? Optional.empty() : Optional.of(protocol);
    }

    /**
     * Names the connection, e.g. {@code "nio /127.0.0.1:5000 <- /127.0.0.1:41000"}: the label of
     * its messages, built when one is needed (a connection holds no string of its own).
     */
    @Override
    public String toString() {
        return backend + " " + local + (serverSide ? " <- " : " -> ") + remote;
    }
}
