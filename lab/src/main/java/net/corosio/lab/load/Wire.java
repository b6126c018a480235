package net.corosio.lab.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;

/**
 * The load generator's view of one connection: non-blocking reads and writes of application
 * bytes, plain or through TLS. Connecting (and the TLS handshake) is blocking, before the traffic
 * starts, so it is not part of what a load measures.
 */
interface Wire {

    /**
     * Reads what is available without blocking.
     *
     * @param dst where to put application bytes
     * @return bytes read, 0 if none now, -1 at the end
     * @throws IOException if the connection fails
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes what the socket takes now.
     *
     * @param src application bytes
     * @return bytes of {@code src} consumed (for TLS they may still sit encrypted in the wire:
     *     see {@link #hasPendingOutput()})
     * @throws IOException if the connection fails
     */
    int write(ByteBuffer src) throws IOException;

    /**
     * Returns whether bytes already consumed by {@link #write} still wait to be sent; the caller
     * keeps OP_WRITE interest and calls {@link #write} (with nothing more) until false.
     *
     * @return whether output is pending
     */
    boolean hasPendingOutput();

    /**
     * Returns the socket.
     *
     * @return the channel
     */
    SocketChannel channel();

    /**
     * Registers the socket.
     *
     * @param selector the loop's selector
     * @param ops the interest
     * @param attachment the callback
     * @return the key
     * @throws IOException if it cannot register
     */
    default SelectionKey register(Selector selector, int ops, Object attachment) throws IOException {
        return channel().register(selector, ops, attachment);
    }

    /**
     * Connects (and completes the TLS handshake), then switches to non-blocking mode.
     *
     * @param target where
     * @param tls the client's trust for TLS, or {@code null} for plain TCP
     * @return the wire
     * @throws IOException if it fails
     */
    static Wire connect(InetSocketAddress target, SSLContext tls) throws IOException {
        SocketChannel channel = Sockets.connectBlocking(target);
        try {
            Wire wire = tls == null ? new PlainWire(channel) : TlsWire.handshake(channel, tls, target);
            channel.configureBlocking(false);
            return wire;
        } catch (IOException | RuntimeException e) {
            Sockets.closeQuietly(channel);
            throw e;
        }
    }
}
