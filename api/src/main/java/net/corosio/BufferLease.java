package net.corosio;

import java.nio.ByteBuffer;

/**
 * Bytes a connection received, in a buffer the transport lends to the application instead of
 * copying them into one the application owns: what {@link Connection#receive()} returns. The
 * lease is the application's until it gives the buffer back — by {@link #close()}, or by handing
 * the lease to {@link Connection#write(BufferLease)}, which takes it over and gives the buffer back
 * once the bytes are written.
 *
 * <p><b>Why an explicit release</b> rather than a call that lends the buffer for the length of a
 * callback: a proxy or an echo passes what it received straight to a write, which may outlive any
 * such scope (it waits for the peer to read), and a parser may keep a partial message across
 * receives. The price is the obligation to give every lease back: use try-with-resources, which
 * also does the right thing after a write took the lease over (closing it again does nothing).
 *
 * <pre>{@code
 * BufferLease lease;
 * while ((lease = connection.receive()) != null) {   // null: end-of-stream
 *     connection.write(lease);                       // an echo that copies nothing
 * }
 *
 * try (BufferLease lease = connection.receive()) {   // a parser
 *     if (lease == null) return;
 *     parse(lease.buffer());
 * }
 * }</pre>
 *
 * <p><b>What the buffer may be.</b> Heap or direct, a region of a larger pooled buffer, shared with
 * nothing else the application can see. It is read-only: the bytes are the transport's until
 * they are given back.
 *
 * <p><b>After the lease ends</b> (closed, or handed to a write) every method but {@link #close()}
 * fails with {@link IllegalStateException} naming the connection that lent it, and the buffer
 * returned earlier must not be used: the transport may already have lent its memory again.
 *
 * <p><b>A lease never given back</b> is a leak the transport sees: {@link
 * TransportMetrics#lentBuffers()} counts leases out, whether or not their connection is still open.
 *
 * <p>Not thread-safe: hand a lease to another thread as you would any mutable object. {@link
 * #close()} may be called from any thread.
 */
public interface BufferLease extends AutoCloseable {

    /**
     * Returns the bytes: a read-only buffer whose position and limit frame the bytes not yet
     * consumed. It is the same buffer on every call, so advancing its position (by reading from
     * it) marks bytes as consumed, and {@link Connection#write(BufferLease)} writes only what
     * remains between its position and its limit.
     *
     * @return the buffer; at least one byte remains in it when the lease is handed out
     * @throws IllegalStateException if the lease was given back or handed to a write
     */
    ByteBuffer buffer();

    /**
     * Gives the buffer back to the transport. Idempotent; does nothing after a write took the lease
     * over. Never throws, and may be called from any thread.
     */
    @Override
    void close();
}
