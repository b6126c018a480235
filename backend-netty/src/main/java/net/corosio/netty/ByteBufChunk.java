package net.corosio.netty;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import net.corosio.spi.InboundQueue;

/**
 * Received bytes as Netty read them: the pooled buffer itself waits in the connection's inbound
 * queue; a read copies it out once, a receive lends it as it is ({@link #bytes()} is a view of its
 * memory), and a write of that lease hands the same buffer back to a channel ({@link #forWrite()}).
 * It is released when emptied by reads, when its lease is given back or written, or when discarded.
 */
final class ByteBufChunk implements InboundQueue.Chunk {

    private final ByteBuf buffer;
    private ByteBuffer view; // the readable bytes as a ByteBuffer, once lent
    private int viewBase; // the reader index the view starts at

    /**
     * Wraps received bytes.
     *
     * @param buffer the bytes, from its reader index to its writer index; owned by the chunk
     */
    ByteBufChunk(ByteBuf buffer) {
        this.buffer = buffer;
    }

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
        return view != null ? view.remaining() : buffer.readableBytes();
    }

    @Override
    public void release() {
        buffer.release();
    }

    @Override
    public ByteBuffer bytes() {
        if (view == null) {
            viewBase = buffer.readerIndex();
            view = buffer.nioBuffer(); // shares the memory: no copy
        }
        return view;
    }

    /**
     * Returns the buffer narrowed to what remains to be written, for a channel's write, retained
     * once more: the channel releases that reference when the write is done, the lease's own
     * release the chunk's.
     *
     * @return the buffer to write
     */
    ByteBuf forWrite() {
        if (view != null) {
            buffer.setIndex(viewBase + view.position(), viewBase + view.limit());
        }
        return buffer.retain();
    }
}
