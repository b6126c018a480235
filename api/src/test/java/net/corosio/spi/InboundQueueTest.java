package net.corosio.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InboundQueueTest {

    private final AtomicInteger interestChanges = new AtomicInteger();
    private final AtomicInteger arrivals = new AtomicInteger();
    private final InboundQueue queue = new InboundQueue(8, interestChanges::incrementAndGet, arrivals::incrementAndGet);

    private static byte[] drain(InboundQueue queue, int bufferSize) {
        ByteBuffer out = ByteBuffer.allocate(64);
        ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
        while (queue.poll(buffer.clear()) > 0) {
            out.put(buffer.flip());
        }
        byte[] bytes = new byte[out.flip().remaining()];
        out.get(bytes);
        return bytes;
    }

    @Test
    void bytesComeOutInOrderAcrossChunksAndSmallBuffers() {
        TrackedChunk first = new TrackedChunk((byte) 1, (byte) 2, (byte) 3);
        TrackedChunk second = new TrackedChunk((byte) 4, (byte) 5);
        queue.offer(first);
        queue.offer(second);
        assertEquals(2, arrivals.get(), "every offer wakes the reader");
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, drain(queue, 2));
        assertTrue(first.released && second.released, "a chunk read to its end is given back");
    }

    @Test
    void aPollFillsTheBufferFromSeveralChunks() {
        queue.offer(new TrackedChunk((byte) 1));
        queue.offer(new TrackedChunk((byte) 2));
        ByteBuffer buffer = ByteBuffer.allocate(16);
        assertEquals(2, queue.poll(buffer), "a woken reader takes everything queued that fits");
    }

    @Test
    void pollReturnsZeroWhenEmptyAndMinusOneOnlyAfterTheLastByte() {
        ByteBuffer buffer = ByteBuffer.allocate(4);
        assertEquals(0, queue.poll(buffer));
        queue.offer(new TrackedChunk((byte) 7));
        queue.end();
        assertTrue(queue.isReadable());
        assertEquals(1, queue.poll(buffer.clear()), "the end never overtakes data");
        assertEquals(-1, queue.poll(buffer.clear()));
        assertEquals(-1, queue.poll(buffer.clear()), "the end is a state");
    }

    @Test
    void readingPausesAtTheLimitAndResumesBelowHalf() {
        queue.offer(new TrackedChunk(new byte[5]));
        assertFalse(queue.isPaused());
        queue.offer(new TrackedChunk(new byte[4]));
        assertTrue(queue.isPaused(), "9 bytes queued against a limit of 8");
        assertEquals(1, interestChanges.get());
        ByteBuffer buffer = ByteBuffer.allocate(4);
        queue.poll(buffer); // 5 left: not below half the limit yet
        assertTrue(queue.isPaused());
        queue.poll(buffer.clear()); // 1 left
        assertFalse(queue.isPaused(), "resumed below half the limit");
        assertEquals(2, interestChanges.get());
    }

    @Test
    void discardGivesBackWhatIsQueuedAndWhatArrivesAndResumesReading() {
        TrackedChunk queued = new TrackedChunk(new byte[9]);
        queue.offer(queued);
        assertTrue(queue.isPaused());
        queue.discard();
        assertTrue(queued.released);
        assertFalse(queue.isPaused(), "a lingering close drains the peer: reading resumes");
        TrackedChunk later = new TrackedChunk((byte) 1);
        queue.offer(later);
        assertTrue(later.released, "bytes arriving while discarding are given back at once");
        assertEquals(0, queue.size());
    }

    @Test
    void disposeGivesBackEverything() {
        List<TrackedChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TrackedChunk chunk = new TrackedChunk((byte) i);
            chunks.add(chunk);
            queue.offer(chunk);
        }
        queue.dispose();
        assertTrue(chunks.stream().allMatch(c -> c.released));
        TrackedChunk late = new TrackedChunk((byte) 9);
        queue.offer(late);
        assertTrue(late.released, "a chunk the loop offers after the release is given back too");
    }

    @Test
    void lastArrivalMovesWithEveryOfferAndTheEnd() throws Exception {
        long before = queue.lastArrival();
        Thread.sleep(2); // the clock must move for the comparison to mean anything
        queue.offer(new TrackedChunk((byte) 1));
        long afterOffer = queue.lastArrival();
        assertTrue(afterOffer > before);
        Thread.sleep(2);
        queue.end();
        assertTrue(queue.lastArrival() > afterOffer);
        assertTrue(queue.isEnded());
    }

    @Test
    void takeHandsOverTheOldestChunkWholeAndResumesReadingOnceDrained() {
        TrackedChunk big = new TrackedChunk(new byte[9]);
        queue.offer(big);
        assertTrue(queue.isPaused());
        assertEquals(1, interestChanges.get());
        InboundQueue.Chunk taken = queue.take();
        assertEquals(big, taken);
        assertFalse(big.released, "the taker owns it now");
        assertFalse(queue.isPaused(), "the queue is empty: reading resumes");
        assertEquals(2, interestChanges.get());
        assertEquals(null, queue.take());
        assertFalse(queue.isDrainedAndEnded());
        queue.end();
        assertTrue(queue.isDrainedAndEnded());
    }
}
