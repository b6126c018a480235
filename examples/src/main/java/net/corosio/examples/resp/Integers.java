package net.corosio.examples.resp;

/**
 * Redis's strict reading of integers ({@code string2ll}): an optional minus, then digits with no
 * leading zero (except "0" itself), nothing else, within a signed 64-bit range. " 1", "+1", "01"
 * and "1.0" are not integers, so a value stored as text and a counter agree on what they are.
 */
final class Integers {

    private Integers() {}

    /**
     * Parses {@code text[from, to)}.
     *
     * @return the value, or {@link Long#MIN_VALUE} if it is not an integer in range (Long.MIN_VALUE
     *     itself is therefore refused, which no length or counter here needs)
     */
    static long parse(CharSequence text, int from, int to) {
        int length = to - from;
        if (length <= 0 || length > 20) {
            return Long.MIN_VALUE;
        }
        boolean negative = text.charAt(from) == '-';
        int i = negative ? from + 1 : from;
        if (i == to) {
            return Long.MIN_VALUE;
        }
        if (text.charAt(i) == '0') {
            return i + 1 == to && !negative ? 0 : Long.MIN_VALUE;
        }
        long value = 0;
        for (; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            int digit = c - '0';
            // Accumulate negatively: the negative range is one larger than the positive one.
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return Long.MIN_VALUE;
            }
            value = value * 10 - digit;
        }
        if (!negative) {
            if (value == Long.MIN_VALUE) {
                return Long.MIN_VALUE;
            }
            value = -value;
        }
        return value;
    }

    /**
     * Parses a whole string.
     *
     * @return the value, or {@link Long#MIN_VALUE} if it is not an integer in range
     */
    static long parse(CharSequence text) {
        return parse(text, 0, text.length());
    }
}
