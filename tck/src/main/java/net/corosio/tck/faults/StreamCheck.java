package net.corosio.tck.faults;

import java.nio.ByteBuffer;

/**
 * Checks a received {@link StreamPattern} stream as it arrives, word by word: intact words in
 * order are delivered; a word from further on means the words between were lost; a word from
 * earlier is a duplicate; a word whose check fails is corrupted. A trailing part-word is compared
 * byte by byte. Not thread-safe: one reader feeds it.
 */
public final class StreamCheck {

    private final byte[] partial = new byte[StreamPattern.WORD];
    private int partialLength;
    private long expected; // the next word's index
    private long received;
    private long delivered;
    private long lost;
    private long duplicated;
    private long corrupted;

    /**
     * Checks the bytes between {@code src}'s position and limit, leaving the buffer unchanged.
     *
     * @param src bytes as received
     */
    public void accept(ByteBuffer src) {
        for (int i = src.position(); i < src.limit(); i++) {
            partial[partialLength++] = src.get(i);
            received++;
            if (partialLength == StreamPattern.WORD) {
                word(ByteBuffer.wrap(partial).getLong());
                partialLength = 0;
            }
        }
    }

    private void word(long word) {
        if (!StreamPattern.isIntact(word)) {
            corrupted += StreamPattern.WORD;
            expected++;
            return;
        }
        long index = word >>> 32;
        if (index < expected) {
            duplicated += StreamPattern.WORD;
            return;
        }
        lost += (index - expected) * StreamPattern.WORD;
        delivered += StreamPattern.WORD;
        expected = index + 1;
    }

    /**
     * Returns bytes received, intact or not.
     *
     * @return the count
     */
    public long received() {
        return received;
    }

    /**
     * Returns bytes received intact and in order, counting a trailing part-word that matches.
     *
     * @return the count
     */
    public long delivered() {
        return delivered + tailMatching();
    }

    /**
     * Returns bytes missing between words that did arrive (a gap in the stream).
     *
     * @return the count
     */
    public long lost() {
        return lost;
    }

    /**
     * Returns bytes that arrived a second time.
     *
     * @return the count
     */
    public long duplicated() {
        return duplicated;
    }

    /**
     * Returns bytes that arrived altered, counting a trailing part-word that does not match.
     *
     * @return the count
     */
    public long corrupted() {
        return corrupted + (partialLength - tailMatching());
    }

    /**
     * Returns whether everything received so far is the stream's first {@code received()} bytes.
     *
     * @return whether the stream is an intact prefix
     */
    public boolean isIntactPrefix() {
        return lost == 0 && duplicated == 0 && corrupted() == 0;
    }

    private int tailMatching() {
        long offset = expected * StreamPattern.WORD;
        for (int i = 0; i < partialLength; i++) {
            if (partial[i] != StreamPattern.byteAt(offset + i)) {
                return 0;
            }
        }
        return partialLength;
    }
}
