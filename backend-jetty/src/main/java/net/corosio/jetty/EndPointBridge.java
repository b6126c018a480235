package net.corosio.jetty;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty side of one connection: the {@link org.eclipse.jetty.io.Connection} on the socket's
 * end point (or on the decrypted end point of a {@link TlsLayer}) that moves bytes between Jetty
 * and a {@link JettyConnection}.
 *
 * <p><b>Reading.</b> Jetty's read interest is one-shot: {@code fillInterested(callback)} calls the
 * callback once when the end point can be filled. The bridge fills in a loop until the end point
 * has nothing more (then registers interest again), the inbound queue is full (then it stops until
 * the reader drains it) or the stream ends. Bytes are filled into a pooled buffer, one region after
 * another, and each region goes to the inbound queue as a chunk that holds a reference to the
 * buffer, so nothing is copied until the reader copies it out. A small state machine ({@link
 * ReadState}) keeps exactly one fill loop or one registered interest at a time, whichever thread
 * asks to resume.
 *
 * <p><b>Writing.</b> Through an {@link Outbound} queue, since the end point takes one write at a
 * time.
 *
 * <p><b>Closing.</b> {@link #onClose} is Jetty telling that the socket is closed, for any reason:
 * the bridge reports the failure that caused it (remembered by {@link SocketEndPoint} and {@link
 * TlsLayer} before Jetty closed) and then {@code channelClosed}.
 *
 * <p>Callbacks are non-blocking, so Jetty runs them on the selector threads.
 */
final class EndPointBridge extends AbstractConnection implements SslHandshakeListener, Outbound.Actions {

    private static final Logger LOG = LoggerFactory.getLogger(EndPointBridge.class);

    /** Fill buffer size for plain sockets. */
    private static final int PLAIN_FILL_SIZE = 16 * 1024;

    /**
     * Fill buffer size for TLS: Jetty decrypts straight into the buffer when it has room for a
     * whole record (about 16 KiB), and copies otherwise.
     */
    private static final int TLS_FILL_SIZE = 32 * 1024;

    private enum ReadState {
        /** Not reading: paused, or not started. */
        IDLE,
        /** Fill interest is registered with the end point. */
        INTERESTED,
        /** A thread is in the fill loop. */
        FILLING,
        /** The input ended, failed or the socket closed: no more reading. */
        DONE
    }

    private final SocketEndPoint network;
    private final TlsLayer tls;
    private final ByteBufferPool pool;
    private final Outbound outbound;
    private final Callback fillCallback = new FillCallback();
    private final ReentrantLock lock = new ReentrantLock();
    private ReadState readState = ReadState.IDLE; // guarded by lock
    private RetainableByteBuffer fillBuffer; // used by the filling thread; otherwise guarded by lock
    private volatile boolean handshakeCompleted;
    private volatile boolean outputShut;
    private JettyConnection api;

    /**
     * Creates the bridge; {@link #attach} must follow before Jetty opens it.
     *
     * @param endPoint the end point the application's bytes go through: {@code network}, or the
     *     TLS layer's decrypted end point
     * @param executor the transport's executor
     * @param network the socket's end point
     * @param tls the TLS layer, or {@code null} for plain TCP
     * @param pool the buffer pool
     */
    EndPointBridge(EndPoint endPoint, Executor executor, SocketEndPoint network, TlsLayer tls, ByteBufferPool pool) {
        super(endPoint, executor);
        this.network = network;
        this.tls = tls;
        this.pool = pool;
        this.outbound = new Outbound(endPoint, pool, tls == null, this);
    }

    /**
     * Connects the bridge to its API connection.
     *
     * @param connection the connection the bridge reports to
     */
    void attach(JettyConnection connection) {
        this.api = connection;
        if (tls != null) {
            tls.addHandshakeListener(this);
        }
    }

    /**
     * Returns the API connection.
     *
     * @return the connection
     */
    JettyConnection api() {
        return api;
    }

    /**
     * Returns the bridge under a connection that Jetty created for an end point.
     *
     * @param connection the end point's connection: a bridge, or a TLS layer over one
     * @return the bridge
     */
    static EndPointBridge of(org.eclipse.jetty.io.Connection connection) {
        if (connection instanceof TlsLayer layer) {
            return (EndPointBridge) layer.getSslEndPoint().getConnection();
        }
        return (EndPointBridge) connection;
    }

    // ================================================================== lifecycle

    @Override
    public void onOpen() {
        super.onOpen();
        if (tls != null && tls.getSSLEngine().getUseClientMode()) {
            // Jetty starts a client handshake only when the application first writes; a corosio
            // client completes its handshake before connect returns, so it starts here.
            try {
                tls.getSSLEngine().beginHandshake();
            } catch (SSLException e) {
                api.onFailed(e);
                return;
            }
        }
        readInterestChanged();
    }

    /** Jetty: the socket is closed. Runs once, for every way a socket closes. */
    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        lock.lock();
        try {
            ReadState before = readState;
            readState = ReadState.DONE;
            if (before != ReadState.FILLING) {
                releaseFillBuffer(); // else the filling thread releases it when it sees DONE
            }
        } finally {
            lock.unlock();
        }
        outbound.discard();
        if (tls != null) {
            // Jetty fails the decrypted side's pending write only on some paths when the socket
            // closes under it: fail it here, so its buffers come back.
            AbstractEndPoint decrypted = (AbstractEndPoint) getEndPoint();
            decrypted.getWriteFlusher().onClose();
            decrypted.getFillInterest().onClose();
        }
        Throwable failure = network.failure();
        if (failure == null && tls != null) {
            failure = tls.failure();
        }
        if (failure == null) {
            failure = cause;
        }
        if (failure != null && !Failures.isClosedChannel(failure)) {
            api.onFailed(failure);
        } else if (tls != null && !handshakeCompleted) {
            api.onFailed(new SSLHandshakeException("the connection closed before the TLS handshake completed"));
        }
        api.onChannelClosed();
    }

    /** Not used: the bridge registers its own fill callback, not {@link AbstractConnection}'s. */
    @Override
    public void onFillable() {
        fillCallback.succeeded();
    }

    // ================================================================== TLS handshake

    @Override
    public void handshakeSucceeded(Event event) {
        handshakeCompleted = true;
        api.onHandshakeSucceeded();
    }

    /**
     * Only logged: Jetty notifies this before it sends the TLS alert and closes the connection,
     * and reporting the failure here would abort the socket (a reset) before the alert is out —
     * a TLS 1.3 client that the server rejects learns why only from that alert. The same failure
     * reaches the fill loop, or {@link #onClose}, once Jetty has closed.
     */
    @Override
    public void handshakeFailed(Event event, Throwable failure) {
        LOG.debug("jetty transport: TLS handshake failed on {}", api, failure);
    }

    // ================================================================== reading

    /**
     * Applies the inbound queue's pause state: starts reading if it is idle and not paused. A pause
     * takes effect in the fill loop, at its next turn. Called from any thread.
     */
    void readInterestChanged() {
        boolean register;
        lock.lock();
        try {
            register = readState == ReadState.IDLE && !api.readPaused();
            if (register) {
                readState = ReadState.INTERESTED;
            }
        } finally {
            lock.unlock();
        }
        if (register) {
            registerFillInterest();
        }
    }

    private void registerFillInterest() {
        try {
            getEndPoint().fillInterested(fillCallback);
        } catch (Throwable x) {
            stopReading();
            readFailed(x);
        }
    }

    private void fillLoop() {
        while (true) {
            RetainableByteBuffer buffer;
            lock.lock();
            try {
                if (readState == ReadState.DONE) {
                    releaseFillBuffer();
                    return;
                }
                if (api.readPaused()) {
                    // Checked under the lock that a resume takes too: a reader that drains the
                    // queue after this either sees IDLE and registers, or was seen here.
                    readState = ReadState.IDLE;
                    releaseUnusedFillBuffer();
                    return;
                }
                if (fillBuffer == null) {
                    fillBuffer = pool.acquire(tls == null ? PLAIN_FILL_SIZE : TLS_FILL_SIZE, tls == null);
                }
                buffer = fillBuffer;
            } finally {
                lock.unlock();
            }
            ByteBuffer bytes = buffer.getByteBuffer();
            int start = bytes.limit();
            int filled;
            try {
                filled = getEndPoint().fill(bytes);
            } catch (Throwable x) {
                stopReading();
                readFailed(x);
                return;
            }
            if (filled > 0) {
                buffer.retain();
                api.onReceived(new PooledChunk(buffer, bytes.slice(start, filled)));
                if (bytes.limit() == bytes.capacity()) {
                    // Full: the chunks keep it alive until they are read; the next fill takes a new one.
                    lock.lock();
                    try {
                        fillBuffer = null;
                    } finally {
                        lock.unlock();
                    }
                    buffer.release();
                }
            } else if (filled == 0) {
                lock.lock();
                try {
                    if (readState == ReadState.DONE) {
                        releaseFillBuffer();
                        return;
                    }
                    readState = ReadState.INTERESTED;
                    releaseUnusedFillBuffer();
                } finally {
                    lock.unlock();
                }
                registerFillInterest();
                return;
            } else {
                stopReading();
                ended();
                return;
            }
        }
    }

    private void ended() {
        if (tls != null && !tls.closeNotifyReceived()) {
            api.onEnd(new TransportException(ErrorKind.TLS_TRUNCATED,
                    "the peer ended the TCP stream without a TLS close_notify"));
        } else {
            api.onEnd();
        }
    }

    private void readFailed(Throwable failure) {
        if (Failures.isClosedChannel(failure)) {
            return; // the socket was closed: onClose reports it
        }
        LOG.debug("jetty transport: read failed on {}", api, failure);
        api.onFailed(failure);
    }

    private void stopReading() {
        lock.lock();
        try {
            readState = ReadState.DONE;
            releaseFillBuffer();
        } finally {
            lock.unlock();
        }
    }

    /** Call with the lock held. */
    private void releaseFillBuffer() {
        if (fillBuffer != null) {
            fillBuffer.release();
            fillBuffer = null;
        }
    }

    /** Gives back a fill buffer nothing was filled into, so an idle connection pins no buffer. */
    private void releaseUnusedFillBuffer() {
        if (fillBuffer != null && fillBuffer.isEmpty()) {
            releaseFillBuffer();
        }
    }

    /** The end point's answer to a fill interest. */
    private final class FillCallback implements Callback, Invocable {

        @Override
        public void succeeded() {
            lock.lock();
            try {
                if (readState != ReadState.INTERESTED) {
                    return;
                }
                readState = ReadState.FILLING;
            } finally {
                lock.unlock();
            }
            fillLoop();
        }

        @Override
        public void failed(Throwable failure) {
            lock.lock();
            try {
                if (readState == ReadState.INTERESTED) {
                    readState = ReadState.DONE;
                    releaseFillBuffer();
                }
            } finally {
                lock.unlock();
            }
            readFailed(failure);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }
    }

    // ================================================================== writing and closing

    /**
     * Queues a copy of {@code bytes}.
     *
     * @param bytes the bytes, from position to limit
     */
    void write(ByteBuffer bytes) {
        outbound.add(bytes);
    }

    /** Starts writing what is queued. */
    void flush() {
        outbound.drain();
    }

    /** Queues a half-close (TLS: {@code close_notify}, then FIN) after the queued writes. */
    void shutdownOutputAfterWrites() {
        outbound.shutdownOutput();
    }

    /** Queues a close after the queued writes. */
    void closeAfterWrites() {
        outbound.close();
    }

    /** Closes now, discarding queued writes: for a connection that has already failed. */
    void closeNow() {
        outbound.discard();
        close();
    }

    /** Closes the socket with a reset. */
    void abort() {
        network.abort();
    }

    @Override
    public void flushed(long bytes) {
        api.onFlushed(bytes);
    }

    @Override
    public void writeFailed(Throwable failure) {
        if (Failures.isClosedChannel(failure)) {
            return; // the socket was closed: onClose reports it
        }
        LOG.debug("jetty transport: write failed on {}", api, failure);
        api.onFailed(failure);
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
        getEndPoint().shutdownOutput();
    }

    /** The close at the end of the queue: TLS sends its {@code close_notify} first, if still due. */
    @Override
    public void close() {
        if (tls != null && handshakeCompleted && !outputShut) {
            getEndPoint().close(); // close_notify, FIN, then the socket
        } else {
            network.close();
        }
    }
}
