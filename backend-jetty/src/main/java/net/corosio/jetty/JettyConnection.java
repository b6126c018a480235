package net.corosio.jetty;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import net.corosio.ConnectionOptions;
import net.corosio.spi.BridgedConnection;
import net.corosio.spi.ChunkLease;
import net.corosio.spi.TimeoutScheduler;
import net.corosio.spi.TrafficCounter;

/**
 * A jetty connection as the application sees it: all of the API's semantics come from {@link
 * BridgedConnection}; the hooks go to the connection's {@link EndPointBridge}, and the bridge
 * reports Jetty's events through the {@code on…} methods.
 */
final class JettyConnection extends BridgedConnection {

    private final EndPointBridge bridge;
    private final SSLEngine engine;

    JettyConnection(
            EndPointBridge bridge,
            SSLEngine engine,
            boolean serverSide,
            InetSocketAddress local,
            InetSocketAddress remote,
            ConnectionOptions options,
            TimeoutScheduler timer,
            TrafficCounter traffic) {
        super(JettyTransportProvider.NAME, serverSide, local, remote, options, engine != null, timer, traffic);
        this.bridge = bridge;
        this.engine = engine;
    }

    // ================================================================== hooks

    @Override
    protected void updateReadInterest() {
        bridge.readInterestChanged();
    }

    @Override
    protected void submitWrite(ByteBuffer slice) {
        bridge.write(slice);
    }

    /** A lease's buffer is queued as it is, plain or TLS (Jetty's TLS layer encrypts from it). */
    @Override
    protected boolean submitOwned(ChunkLease lease) {
        bridge.write(lease);
        return true;
    }

    @Override
    protected void submitFlush() {
        bridge.flush();
    }

    @Override
    protected void submitShutdownOutput() {
        bridge.shutdownOutputAfterWrites();
    }

    /**
     * Closes after the queued writes; a connection that has already failed (an idle timeout
     * closes this way) closes at once, since what is queued cannot be written any more.
     */
    @Override
    protected void submitClose() {
        if (state().failureKind() != null) {
            bridge.closeNow();
        } else {
            bridge.closeAfterWrites();
        }
    }

    @Override
    protected void submitAbort() {
        bridge.abort();
    }

    @Override
    protected SSLEngine sslEngine() {
        return engine;
    }

    /** The Jetty side, for tests that act on Jetty directly. */
    EndPointBridge bridge() {
        return bridge;
    }
}
