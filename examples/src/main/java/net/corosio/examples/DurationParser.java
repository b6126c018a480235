package net.corosio.examples;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a duration as people write one on a command line. The forms, and nothing else:
 *
 * <ul>
 *   <li>a whole number with a unit: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h};
 *   <li>ISO-8601, as {@link Duration#parse} reads it: {@code PT5S}, {@code PT0.25S}, {@code PT1M30S};
 *   <li>{@code 0}, the one number that needs no unit.
 * </ul>
 *
 * <p>A bare number other than {@code 0} is refused rather than guessed at: {@code 500} could mean
 * milliseconds or seconds. Negative durations are refused. The examples' options and the lab's
 * ({@code corosio}) read every duration through this class, so they all take the same forms; it
 * lives here because the lab depends on the examples, and the examples on the API alone, whose
 * contract is {@link Duration} itself, not a way of writing one. Stateless and thread-safe.
 */
public final class DurationParser {

    /** The accepted forms, in words, for usage and error messages. */
    public static final String FORMS = "500ms, 5s, 2m, 1h, or ISO-8601 such as PT1.5S";

    // Up to 15 digits: the largest amount in hours still fits a Duration's seconds.
    private static final Pattern AMOUNT_AND_UNIT = Pattern.compile("(\\d{1,15})(ms|s|m|h)");
    private static final Pattern BARE_NUMBER = Pattern.compile("\\d+");

    private DurationParser() {}

    /**
     * Parses a duration in one of the {@linkplain DurationParser accepted forms}.
     *
     * @param text what was written
     * @return the duration, zero or positive
     * @throws IllegalArgumentException if {@code text} is in none of the forms or is negative; the
     *     message quotes it and lists the forms
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no duration given (write " + FORMS + ")");
        }
        Matcher m = AMOUNT_AND_UNIT.matcher(text);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        }
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (BARE_NUMBER.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' has no unit: write " + text + "ms, " + text + "s, "
                    + text + "m or " + text + "h (or ISO-8601 such as PT1.5S)");
        }
        Duration iso;
        try {
            iso = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write " + FORMS, e);
        }
        if (iso.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative: a duration here is 0 or more");
        }
        return iso;
    }
}
