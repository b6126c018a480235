package net.corosio.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import net.corosio.BufferLease;

/**
 * A backend's received bytes ({@link InboundQueue.Chunk}) lent to the application: what {@link
 * AbstractConnection#receive()} returns. The chunk is the backend's own buffer; the lease adds
 * who lent it (for messages and the transport's count of buffers out), the read-only view the
 * application sees, and the one-way life of a lease:
 *
 * <pre>
 *   LENT ──close()──────────────▶ GIVEN BACK   (the chunk is released)
 *     └───write(lease)──▶ WRITING ──release()──▶ GIVEN BACK   (by the transport, once written or failed)
 * </pre>
 *
 * <p>A backend that writes a lease without copying ({@link BridgedConnection#submitOwned}) takes
 * {@link #chunk()} — narrowed to what the application left to write — and calls {@link #release()}
 * exactly once when its bytes are written or discarded. Thread-safe as far as the state goes: the
 * lease is used by one application thread, and then by the backend.
 */
public final class ChunkLease implements BufferLease {

    private static final int LENT = 0;
    private static final int WRITING = 1;
    private static final int GIVEN_BACK = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ChunkLease.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AbstractConnection lender;
    private final InboundQueue.Chunk chunk;
    private ByteBuffer view; // the application's read-only view of chunk.bytes(), made on first use
    private int viewStart; // chunk.bytes()'s position when the view was made
    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    ChunkLease(AbstractConnection lender, InboundQueue.Chunk chunk) {
        this.lender = lender;
        this.chunk = chunk;
    }

    @Override
    public ByteBuffer buffer() {
        if ((int) STATE.getAcquire(this) != LENT) {
            throw ended("used");
        }
        ByteBuffer v = view;
        if (v == null) {
            ByteBuffer bytes = chunk.bytes();
            viewStart = bytes.position();
            v = bytes.asReadOnlyBuffer();
            view = v;
        }
        return v;
    }

    @Override
    public void close() {
        if (STATE.compareAndSet(this, LENT, GIVEN_BACK)) {
            giveBack();
        }
    }

    /**
     * Takes the lease over for a write: from now on the application cannot use it, and the chunk
     * holds exactly what the application left to write (its view's position to its limit).
     *
     * @param writer the connection that writes it, for the message
     * @return the bytes to write
     * @throws IllegalStateException if the lease was given back or written already
     */
    int takeForWrite(AbstractConnection writer) {
        if (!STATE.compareAndSet(this, LENT, WRITING)) {
            throw ended("written to " + writer);
        }
        ByteBuffer v = view;
        if (v != null) {
            ByteBuffer bytes = chunk.bytes();
            bytes.limit(viewStart + v.limit()).position(viewStart + v.position());
        }
        return chunk.remaining();
    }

    /**
     * Returns the lent chunk, for a backend writing the lease: after {@code write} took it over,
     * its remaining bytes are what to write.
     *
     * @return the chunk
     */
    public InboundQueue.Chunk chunk() {
        return chunk;
    }

    /**
     * Gives the chunk back after a write took the lease over: its bytes were written, or
     * discarded. The backend that took the lease calls this once. Harmless if called again.
     */
    public void release() {
        if (STATE.compareAndSet(this, WRITING, GIVEN_BACK)) {
            giveBack();
        }
    }

    private void giveBack() {
        try {
            chunk.release();
        } finally {
            lender.leaseReturned();
        }
    }

    private IllegalStateException ended(String what) {
        String how = (int) STATE.getAcquire(this) == WRITING ? "handed to a write" : "given back";
        return new IllegalStateException("a buffer lent by " + lender + " was " + what + " after it was " + how);
    }

    @Override
    public String toString() {
        int s = (int) STATE.getAcquire(this);
        return "BufferLease[" + lender + ", " + (s == LENT ? "lent" : s == WRITING ? "writing" : "given back") + "]";
    }
}
