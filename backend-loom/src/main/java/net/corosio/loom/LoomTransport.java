package net.corosio.loom;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import net.corosio.Capability;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TransportException;
import net.corosio.spi.AbstractTransport;
import net.corosio.spi.ErrorClassifier;
import net.corosio.spi.JdkSockets;
import net.corosio.spi.TimerThread;
import net.corosio.spi.TlsEngines;
import net.corosio.spi.TrafficCounter;

/**
 * The loom transport: servers accept on a virtual thread, clients connect on the caller's thread,
 * and every connection is a blocking channel. Its one platform thread is the timer behind the
 * write, idle, handshake and close timeouts.
 */
final class LoomTransport extends AbstractTransport {

    private final TimerThread timer = new TimerThread("corosio-loom-timer");
    private final TrafficCounter clientTraffic = new TrafficCounter();

    LoomTransport(Set<Capability> capabilities) {
        super(LoomTransportProvider.NAME, capabilities);
    }

    @Override
    public Server serve(InetSocketAddress address, ServerOptions options, ConnectionHandler handler)
            throws TransportException {
        return serveOnListener(address, options, handler, listener -> new LoomServer(this, listener, options, handler));
    }

    @Override
    public Connection connect(InetSocketAddress address, ClientOptions options) throws TransportException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        SocketChannel channel = JdkSockets.connectBlocking(address, options);
        LoomConnection connection;
        try {
            SSLEngine engine = options.tls() == null ? null : TlsEngines.client(options.tls(), address);
            connection = newConnection(channel, false, options.connection(), engine, clientTraffic);
        } catch (IOException e) {
            JdkSockets.closeQuietly(channel);
            throw new TransportException(ErrorClassifier.classify(e, ErrorKind.IO),
                    "connect to " + address + " failed: " + e.getMessage(), e);
        }
        connection.handshake();
        return connection;
    }

    LoomConnection newConnection(
            SocketChannel channel, boolean serverSide, ConnectionOptions options, SSLEngine engine, TrafficCounter traffic)
            throws IOException {
        if (serverSide) {
            JdkSockets.configureAccepted(channel, options.socket());
        }
        LoomConnection connection = new LoomConnection(channel, serverSide, options, engine, timer, traffic);
        connection.untrackWith(track(connection, connection.state()));
        return connection;
    }

    @Override
    protected void closeResources() {
        timer.close();
    }
}
