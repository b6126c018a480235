package net.corosio.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultChannelPromise;

/**
 * The promise of one write, which is also its own listener: when Netty has written the bytes to the
 * socket (for TLS: their ciphertext), or discarded them, the connection learns how many plaintext
 * bytes left its queue. One object per write instead of a promise and a listener.
 */
final class WriteCompletion extends DefaultChannelPromise implements ChannelFutureListener {

    private final NettyConnection connection;
    private final int bytes;

    WriteCompletion(Channel channel, NettyConnection connection, int bytes) {
        super(channel);
        this.connection = connection;
        this.bytes = bytes;
        addListener(this);
    }

    @Override
    public void operationComplete(ChannelFuture future) {
        connection.written(bytes, future.cause());
    }
}
