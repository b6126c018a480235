package net.corosio.loom;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
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
import net.corosio.SocketOptions;
import net.corosio.TransportException;
import net.corosio.spi.AbstractTransport;
import net.corosio.spi.ErrorClassifier;
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
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handler, "handler");
        ensureOpen();
        InetSocketAddress bindAddress = resolve(address, "serve on");
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open();
            SocketOptions socket = options.connection().socket();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, socket.reuseAddress());
            if (socket.receiveBufferSize() > 0) {
                // Set on the listener so accepted sockets inherit it before the handshake: the TCP
                // window scale is fixed then.
                listener.setOption(StandardSocketOptions.SO_RCVBUF, socket.receiveBufferSize());
            }
            listener.bind(bindAddress, options.backlog());
            LoomServer server = new LoomServer(this, listener, options, handler);
            server.onShutdownRun(track(server));
            server.start();
            return server;
        } catch (IOException e) {
            closeQuietly(listener);
            ErrorKind kind = ErrorClassifier.classify(e, ErrorKind.IO);
            throw new TransportException(kind, "serve on " + address + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Connection connect(InetSocketAddress address, ClientOptions options) throws TransportException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        ensureOpen();
        InetSocketAddress target = resolve(address, "connect to");
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            configure(channel, options.connection().socket(), true);
            if (options.localAddress() != null) {
                channel.bind(options.localAddress());
            }
            channel.socket().connect(target, millis(options.connectTimeout()));
        } catch (IOException e) {
            closeQuietly(channel);
            ErrorKind kind = Thread.currentThread().isInterrupted()
                    ? ErrorKind.CANCELLED
                    : ErrorClassifier.classify(e, ErrorKind.CONNECT_TIMEOUT);
            throw new TransportException(kind, "connect to " + address + " failed: " + e.getMessage(), e);
        }
        LoomConnection connection;
        try {
            SSLEngine engine = options.tls() == null ? null : TlsEngines.client(options.tls(), address);
            connection = newConnection(channel, false, options.connection(), engine, clientTraffic);
        } catch (IOException e) {
            closeQuietly(channel);
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
            configure(channel, options.socket(), false);
        }
        LoomConnection connection = new LoomConnection(channel, serverSide, options, engine, timer, traffic);
        connection.untrackWith(track(connection, connection.state()));
        return connection;
    }

    private static void configure(SocketChannel channel, SocketOptions socket, boolean beforeConnect)
            throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, socket.tcpNoDelay());
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, socket.keepAlive());
        if (socket.sendBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, socket.sendBufferSize());
        }
        if (beforeConnect && socket.receiveBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, socket.receiveBufferSize());
        }
    }

    private static InetSocketAddress resolve(InetSocketAddress address, String operation) throws TransportException {
        if (!address.isUnresolved()) {
            return address;
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(address.getHostString()), address.getPort());
        } catch (UnknownHostException e) {
            throw new TransportException(ErrorKind.UNRESOLVED,
                    operation + " " + address + " failed: cannot resolve " + address.getHostString(), e);
        }
    }

    /** A timeout in whole milliseconds for the socket APIs: 0 means none, and nothing rounds down to 0. */
    static int millis(Duration timeout) {
        if (timeout.isZero()) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Closing a socket we are abandoning: nothing useful to report.
        }
    }

    @Override
    protected void closeResources() {
        timer.close();
    }
}
