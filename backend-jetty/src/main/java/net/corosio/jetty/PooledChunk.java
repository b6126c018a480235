package net.corosio.jetty;

import java.nio.ByteBuffer;
import net.corosio.spi.InboundQueue;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * Received bytes in a region of a pooled Jetty buffer: the chunk holds one reference to the buffer
 * (several chunks may share one buffer, each with its own region) and gives it back when the
 * reader has copied the bytes out, has given the region's lease back, or when the queue discards
 * them.
 */
final class PooledChunk implements InboundQueue.Chunk {

    private final RetainableByteBuffer owner;
    private final ByteBuffer region;

    /**
     * Wraps a region of {@code owner}; the caller has already retained {@code owner} for it.
     *
     * @param owner the pooled buffer
     * @param region a view of the received bytes, from its position to its limit
     */
    PooledChunk(RetainableByteBuffer owner, ByteBuffer region) {
        this.owner = owner;
        this.region = region;
    }

    @Override
    public int readInto(ByteBuffer dst) {
        return InboundQueue.Chunk.copy(region, dst);
    }

    @Override
    public int remaining() {
        return region.remaining();
    }

    @Override
    public void release() {
        owner.release();
    }

    @Override
    public ByteBuffer bytes() {
        return region;
    }
}
