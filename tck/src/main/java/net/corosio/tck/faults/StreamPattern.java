package net.corosio.tck.faults;

import java.nio.ByteBuffer;

/**
 * The byte stream a fault scenario sends: a sequence of 8-byte words, word {@code i} holding
 * {@code i} in its high 32 bits and a hash of {@code i} in its low 32 bits. Any byte at any offset
 * can be generated on its own, and a receiver can tell from a word alone whether it is intact and
 * which word it is — so {@link StreamCheck} can count bytes lost, duplicated and corrupted, not
 * merely notice that the stream differs. Stateless and thread-safe.
 */
public final class StreamPattern {

    /** Bytes per word. */
    public static final int WORD = 8;

    private StreamPattern() {}

    /**
     * Returns word {@code index} of the stream.
     *
     * @param index the word's number
     * @return the word
     */
    public static long word(long index) {
        return (index << 32) | (check(index) & 0xffff_ffffL);
    }

    /**
     * Returns whether a word is intact, that is, its check matches its index.
     *
     * @param word the word as received
     * @return whether it is one of the stream's words
     */
    public static boolean isIntact(long word) {
        return (int) word == check(word >>> 32);
    }

    /**
     * Fills {@code dst}'s remaining space with the stream's bytes from {@code offset} on.
     *
     * @param dst where to put them; its position advances to its limit
     * @param offset the stream offset of the first byte
     */
    public static void fill(ByteBuffer dst, long offset) {
        while (dst.hasRemaining()) {
            dst.put(byteAt(offset++));
        }
    }

    /**
     * Returns the stream's byte at {@code offset}.
     *
     * @param offset the offset
     * @return the byte
     */
    public static byte byteAt(long offset) {
        long word = word(offset / WORD);
        int shift = (WORD - 1 - (int) (offset % WORD)) * 8; // big-endian
        return (byte) (word >>> shift);
    }

    /** MurmurHash3's 32-bit finaliser: every bit of the index moves the check. */
    private static int check(long index) {
        int h = (int) index ^ 0x9e3779b9;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
