package net.corosio.jetty;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;

/**
 * Jetty's {@link SslConnection} with what the API needs on top.
 *
 * <ul>
 *   <li><b>No close behind the application's back.</b> When the TLS input has ended (a {@code
 *       close_notify} arrived, or the TCP stream ended), Jetty closes the whole connection at the
 *       next network read-readiness. The API keeps the connection until the application closes
 *       it: after the peer's {@code close_notify} a TLS 1.3 connection can still write, and the
 *       reader still has to see the end. Read-readiness is passed on without that close.
 *   <li><b>Truncation is told apart from a clean end.</b> Jetty reports both as -1: a server
 *       always, a client unless {@code requireCloseMessage} is set — and with it set, the client's
 *       {@code fill} throws and closes the connection on the spot (tried on rule 8.8: the
 *       connection then fails as closed underneath, a reset, not with the bytes and then {@code
 *       TLS_TRUNCATED}). So {@code requireCloseMessage} stays off and the unwrap that consumed the
 *       peer's {@code close_notify} is recorded instead: the bridge reports an end without it as
 *       {@code TLS_TRUNCATED}, after every byte before it.
 *   <li><b>Failures are remembered before Jetty closes.</b> An {@link SSLException} from the
 *       engine makes Jetty close the end point before the exception reaches the caller; the
 *       close is then reported on another thread. The exception is recorded first, so the
 *       connection reports it rather than a bare close.
 * </ul>
 */
final class TlsLayer extends SslConnection {

    private volatile boolean closeNotifyReceived;
    private volatile SSLException failure;

    /**
     * Wraps {@code network} in TLS.
     *
     * @param pool the buffer pool for the encrypted buffers
     * @param executor where Jetty runs its few dispatched tasks
     * @param network the socket's end point
     * @param engine the configured engine
     */
    TlsLayer(ByteBufferPool pool, Executor executor, EndPoint network, SSLEngine engine) {
        // Direct buffers on the network side (the socket reads and writes them without a copy),
        // heap buffers for the decrypted side.
        super(pool, executor, null, network, engine, true, false);
    }

    @Override
    protected SslEndPoint newSslEndPoint() {
        return new TlsEndPoint();
    }

    // @corrects tls-close-behind-back: SslConnection closes the whole connection once the TLS input
    // has ended; read-readiness is passed on without that close, so a TLS 1.3 peer can still be written to.
    /** Passes network read-readiness on to the decrypted side, without Jetty's close on ended input. */
    @Override
    public void onFillable() {
        ((TlsEndPoint) getSslEndPoint()).networkFillable();
    }

    // @corrects tls-eof-without-close-notify: Jetty reports a truncated TLS stream as -1, like a clean
    // end (requireCloseMessage would close the connection on the spot); the close_notify is recorded
    // here and an end without it is reported as TLS_TRUNCATED after every byte before it.
    // @corrects tls-failure-before-close: on an SSLException Jetty closes the end point before the
    // exception reaches the caller; it is remembered first, so the connection reports it, not a bare close.
    @Override
    protected SSLEngineResult unwrap(SSLEngine engine, ByteBuffer input, ByteBuffer output) throws SSLException {
        SSLEngineResult result;
        try {
            result = super.unwrap(engine, input, output);
        } catch (SSLException e) {
            remember(e);
            throw e;
        }
        if (result.getStatus() == SSLEngineResult.Status.CLOSED && result.bytesConsumed() > 0) {
            // A record was consumed and the inbound side closed: it was the peer's close_notify.
            closeNotifyReceived = true;
        }
        return result;
    }

    @Override
    protected SSLEngineResult wrap(SSLEngine engine, ByteBuffer[] input, ByteBuffer output) throws SSLException {
        try {
            return super.wrap(engine, input, output);
        } catch (SSLException e) {
            remember(e);
            throw e;
        }
    }

    private void remember(SSLException e) {
        if (failure == null) {
            failure = e;
        }
    }

    /**
     * Returns whether the peer's {@code close_notify} has been received.
     *
     * @return whether the TLS input ended cleanly
     */
    boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    /**
     * Returns the first failure of the engine.
     *
     * @return the failure, or {@code null}
     */
    SSLException failure() {
        return failure;
    }

    /** The decrypted end point, with a way in for {@link #onFillable()}. */
    final class TlsEndPoint extends SslEndPoint {

        void networkFillable() {
            onFillable();
        }
    }
}
