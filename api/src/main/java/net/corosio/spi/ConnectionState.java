package net.corosio.spi;

import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.Lock;
import net.corosio.Connection;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.internal.jfr.Events;

/**
 * The lifecycle every {@link Connection} shares, whatever moves its bytes: open, half-closed in
 * either direction, closed by its owner, or failed. It makes failures sticky (the first terminal
 * failure is reported by every later call), decides which kind a native exception stands for in
 * the light of what already happened (a close or a timer that got there first), and says who owns
 * the input side. Thread-safe and lock-free; a handful of fields updated by compare-and-set, so that
 * an idle connection's state costs a few dozen bytes.
 *
 * <p>The connection's life, and who may touch its input:
 *
 * <pre>
 *   OPEN ──shutdownOutput──▶ OUTPUT SHUT      (both still open: isOpen() is true)
 *     │
 *     ├── markClosed() (close, abort, the transport) ──▶ CLOSED BY OWNER ─┐  every call: CLOSED
 *     └── fail(kind)   (the peer, a timer, an interrupt) ▶ FAILED(kind) ──┤  every call: kind
 *                                                                         ▼
 *                                                   markReleased() ──▶ RELEASED (the socket is freed, once)
 *
 *   input owner:   NONE ──beginRead()──▶ READER ──endRead()──▶ NONE
 *                  NONE ──claimInputForClose()──▶ CLOSER   (for good: a lingering close drains, or
 *                                                           the release gives back what is queued)
 * </pre>
 *
 * <p>One reader at a time: a second {@link #beginRead} while a read is in progress is a misuse
 * ({@link IllegalStateException}); a closer never takes the input from a reader in progress (that
 * read fails with {@link ErrorKind#CLOSED} instead).
 *
 * <p>A backend calls {@link #checkUsable}, {@link #checkWritable} at the start of each call,
 * {@link #failure} when its I/O throws, and {@link #markReleased} on the one path that finally
 * frees the socket.
 */
public final class ConnectionState {

    /**
     * How long a lingering close waits for more input from the peer before it releases the socket:
     * long enough for what the peer sent before it saw our end-of-stream to arrive, short enough
     * not to hold a connection whose peer keeps it open.
     */
    public static final java.time.Duration LINGER_QUIET = java.time.Duration.ofSeconds(1);

    private record Failure(ErrorKind kind, String reason, Throwable cause) {}

    // Who owns the input side: nobody, a read in progress, or a closing connection for good.
    private static final int INPUT_NONE = 0;
    private static final int INPUT_READER = 1;
    private static final int INPUT_CLOSER = 2;

    private static final VarHandle FAILURE;
    private static final VarHandle OWNER_CLOSED;
    private static final VarHandle OUTPUT_SHUTDOWN;
    private static final VarHandle RELEASED;
    private static final VarHandle INPUT;

