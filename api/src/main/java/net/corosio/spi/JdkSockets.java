package net.corosio.spi;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import net.corosio.ClientOptions;
import net.corosio.ErrorKind;
import net.corosio.ServerOptions;
import net.corosio.SocketOptions;
import net.corosio.TransportException;

/**
 * What every backend does with addresses, timeouts and JDK socket channels, once: resolving an
 * address (with {@link ErrorKind#UNRESOLVED}), turning a timeout into the milliseconds socket APIs
 * take, opening a listener with the server's options, and applying {@link SocketOptions} to client
 * and accepted sockets at the moment each option must be set. Stateless and thread-safe.
 */
public final class JdkSockets {

    private JdkSockets() {}

    /**
     * Resolves an unresolved address; a resolved one is returned as it is.
     *
     * @param address the address
     * @param operation the call, for the message ({@code "connect to"}, {@code "serve on"})
     * @return a resolved address
     * @throws TransportException {@link ErrorKind#UNRESOLVED} if the host cannot be resolved
     */
    public static InetSocketAddress resolve(InetSocketAddress address, String operation) throws TransportException {
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

    /**
     * Converts a timeout for the socket APIs that take whole milliseconds.
     *
     * @param timeout the timeout; {@link Duration#ZERO} means none
     * @return 0 for none; otherwise at least 1, so nothing rounds down to "no timeout"
     */
    public static int timeoutMillis(Duration timeout) {
        if (timeout.isZero()) {
            return 0;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    /**
     * Closes something being abandoned, ignoring failures.
     *
     * @param closeable what to close, or {@code null}
     */
    public static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException ignored) {
            // Closing a socket we are abandoning: nothing useful to report.
        }
    }

    /**
     * Opens a listening socket (in blocking mode) with the server's options: {@code SO_REUSEADDR},
     * {@code SO_RCVBUF} before binding (accepted sockets inherit it from their SYN, when the TCP
     * window scale is fixed), and the backlog.
     *
     * @param address where to listen; resolved if needed
     * @param options the server's options
     * @return the bound listener, owned by the caller
     * @throws TransportException {@link ErrorKind#ADDRESS_IN_USE}, {@link ErrorKind#UNRESOLVED} or
     *     {@link ErrorKind#IO}
     */
    public static ServerSocketChannel openListener(InetSocketAddress address, ServerOptions options)
            throws TransportException {
        InetSocketAddress bindAddress = resolve(address, "serve on");
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open();
            SocketOptions socket = options.connection().socket();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, socket.reuseAddress());
            if (socket.receiveBufferSize() > 0) {
                listener.setOption(StandardSocketOptions.SO_RCVBUF, socket.receiveBufferSize());
            }
            listener.bind(bindAddress, options.backlog());
            return listener;
        } catch (IOException e) {
            closeQuietly(listener);
            throw new TransportException(ErrorClassifier.classify(e, ErrorKind.IO),
                    "serve on " + address + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Connects a blocking channel on the calling thread: resolves, configures, binds the local
     * address if one is given, and connects within the connect timeout. A virtual thread parks
     * while it waits; an interrupt cancels.
     *
     * @param address where to connect
     * @param options the client's options
     * @return the connected channel, in blocking mode, owned by the caller
     * @throws TransportException {@link ErrorKind#REFUSED}, {@link ErrorKind#UNRESOLVED}, {@link
     *     ErrorKind#CONNECT_TIMEOUT}, or {@link ErrorKind#CANCELLED} if the thread is interrupted
     *     (no socket is left open)
     */
    public static SocketChannel connectBlocking(InetSocketAddress address, ClientOptions options)
            throws TransportException {
        InetSocketAddress target = resolve(address, "connect to");
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            configureClient(channel, options.connection().socket());
            if (options.localAddress() != null) {
                channel.bind(options.localAddress());
            }
            channel.socket().connect(target, timeoutMillis(options.connectTimeout()));
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            // The socket adaptor reports an interrupt as a plain SocketException: ask the thread.
            ErrorKind kind = Thread.currentThread().isInterrupted()
                    ? ErrorKind.CANCELLED
                    : ErrorClassifier.classify(e, ErrorKind.CONNECT_TIMEOUT);
            throw new TransportException(kind, "connect to " + address + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Configures a client socket before it connects ({@code SO_RCVBUF} must be set then).
     *
     * @param channel the unconnected channel
     * @param socket the options
     * @throws IOException if an option cannot be set
     */
    public static void configureClient(SocketChannel channel, SocketOptions socket) throws IOException {
        if (socket.receiveBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, socket.receiveBufferSize());
        }
        configureConnected(channel, socket);
    }

    /**
     * Configures an accepted socket (its {@code SO_RCVBUF} came from the listener).
     *
     * @param channel the accepted channel
     * @param socket the options
     * @throws IOException if an option cannot be set
     */
    public static void configureAccepted(SocketChannel channel, SocketOptions socket) throws IOException {
        configureConnected(channel, socket);
    }

    private static void configureConnected(SocketChannel channel, SocketOptions socket) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, socket.tcpNoDelay());
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, socket.keepAlive());
        if (socket.sendBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, socket.sendBufferSize());
        }
    }
}
