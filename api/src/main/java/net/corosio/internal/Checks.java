package net.corosio.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks whose messages name the bad value, shared by the options records. */
public final class Checks {

    private Checks() {}

    /**
     * Requires a non-negative duration; {@link Duration#ZERO} means "no timeout".
     *
     * @param name the parameter's name, for the message
     * @param value the value to check
     * @return {@code value}
     */
    public static Duration timeout(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " < 0: " + value);
        }
        return value;
    }

    /**
     * Requires {@code value >= 0}.
     *
     * @param name the parameter's name, for the message
     * @param value the value to check
     * @return {@code value}
     */
    public static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " < 0: " + value);
        }
        return value;
    }

    /**
     * Requires {@code value > 0}.
     *
     * @param name the parameter's name, for the message
     * @param value the value to check
     * @return {@code value}
     */
    public static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " <= 0: " + value);
        }
        return value;
    }
}