    static {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            FAILURE = lookup.findVarHandle(ConnectionState.class, "failure", Failure.class);
            OWNER_CLOSED = lookup.findVarHandle(ConnectionState.class, "ownerClosed", boolean.class);
            OUTPUT_SHUTDOWN = lookup.findVarHandle(ConnectionState.class, "outputShutdown", boolean.class);
            RELEASED = lookup.findVarHandle(ConnectionState.class, "released", boolean.class);
            INPUT = lookup.findVarHandle(ConnectionState.class, "input", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object label;
    private final Runnable onFailure;
    private volatile Failure failure;
    private volatile boolean ownerClosed;
    private volatile boolean outputShutdown;
    private volatile boolean released;
    private volatile int input = INPUT_NONE;
    private volatile boolean inputEnded;

    /**
     * Creates the state of a new, open connection.
     *
     * @param label names the connection in messages, e.g. {@code "loom 127.0.0.1:5000 <-
     *     127.0.0.1:41000"}: its {@code toString()}, taken when a message needs it (a connection
     *     passes itself, so no label is built unless one is needed)
     * @param onFailure run once, on the thread that records it, when the first terminal failure is
     *     recorded (and the owner has not closed the connection): the backend aborts the socket and
     *     releases what the connection holds. It must not block and must be idempotent with the
     *     backend's own close paths
     */
    public ConnectionState(Object label, Runnable onFailure) {
        this.label = label;
        this.onFailure = onFailure;
    }

    /**
     * Returns the label used in messages.
     *
     * @return the label
     */
    public String label() {
        return label.toString();
    }

    /**
     * Returns whether the connection is neither closed by its owner nor failed.
     *
     * @return whether it is open
     */
    public boolean isOpen() {
        return !ownerClosed && failure == null;
    }

    /**
     * Records that the owner closed or aborted the connection (or the transport or server did so
     * on its behalf). From then on every call fails with {@link ErrorKind#CLOSED}, and the failure
     * callback no longer runs: the closer releases the socket.
     *
     * @return {@code true} for the first call only
     */
    public boolean markClosed() {
        return OWNER_CLOSED.compareAndSet(this, false, true);
    }

    /**
     * Returns whether the owner has closed or aborted the connection.
     *
     * @return whether {@link #markClosed} was called
     */
    public boolean isClosedByOwner() {
        return ownerClosed;
    }

    /**
     * Records a terminal failure unless one is already recorded, then runs the failure callback
     * given to the constructor (which aborts the socket). A backend calls this from a timer (idle
     * timeout, write timeout, TLS handshake timeout), so that the calls the abort wakes report the
     * timer's kind, not {@link ErrorKind#CLOSED}.
     *
     * @param kind the failure's kind
     * @param reason what happened, for the message
     * @param cause the native exception, or {@code null}
     * @return {@code true} if this failure is now the connection's
     */
    public boolean fail(ErrorKind kind, String reason, Throwable cause) {
        if (!kind.isTerminal()) {
            throw new IllegalArgumentException("not a terminal kind: " + kind);
        }
        if (!FAILURE.compareAndSet(this, (Failure) null, new Failure(kind, reason, cause))) {
            return false;
        }
        if (!ownerClosed) {
            onFailure.run();
        }
        return true;
    }

    /**
     * Records that a timer's timeout fired (idle, write, TLS handshake): a terminal failure of that
     * kind, and a {@code corosio.Timeout} event.
     *
     * @param kind {@link ErrorKind#IDLE_TIMEOUT}, {@link ErrorKind#WRITE_TIMEOUT} or {@link
     *     ErrorKind#TLS_HANDSHAKE}
     * @param reason what happened, for the message
     * @return {@code true} if this failure is now the connection's
     */
    public boolean timedOut(ErrorKind kind, String reason) {
        boolean first = fail(kind, reason, null);
        if (first) {
            Events.timeout(label, kind);
        }
        return first;
    }

    /**
     * Builds the exception of a read that received nothing within the read timeout (which leaves
     * the connection open), and records a {@code corosio.Timeout} event.
     *
     * @param operation the call, for the message
     * @param reason what happened
     * @return the exception to throw
     */
    public TransportException readTimedOut(String operation, String reason) {
        Events.timeout(label, ErrorKind.READ_TIMEOUT);
        return exception(ErrorKind.READ_TIMEOUT, operation, reason, null);
    }

    /**
     * Returns the kind of the recorded failure.
     *
     * @return the kind, or {@code null} if the connection has not failed
     */
    public ErrorKind failureKind() {
        Failure f = failure;
        return f == null ? null : f.kind();
    }

    /**
     * Records that end-of-stream was delivered; later reads return -1 without I/O.
     */
    public void markInputEnded() {
        inputEnded = true;
    }

    /**
     * Returns whether end-of-stream was delivered to a reader.
     *
     * @return whether the input has ended
     */
    public boolean isInputEnded() {
        return inputEnded;
    }

    /**
     * Records a half-close of the output.
     *
     * @return {@code true} for the first call only
     */
    public boolean markOutputShutdown() {
        return OUTPUT_SHUTDOWN.compareAndSet(this, false, true);
    }

    /**
     * Returns whether the output was half-closed.
     *
     * @return whether {@link #markOutputShutdown} was called
     */
    public boolean isOutputShutdown() {
        return outputShutdown;
    }

    /**
     * Records that the socket is being released.
     *
     * @return {@code true} for the first call only: the caller frees the resources
     */
    public boolean markReleased() {
        return RELEASED.compareAndSet(this, false, true);
    }

    /**
     * Returns whether the socket has been (or is being) released.
     *
     * @return whether {@link #markReleased} was called
     */
    public boolean isReleased() {
        return released;
    }

    /**
     * Starts a read: throws if the connection is closed or failed, or if another read is running.
     * Also fails with {@link ErrorKind#CANCELLED} (aborting the connection) if the calling thread
     * is already interrupted. Pair with {@link
     * #endRead()} in a {@code finally} block.
     *
     * @throws TransportException if the connection cannot be read
     * @throws IllegalStateException if another read is in progress
     */
    public void beginRead() throws TransportException {
        TransportException terminal = terminalException("read");
        if (terminal != null) {
            throw terminal; // before the reader check: a closing connection may own the input side
        }
        if (!INPUT.compareAndSet(this, INPUT_NONE, INPUT_READER)) {
            if (input == INPUT_CLOSER) {
                throw exception(ErrorKind.CLOSED, "read", "the connection is closing", null);
            }
            throw new IllegalStateException("another read is in progress on " + label
                    + "; a connection allows one reader at a time");
        }
        try {
            checkUsable("read");
        } catch (TransportException e) {
            INPUT.compareAndSet(this, INPUT_READER, INPUT_NONE);
            throw e;
        }
    }

    /** Ends a read started by {@link #beginRead()}. */
    public void endRead() {
        INPUT.compareAndSet(this, INPUT_READER, INPUT_NONE);
    }

    /**
     * Takes the input side for good, for a closing connection that drains what the peer still
     * sends (a lingering close). Fails if a reader is in progress: that read must fail promptly
     * with {@link ErrorKind#CLOSED} instead, so the closer must not wait on the input.
     *
     * @return {@code true} if the caller now owns the input side
     */
    public boolean claimInputForClose() {
        return INPUT.compareAndSet(this, INPUT_NONE, INPUT_CLOSER);
    }

    /**
     * Checks that the connection can be written to.
     *
     * @param operation the call, for the message
     * @throws TransportException {@link ErrorKind#CLOSED} or the failure's kind if closed or failed,
     *     {@link ErrorKind#OUTPUT_SHUTDOWN} after a half-close, {@link ErrorKind#CANCELLED} if the
     *     thread is interrupted
     */
    public void checkWritable(String operation) throws TransportException {
        checkUsable(operation);
        if (outputShutdown) {
            throw new TransportException(
                    ErrorKind.OUTPUT_SHUTDOWN, operation + " after shutdownOutput on " + label);
        }
    }

    /**
     * Checks that the connection is neither closed nor failed and the thread is not interrupted.
     *
     * @param operation the call, for the message
     * @throws TransportException if it is not
     */
    public void checkUsable(String operation) throws TransportException {
        TransportException terminal = terminalException(operation);
        if (terminal != null) {
            throw terminal;
        }
        if (Thread.currentThread().isInterrupted()) {
            fail(ErrorKind.CANCELLED, "the thread was interrupted", null);
            throw exception(ErrorKind.CANCELLED, operation, "the calling thread is interrupted", null);
        }
    }

    /**
     * Returns the exception a call would fail with now because of the connection's terminal state.
     *
     * @param operation the call, for the message
     * @return {@link ErrorKind#CLOSED} after the owner closed, the failure's kind after a failure,
     *     or {@code null} if the connection is open
     */
    public TransportException terminalException(String operation) {
        if (ownerClosed) {
            return exception(ErrorKind.CLOSED, operation, "the connection was closed locally", null);
        }
        Failure f = failure;
        if (f != null) {
            return exception(f.kind(), operation, f.reason(), f.cause());
        }
        return null;
    }

    /**
     * Takes a connection's write lock for {@code operation}, waiting for the write that holds it;
     * an interrupt while waiting cancels the call like any other (it is recorded through {@link
     * #failure}, so it aborts the connection).
     *
     * @param writeLock the connection's write lock
     * @param operation the call, for the message
     * @throws TransportException if the thread is interrupted while waiting
     */
    public void lockForWrite(Lock writeLock, String operation) throws TransportException {
        try {
            writeLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(operation, new InterruptedIOException("interrupted waiting for another write"),
                    ErrorKind.WRITE_TIMEOUT);
        }
    }

    /**
     * Decides what a native exception thrown by a call means, records it if terminal, and returns
     * the exception to throw. In order: a close by the owner wins ({@link ErrorKind#CLOSED}); then
     * a failure recorded earlier (for example by a timer that closed the socket); then an
     * interrupt of the calling thread ({@link ErrorKind#CANCELLED}); then {@link ErrorClassifier}.
     * A terminal result is recorded, which runs the failure callback.
     *
     * @param operation the call, for the message
     * @param error the native exception
     * @param timeoutKind the kind a socket timeout stands for in this call
     * @return the exception to throw
     */
    public TransportException failure(String operation, Throwable error, ErrorKind timeoutKind) {
        if (ownerClosed) {
            return exception(ErrorKind.CLOSED, operation, "the connection was closed locally", error);
        }
        Failure earlier = failure;
        if (earlier != null) {
            return exception(earlier.kind(), operation, earlier.reason(), error);
        }
        ErrorKind kind = Thread.currentThread().isInterrupted()
                ? ErrorKind.CANCELLED
                : ErrorClassifier.classify(error, timeoutKind);
        if (kind == ErrorKind.READ_TIMEOUT) {
            Events.timeout(label, kind);
        }
        if (kind == ErrorKind.CLOSED) {
            // The socket was closed under us by something other than the owner (a timer or the
            // transport shutting down), and nothing recorded why: report it as closed, for good.
            fail(kind, "the connection was closed", error);
        } else if (kind.isTerminal()) {
            if (!fail(kind, describe(kind), error)) {
                return terminalException(operation);
            }
        }
        return exception(kind, operation, describe(kind), error);
    }

    /**
     * Builds an exception naming the call and this connection.
     *
     * @param kind the kind
     * @param operation the call
     * @param reason what happened
     * @param cause the native exception, or {@code null}
     * @return the exception
     */
    public TransportException exception(ErrorKind kind, String operation, String reason, Throwable cause) {
        return new TransportException(kind, operation + " failed on " + label + ": " + reason, cause);
    }

    /**
     * Returns the standard reason for a failure kind, for messages.
     *
     * @param kind the kind
     * @return a short description
     */
    public static String describe(ErrorKind kind) {
        return switch (kind) {
            case RESET -> "the peer reset the connection";
            case CANCELLED -> "the calling thread was interrupted";
            case READ_TIMEOUT -> "no data arrived within the read timeout";
            case WRITE_TIMEOUT -> "the write made no progress within the write timeout";
            case IDLE_TIMEOUT -> "the connection was idle for longer than the idle timeout";
            case TLS_TRUNCATED -> "the peer ended the stream without a TLS close_notify";
            case TLS_HANDSHAKE -> "the TLS handshake failed";
            case CLOSED -> "the connection was closed";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }

    @Override
    public String toString() {
        return label();
    }
}
