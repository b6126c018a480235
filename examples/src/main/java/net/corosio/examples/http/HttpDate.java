package net.corosio.examples.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The Date header's value (RFC 9110 IMF-fixdate), formatted once a second rather than once a
 * response: formatting a date costs more than the rest of a small response's head.
 */
final class HttpDate {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private record Stamp(long second, String text) {}

    private static volatile Stamp current = new Stamp(Long.MIN_VALUE, "");

    private HttpDate() {}

    /** Returns the current date, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    static String now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp stamp = current;
        if (stamp.second() != second) {
            // RFC_1123_DATE_TIME omits a leading zero on the day; IMF-fixdate needs two digits.
            String text = IMF_FIXDATE.format(Instant.ofEpochSecond(second));
            if (text.charAt(6) == ' ') {
                text = text.substring(0, 5) + "0" + text.substring(5);
            }
            stamp = new Stamp(second, text);
            current = stamp;
        }
        return stamp.text();
    }
}
