package net.corosio.lab.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/** How the load generator opens its sockets: a blocking connect, no Nagle. */
final class Sockets {

    private Sockets() {}

    static SocketChannel connectBlocking(InetSocketAddress target) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(target, 10_000);
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the generator's own socket
        }
    }
}
