package net.corosio;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import net.corosio.internal.CopiedLease;

/**
 * One TCP connection, plain or TLS, in the coroutine style: every call that waits for the network
 * suspends the calling thread (cheaply, on a virtual thread) and returns when it is done, so a
 * handler is straight-line code.
 *
 * <p><b>Two ways to read.</b> {@link #read(ByteBuffer)} copies received bytes into a buffer the
 * caller owns, which it must keep (and pay for) even while it waits. {@link #receive()} lends the
 * transport's own buffer instead ({@link BufferLease}): nothing is copied, a waiting receiver holds
 * no buffer, and {@link #write(BufferLease)} can send a lease on without a copy (an echo, a proxy).
 * The two may be mixed on one connection; bytes arrive in order whichever call takes them.
 *
 * <p><b>Threads.</b> One reader and one writer may use a connection at the same time. Writes from
 * several threads are serialised, and each write is atomic: its bytes are never interleaved with
 * another write's. Two reads at the same time are a misuse and the second fails with {@link
 * IllegalStateException} ({@code read} and {@code receive} are both reads). {@link #close}, {@link
 * #abort}, {@link #isOpen} and the address methods
 * may be called from any thread at any time.
 *
 * <p><b>Errors.</b> Every I/O failure is a {@link TransportException} whose {@link ErrorKind} is
 * the same on every backend. Terminal kinds (see {@link ErrorKind#isTerminal()}) close the
 * connection, and every later read, write or half-close reports the same kind again ({@link
 * ErrorKind#CLOSED} once the owner has closed or aborted it): a failure is never forgotten and
 * never turned into end-of-stream. Misuse is {@link IllegalArgumentException} or {@link
 * IllegalStateException} and leaves the connection as it was.
 *
 * <p><b>Cancellation.</b> Interrupting a thread that is blocked in (or enters) {@code read},
 * {@code write} or {@code shutdownOutput} fails the call with {@link ErrorKind#CANCELLED}, aborts
 * the connection, and leaves the thread's interrupt status set.
 *
 * <p><b>Timeouts</b> come from the {@link ConnectionOptions} the connection was made with.
 */
public interface Connection extends AutoCloseable {

    /**
     * Reads at least one byte into {@code dst}, suspending until a byte arrives, the stream ends,
     * the connection fails or the read timeout passes.
     *
     * <p>Bytes are delivered in order and none is lost or duplicated; how they are split across
     * reads is unspecified. After end-of-stream every later read returns -1 again. A buffer with
     * nothing remaining returns 0 at once without touching the network.
     *
     * @param dst where to put the bytes; filled from its position, at most up to its limit
     * @return the number of bytes read (at least 1), 0 if {@code dst} had no room, or -1 at
     *     end-of-stream (the peer shut down its output after every byte it sent was delivered)
     * @throws TransportException {@link ErrorKind#READ_TIMEOUT} when no byte came in time (the
     *     connection stays usable); {@link ErrorKind#CLOSED} when closed locally, including while
     *     this read was blocked; {@link ErrorKind#RESET}, {@link ErrorKind#IDLE_TIMEOUT}, {@link
     *     ErrorKind#CANCELLED}, {@link ErrorKind#TLS_TRUNCATED}, {@link ErrorKind#TLS_HANDSHAKE} or
     *     {@link ErrorKind#IO} when the connection failed
     * @throws IllegalArgumentException if {@code dst} is read-only
     * @throws IllegalStateException if another read is in progress
     */
    int read(ByteBuffer dst) throws TransportException;

    /**
     * Receives the next bytes in a buffer the transport lends ({@link BufferLease}), suspending
     * until a byte arrives, the stream ends, the connection fails or the read timeout passes —
     * exactly as {@link #read(ByteBuffer)} does, with the same errors, and in the same stream: the
     * two may be mixed, and bytes arrive in order whichever call takes them.
     *
     * <p>Nothing is copied where the backend can lend its own buffers (every backend of this
     * project does, plain and TLS), and a receiver that waits holds no buffer. The lease must be
     * given back ({@link BufferLease#close()}) or handed to {@link #write(BufferLease)}; leases
     * still out are counted in {@link TransportMetrics#lentBuffers()}. A lease stays valid after
     * the connection closes.
     *
     * <p>The default implementation, for connections that cannot lend, copies: it reads into a
     * new buffer and lends that.
     *
     * @return the received bytes (at least one), or {@code null} at end-of-stream (the peer shut
     *     down its output after every byte it sent was delivered); after end-of-stream every later
     *     call returns {@code null} again
     * @throws TransportException as {@link #read(ByteBuffer)} documents
     * @throws IllegalStateException if another read (or receive) is in progress
     */
    default BufferLease receive() throws TransportException {
        ByteBuffer buffer = ByteBuffer.allocate(CopiedLease.SIZE);
        return read(buffer) < 0 ? null : new CopiedLease(buffer.flip(), toString());
    }

