package net.corosio.spi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A backend's chunk for tests: it remembers whether it was given back, and fails if given back twice. */
final class TrackedChunk implements InboundQueue.Chunk {

    private final InboundQueue.Chunk bytes;
    volatile boolean released;

    TrackedChunk(byte... content) {
        this.bytes = InboundQueue.Chunk.of(ByteBuffer.wrap(content));
    }

    TrackedChunk(String text) {
        this(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public int readInto(ByteBuffer dst) {
        return bytes.readInto(dst);
    }

    @Override
    public int remaining() {
        return bytes.remaining();
    }

    @Override
    public synchronized void release() {
        if (released) {
            throw new AssertionError("released twice");
        }
        released = true;
    }

    @Override
    public ByteBuffer bytes() {
        return bytes.bytes();
    }
}
