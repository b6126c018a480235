package net.corosio.jetty;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import net.corosio.SocketOptions;

/** Applies {@link SocketOptions} to JDK channels, at the moments the options take effect. */
final class SocketConfig {

    private SocketConfig() {}

    /**
     * Configures a listening socket before it binds: accepted sockets inherit {@code SO_RCVBUF},
     * and the TCP window scale is fixed during the handshake.
     *
     * @param listener the unbound listener
     * @param socket the options
     * @throws IOException if an option cannot be set
     */
    static void listener(ServerSocketChannel listener, SocketOptions socket) throws IOException {
        listener.setOption(StandardSocketOptions.SO_REUSEADDR, socket.reuseAddress());
        if (socket.receiveBufferSize() > 0) {
            listener.setOption(StandardSocketOptions.SO_RCVBUF, socket.receiveBufferSize());
        }
    }

    /**
     * Configures a client socket before it connects.
     *
     * @param channel the unconnected channel
     * @param socket the options
     * @throws IOException if an option cannot be set
     */
    static void client(SocketChannel channel, SocketOptions socket) throws IOException {
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, socket.reuseAddress());
        if (socket.receiveBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, socket.receiveBufferSize());
        }
        common(channel, socket);
    }

    /**
     * Configures an accepted socket.
     *
     * @param channel the accepted channel
     * @param socket the options
     * @throws IOException if an option cannot be set
     */
    static void accepted(SocketChannel channel, SocketOptions socket) throws IOException {
        common(channel, socket);
    }

    private static void common(SocketChannel channel, SocketOptions socket) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, socket.tcpNoDelay());
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, socket.keepAlive());
        if (socket.sendBufferSize() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, socket.sendBufferSize());
        }
    }
}
