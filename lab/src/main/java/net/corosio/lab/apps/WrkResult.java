package net.corosio.lab.apps;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one wrk run measured, parsed from its text output (run with {@code --latency}).
 *
 * @param requestsPerSecond completed requests per second
 * @param averageMs mean latency
 * @param p50Ms median latency
 * @param p90Ms 90th percentile
 * @param p99Ms 99th percentile
 * @param maxMs slowest request
 * @param errors socket errors (connect, read, write, timeout) plus non-2xx/3xx responses
 */
public record WrkResult(double requestsPerSecond, double averageMs, double p50Ms, double p90Ms, double p99Ms, double maxMs,
        long errors) {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern LATENCY = Pattern.compile("Latency\\s+([0-9.]+\\w+)\\s+([0-9.]+\\w+)\\s+([0-9.]+\\w+)");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /**
     * Parses wrk's output.
     *
     * @param output what wrk printed
     * @return the figures
     * @throws IllegalArgumentException if the output has no rate or latency
     */
    static WrkResult parse(String output) {
        Matcher rate = RATE.matcher(output);
        Matcher latency = LATENCY.matcher(output);
        if (!rate.find() || !latency.find()) {
            throw new IllegalArgumentException("not wrk --latency output: " + output);
        }
        long errors = 0;
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        return new WrkResult(Double.parseDouble(rate.group(1)), millis(latency.group(1)), percentile(output, "50%"),
                percentile(output, "90%"), percentile(output, "99%"), millis(latency.group(3)), errors);
    }

    private static double percentile(String output, String which) {
        Matcher m = Pattern.compile("^\\s+" + which + "\\s+([0-9.]+\\w+)", Pattern.MULTILINE).matcher(output);
        return m.find() ? millis(m.group(1)) : Double.NaN;
    }

    /** wrk prints 812.00us, 3.32ms, 1.02s or 2.00m. */
    static double millis(String value) {
        Matcher m = Pattern.compile("([0-9.]+)(us|ms|s|m)").matcher(value.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a wrk duration: " + value);
        }
        double amount = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> amount / 1000;
            case "ms" -> amount;
            case "s" -> amount * 1000;
            default -> amount * 60_000;
        };
    }
}
