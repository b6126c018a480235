package net.corosio.lab.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Many non-blocking client sockets at once, for the overload runs: each bound to one of several
 * loopback source addresses (127.0.0.2, 127.0.0.3, ...), because one address has only some 28,000
 * ephemeral ports, and a socket in TIME_WAIT holds one for a minute.
 */
final class Swarm {

    private Swarm() {}

    /**
     * Opens a socket and starts connecting it.
     *
     * @param selector where to register it
     * @param target the server
     * @param index the socket's number, which picks its source address
     * @param sources how many source addresses to spread over
     * @param bufferSize {@code SO_RCVBUF} and {@code SO_SNDBUF}, or 0 for the defaults
     * @param attachment the key's attachment
     * @return the key, interested in OP_CONNECT (or OP_READ if the connect completed at once)
     * @throws IOException if the socket cannot be opened or bound (the file-descriptor limit, often)
     */
    static SelectionKey connect(Selector selector, InetSocketAddress target, int index, int sources, int bufferSize,
            Object attachment) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (bufferSize > 0) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, bufferSize);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, bufferSize);
            }
            channel.bind(new InetSocketAddress("127.0.0." + (2 + index % sources), 0));
            boolean connected = channel.connect(target);
            return channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, attachment);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Names a failed connection's end the way the overload figures count it.
     *
     * @param e the failure
     * @return {@code refused}, {@code reset} or {@code error}
     */
    static String classify(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof java.net.ConnectException || message.contains("refused")) {
            return "refused";
        }
        if (message.contains("reset") || message.contains("Broken pipe")) {
            return "reset";
        }
        return "error";
    }

    /** Closes every channel registered with a selector, then the selector. */
    static void closeAll(Selector selector) {
        for (SelectionKey key : selector.keys()) {
            Sockets.closeQuietly((SocketChannel) key.channel());
        }
        try {
            selector.close();
        } catch (IOException e) {
            // the generator's own selector
        }
    }
}
