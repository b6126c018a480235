package net.corosio.jetty;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.spi.ChunkLease;
import net.corosio.spi.InboundQueue;
import net.corosio.spi.LoopCarrier;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty side of one connection: the {@link org.eclipse.jetty.io.Connection} on the socket's
 * end point (or on the decrypted end point of a {@link TlsLayer}) that moves bytes between Jetty
 * and a {@link JettyConnection}: reading through a {@link FillLoop}, writing through an {@link
 * Outbound} queue.
 *
 * <p>{@link #onClose} is Jetty telling that the socket is closed, for any reason: the bridge
 * reports the failure that caused it (remembered by {@link SocketEndPoint} and {@link TlsLayer}
 * before Jetty closed), then {@code channelClosed}. A pending fill or write that Jetty fails
 * because the end point closed is not a failure of its own: the close is what is reported, and
 * the connection decides what it means (a close by the application, or a reset underneath).
 */
final class EndPointBridge extends AbstractConnection
        implements SslHandshakeListener, FillLoop.Events, Outbound.Actions {

    private static final Logger LOG = LoggerFactory.getLogger(EndPointBridge.class);

    /**
     * Fill buffer size for plain sockets: 64 KiB, one socket read's worth when streaming (16 KiB
     * gave the lab's bulk scenario 6.9 Gbit/s, 64 KiB 11). An idle connection holds none.
     */
    private static final int PLAIN_FILL_SIZE = 64 * 1024;

    /**
     * Fill buffer size for TLS: Jetty decrypts straight into the buffer when it has room for a
     * whole record (about 16 KiB), and copies otherwise.
     */
    private static final int TLS_FILL_SIZE = 32 * 1024;

    private final SocketEndPoint network;
    private final TlsLayer tls;
    private final FillLoop reading;
    private final Outbound writing;
    private volatile boolean handshakeCompleted;
    private volatile boolean outputShut;
    private volatile JettyConnection api;

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
        // Plain sockets read and write direct buffers without a copy; TLS reads and writes heap
        // buffers on this side of the engine.
        this.reading = new FillLoop(endPoint, pool, tls == null ? PLAIN_FILL_SIZE : TLS_FILL_SIZE, tls == null, this);
        this.writing = new Outbound(endPoint, pool, tls == null, this);
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
     * Returns the carrier of the selector loop this connection's socket is on.
     *
     * @return the carrier, or {@code null} when the loop carries no handlers
     */
    LoopCarrier carrier() {
        return network.carrier();
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
                api.loopSide().failed(e);
                return;
            }
        }
        reading.resume();
    }

    /** Jetty: the socket is closed. Runs once, for every way a socket closes. */
    @Override
    public void onClose(Throwable cause) {
        super.onClose(cause);
        reading.stop();
        writing.discard();
        if (tls != null) {
            // Jetty fails the decrypted side's pending write only on some paths when the socket
            // closes under it: fail it here, so that its buffers come back.
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
            api.loopSide().failed(failure);
        } else if (tls != null && !handshakeCompleted) {
            api.loopSide().failed(new SSLHandshakeException("the connection closed before the TLS handshake completed"));
        }
        api.loopSide().closed();
    }

    /** Not used: the fill loop registers its own callback, not {@link AbstractConnection}'s. */
    @Override
    public void onFillable() {
        reading.resume();
    }

    // ================================================================== TLS handshake

    @Override
    public void handshakeSucceeded(Event event) {
        handshakeCompleted = true;
        api.loopSide().handshakeSucceeded();
    }

    /**
     * Only logged: Jetty notifies this before it sends the TLS alert and closes the connection,
     * and reporting the failure here would abort the socket (a reset) before the alert is out —
     * a TLS 1.3 client that the server rejects learns why only from that alert. The same failure
     * reaches the fill loop, or {@link #onClose}, once Jetty has closed.
     */
    // @corrects tls-alert-before-reset: Jetty announces a failed handshake before it sends the alert;
    // reporting it then would reset the socket first and the peer would see a reset, not the alert.
    @Override
    public void handshakeFailed(Event event, Throwable failure) {
        LOG.debug("jetty transport: TLS handshake failed on {}", api, failure);
    }

    // ================================================================== reading

    /** From the connection: its inbound queue may have room again. */
    void readInterestChanged() {
        reading.resume();
    }

    @Override
    public boolean readPaused() {
        return api.loopSide().isReadPaused();
    }

    @Override
    public void received(InboundQueue.Chunk chunk) {
        api.loopSide().received(chunk);
    }

    /** End-of-stream; for TLS, clean only after the peer's {@code close_notify}. */
    @Override
    public void ended() {
        if (tls != null && !tls.closeNotifyReceived()) {
            api.loopSide().endedWithFailure(new TransportException(ErrorKind.TLS_TRUNCATED,
                    "the peer ended the TCP stream without a TLS close_notify"));
        } else {
            api.loopSide().ended();
        }
    }

    @Override
    public void readFailed(Throwable failure) {
        if (Failures.isClosedChannel(failure)) {
            return; // the socket was closed: onClose reports it
        }
        LOG.debug("jetty transport: read failed on {}", api, failure);
        api.loopSide().failed(failure);
    }

    // ================================================================== writing and closing

    /**
     * Queues a copy of {@code bytes}.
     *
     * @param bytes the bytes, from position to limit
     */
    void write(ByteBuffer bytes) {
        writing.add(bytes);
    }

    /**
     * Queues a lease's own buffer.
     *
     * @param lease the lease, taken over by a write
     */
    void write(ChunkLease lease) {
        writing.add(lease);
    }

    /** Starts writing what is queued. */
    void flush() {
        writing.drain();
    }

    /** Queues a half-close (TLS: {@code close_notify}, then FIN) after the queued writes. */
    void shutdownOutputAfterWrites() {
        writing.shutdownOutput();
    }

    /** Queues a close after the queued writes. */
    void closeAfterWrites() {
        writing.close();
    }

    /** Closes now, discarding queued writes: for a connection that has already failed. */
    void closeNow() {
        writing.discard();
        close();
    }

    /** Closes the socket with a reset. */
    void abort() {
        network.abort();
    }

    @Override
    public void flushed(long bytes) {
        api.loopSide().flushed(bytes);
    }

    @Override
    public void writeFailed(Throwable failure) {
        if (Failures.isClosedChannel(failure)) {
            return; // the socket was closed: onClose reports it
        }
        LOG.debug("jetty transport: write failed on {}", api, failure);
        api.loopSide().failed(failure);
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
        getEndPoint().shutdownOutput();
    }

    /**
     * Closes the socket; for TLS, sends the {@code close_notify} first if it is still due. Also
     * what Jetty calls to close the connection (when its selectors stop).
     */
    @Override
    public void close() {
        if (tls != null && handshakeCompleted && !outputShut) {
            getEndPoint().close(); // close_notify, FIN, then the socket
        } else {
            network.close();
        }
    }
}
