package net.corosio.netty;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import net.corosio.spi.InboundQueue;

/**
 * Received bytes as Netty read them: the pooled buffer itself waits in the connection's inbound
 * queue, is copied once into the reader's buffer, and is released when emptied (or discarded).
 *
 * @param buffer the received bytes, from its reader index to its writer index
 */
record ByteBufChunk(ByteBuf buffer) implements InboundQueue.Chunk {

    @Override
    public int readInto(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), buffer.readableBytes());
        int limit = dst.limit();
        dst.limit(dst.position() + n);
        buffer.readBytes(dst);
        dst.limit(limit);
        return n;
    }

    @Override
    public int remaining() {
        return buffer.readableBytes();
    }

    @Override
    public void release() {
        buffer.release();
    }
}