    /**
     * Writes the remaining bytes of a lease ({@link BufferLease#buffer()}'s position to its limit)
     * and takes the lease over: the transport gives its buffer back once the bytes are written, or
     * at once if the write fails. Otherwise as {@link #write(ByteBuffer)}: atomic, suspending
     * while the backend's outbound queue is above its high water mark (one lease is handed over
     * whole, so the queue may pass the mark by one lease's bytes).
     *
     * <p>A lease from any connection may be written to any other (a proxy sends what one peer sent
     * to the other); where the backend can send the lent buffer itself, nothing is copied. From the
     * call on the lease is no longer the caller's, whatever the outcome: its methods fail with
     * {@link IllegalStateException} and closing it does nothing.
     *
     * <p>The default implementation writes the lease's buffer and then closes the lease.
     *
     * @param lease the bytes, still lent (neither closed nor written)
     * @throws TransportException as {@link #write(ByteBuffer)} documents
     * @throws IllegalStateException if the lease was already given back or written
     */
    default void write(BufferLease lease) throws TransportException {
        Objects.requireNonNull(lease, "lease");
        ByteBuffer bytes = lease.buffer();
        try {
            write(bytes);
        } finally {
            lease.close();
        }
    }

    /**
     * Writes every remaining byte of {@code src}, suspending while the backend's outbound queue is
     * above its high water mark. Returns once every byte has been accepted by the transport (not
     * necessarily by the peer); {@code src}'s position is then at its limit.
     *
     * @param src the bytes to write
     * @throws TransportException {@link ErrorKind#OUTPUT_SHUTDOWN} after {@link #shutdownOutput};
     *     {@link ErrorKind#CLOSED} when closed locally, including while this write was blocked;
     *     {@link ErrorKind#WRITE_TIMEOUT} when no progress was made in time (the connection is
     *     aborted); {@link ErrorKind#RESET} when the peer reset or had closed; and the other
     *     terminal kinds when the connection failed
     */
    void write(ByteBuffer src) throws TransportException;

    /**
     * Writes every remaining byte of every buffer, in order, as one atomic write: no other write's
     * bytes come between them. Otherwise as {@link #write(ByteBuffer)}.
     *
     * @param srcs the buffers to write
     * @throws TransportException as for {@link #write(ByteBuffer)}
     */
    void write(ByteBuffer... srcs) throws TransportException;

    /**
     * Half-closes the connection: after every byte already accepted by a write, the peer sees
     * end-of-stream (with TLS, a {@code close_notify} first). Reading continues to work.
     * Idempotent: a second call does nothing. Waits for an in-progress write to finish first.
     *
     * @throws TransportException {@link ErrorKind#CLOSED} or a terminal kind when the connection
     *     is already closed or failed
     */
    void shutdownOutput() throws TransportException;

    /**
     * Closes the connection gracefully: every byte already accepted by a write is sent (with TLS,
     * then a {@code close_notify}), then the peer sees end-of-stream, and resources are released.
     * What the peer still sends meanwhile is read and discarded until it ends its side or goes
     * quiet (a lingering close), because releasing a socket with unread input makes the kernel
     * reset the connection and drop what the peer has not received yet. If closing takes longer
     * than the close timeout, the connection is aborted instead. Calls blocked in other threads
     * fail promptly with {@link ErrorKind#CLOSED}; later calls fail with {@link ErrorKind#CLOSED}.
     * Idempotent, never throws, and may be called from any thread; {@link #abort()} cuts a close
     * in progress short.
     */
    @Override
    void close();

    /**
     * Aborts the connection: queued bytes are discarded and the peer sees a reset (TCP RST) where
     * the platform allows. Calls blocked in other threads fail promptly with {@link
     * ErrorKind#CLOSED}. Idempotent, never throws, and may be called from any thread; calling it
     * after {@link #close} does nothing.
     */
    void abort();

    /**
     * Returns whether the connection is neither closed nor failed. A half-closed connection, in
     * either direction, is still open.
     *
     * @return whether the connection is open
     */
    boolean isOpen();

    /**
     * Returns the local address.
     *
     * @return the local address; still available after close
     */
    InetSocketAddress localAddress();

    /**
     * Returns the peer's address.
     *
     * @return the remote address; still available after close
     */
    InetSocketAddress remoteAddress();

    /**
     * Returns the TLS session, once the handshake has completed.
     *
     * @return the session (protocol, cipher suite, peer certificates), or empty for plain TCP
     */
    Optional<SSLSession> tlsSession();

    /**
     * Returns the application protocol agreed by ALPN.
     *
     * @return the protocol, or empty for plain TCP or when none was agreed
     */
    Optional<String> applicationProtocol();
}
