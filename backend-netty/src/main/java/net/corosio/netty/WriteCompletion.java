package net.corosio.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultChannelPromise;
import net.corosio.spi.ChunkLease;

/**
 * One write: its bytes until they are handed to the channel, and its promise, which is also its own
 * listener — when Netty has written the bytes to the socket (for TLS: their ciphertext), or
 * discarded them, the connection learns how many plaintext bytes left its queue, and a lease that
 * was written without a copy is given back. One object per write instead of a task, a promise and
 * a listener.
 */
final class WriteCompletion extends DefaultChannelPromise implements ChannelFutureListener {

    private final NettyConnection connection;
    private final int bytes;
    private final ChunkLease lease;
    private ByteBuf buffer;

    /**
     * Describes one write.
     *
     * @param channel the channel
     * @param connection the connection that learns when the bytes are out
     * @param buffer the bytes, handed to the channel (which releases them)
     * @param lease the lease {@code buffer} shows, given back once the write is done, or {@code null}
     */
    WriteCompletion(Channel channel, NettyConnection connection, ByteBuf buffer, ChunkLease lease) {
        super(channel);
        this.connection = connection;
        this.bytes = buffer.readableBytes();
        this.buffer = buffer;
        this.lease = lease;
        addListener(this);
    }

    /**
     * Hands the bytes over (to the channel, which releases them once written or discarded).
     *
     * @return the bytes; called once
     */
    ByteBuf take() {
        ByteBuf taken = buffer;
        buffer = null;
        return taken;
    }

    @Override
    public void operationComplete(ChannelFuture future) {
        try {
            connection.written(bytes, future.cause());
        } finally {
            if (lease != null) {
                lease.release();
            }
        }
    }
}
