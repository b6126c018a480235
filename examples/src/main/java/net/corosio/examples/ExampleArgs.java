package net.corosio.examples;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An example's command line, parsed by hand: the examples depend on the API and Okio alone, so no
 * argument library. Every option is {@code --name value} or a flag {@code --name}; an unknown
 * option, a missing or malformed value is a {@link UsageException} whose message says which and
 * what was expected.
 *
 * <p>Options every example takes: {@code --backend NAME} (otherwise the {@code corosio.transport}
 * property, otherwise {@code Transport.open()}'s own choice), {@code --host}, {@code --port},
 * {@code --tls} with {@code --keystore FILE --password P} (PKCS12), and {@code --max-connections}.
 */
public final class ExampleArgs {

    private static final Pattern SIZE = Pattern.compile("(\\d+)([kKmM])?");

    /** One option an example accepts. */
    public record Option(String name, String value, String help) {
        /**
         * An option that takes a value.
         *
         * @param name the option, with its leading dashes
         * @param value a word for its value in the usage text, or {@code null} for a flag
         * @param help one line of help, with its default
         */
        public Option {
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("an option starts with --: " + name);
            }
        }

        boolean isFlag() {
            return value == null;
        }
    }

    /** Thrown for a bad command line; its message is meant for the user, with the usage. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what was wrong and what was expected
         */
        public UsageException(String message) {
            super(message);
        }
    }

    /** The options every example takes. */
    public static final List<Option> COMMON = List.of(
            new Option("--backend", "NAME", "the backend (default: -Dcorosio.transport, else Transport.open()'s choice)"),
            new Option("--host", "ADDRESS", "where to listen (default 127.0.0.1)"),
            new Option("--port", "N", "the port, 0 for any free one"),
            new Option("--tls", null, "serve TLS, with --keystore and --password"),
            new Option("--keystore", "FILE", "the server's PKCS12 key store (with --tls)"),
            new Option("--password", "P", "the key store's password (with --tls)"),
            new Option("--max-connections", "N", "the most connections served at once, 0 for no limit (default 0)"),
            new Option("--help", null, "print this help"));

    private final String program;
    private final List<Option> options;
    private final Map<String, String> values;

    private ExampleArgs(String program, List<Option> options, Map<String, String> values) {
        this.program = program;
        this.options = options;
        this.values = values;
    }

    /**
     * Parses a command line.
     *
     * @param program the example's name, for messages
     * @param args the arguments
     * @param specific the options this example takes besides {@link #COMMON}
     * @return the parsed arguments
     * @throws UsageException if an option is unknown or lacks its value
     */
    public static ExampleArgs parse(String program, String[] args, List<Option> specific) throws UsageException {
        Map<String, Option> known = new LinkedHashMap<>();
        COMMON.forEach(o -> known.put(o.name(), o));
        specific.forEach(o -> known.put(o.name(), o));
        List<Option> all = List.copyOf(known.values());
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String inline = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                inline = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            Option option = known.get(arg);
            if (option == null) {
                throw new UsageException(program + ": unknown option '" + args[i] + "'\n" + usage(program, all));
            }
            if (option.isFlag()) {
                if (inline != null) {
                    throw new UsageException(program + ": " + arg + " takes no value\n" + usage(program, all));
                }
                values.put(arg, "true");
            } else if (inline != null) {
                values.put(arg, inline);
            } else if (i + 1 < args.length) {
                values.put(arg, args[++i]);
            } else {
                throw new UsageException(program + ": " + arg + " needs a value (" + option.value() + ")\n"
                        + usage(program, all));
            }
        }
        return new ExampleArgs(program, all, values);
    }

    /**
     * Formats the usage text.
     *
     * @param program the example's name
     * @param options every option it takes
     * @return the text
     */
    public static String usage(String program, List<Option> options) {
        StringBuilder out = new StringBuilder("usage: ").append(program).append(" [options]\n");
        for (Option option : options) {
            String left = option.name() + (option.isFlag() ? "" : " " + option.value());
            out.append(String.format(Locale.ROOT, "  %-26s %s%n", left, option.help()));
        }
        if (options.stream().anyMatch(o -> "DURATION".equals(o.value()))) {
            out.append("A DURATION is ").append(DurationParser.FORMS).append(".\n");
        }
        return out.toString();
    }

    /**
     * Returns the usage text for this example.
     *
     * @return the text
     */
    public String usage() {
        return usage(program, options);
    }

    /**
     * Returns whether a flag was given.
     *
     * @param name the flag
     * @return whether it was on the command line
     */
    public boolean flag(String name) {
        return values.containsKey(name);
    }

    /**
     * Returns an option's value.
     *
     * @param name the option
     * @param fallback the value when absent
     * @return the value
     */
    public String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /**
     * Returns an integer option.
     *
     * @param name the option
     * @param fallback the value when absent
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the value
     * @throws UsageException if it is not an integer in range
     */
    public int integer(String name, int fallback, int min, int max) throws UsageException {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(program + ": " + name + " must be an integer from " + min + " to " + max + ", not '"
                + text + "'");
    }

    /**
     * Returns a size option: a number of bytes, optionally with {@code k} or {@code m} (binary).
     *
     * @param name the option
     * @param fallback the value when absent
     * @return the value, at least 1
     * @throws UsageException if it is not a size
     */
    public int size(String name, int fallback) throws UsageException {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        Matcher m = SIZE.matcher(text);
        if (m.matches()) {
            long value = Long.parseLong(m.group(1).length() > 12 ? "0" : m.group(1));
            String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
            value *= unit.equals("k") ? 1024 : unit.equals("m") ? 1024 * 1024 : 1;
            if (value >= 1 && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw new UsageException(program + ": " + name + " must be a size in bytes such as 65536, 64k or 1m, not '"
                + text + "'");
    }

    /**
     * Returns a duration option, in the forms {@link DurationParser} reads ({@value
     * DurationParser#FORMS}); {@code 0} means none.
     *
     * @param name the option
     * @param fallback the value when absent
     * @return the value
     * @throws UsageException if it is not a duration; the message names the option, the value and
     *     the accepted forms
     */
    public Duration duration(String name, Duration fallback) throws UsageException {
        String text = values.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            return DurationParser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(program + ": " + name + ": " + e.getMessage());
        }
    }

    /**
     * Returns where to listen: {@code --host} (default 127.0.0.1) and {@code --port}.
     *
     * @param defaultPort the port when {@code --port} is absent
     * @return the address
     * @throws UsageException if the port is out of range
     */
    public InetSocketAddress listenAddress(int defaultPort) throws UsageException {
        return new InetSocketAddress(string("--host", "127.0.0.1"), integer("--port", defaultPort, 0, 65535));
    }

    /**
     * Returns the backend asked for.
     *
     * @return {@code --backend}, else the {@code corosio.transport} property, else {@code null}
     *     for {@code Transport.open()}'s own choice
     */
    public String backend() {
        return string("--backend", System.getProperty("corosio.transport"));
    }

    /**
     * Returns the options that were given, for a start-up log line.
     *
     * @return option to value
     */
    public Map<String, String> given() {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.computeIfPresent("--password", (k, v) -> "***");
        return copy;
    }

    /**
     * Checks that options which need each other were given together.
     *
     * @throws UsageException if {@code --tls} lacks {@code --keystore} or the reverse
     */
    public void checkTls() throws UsageException {
        List<String> problems = new ArrayList<>();
        if (flag("--tls") && !values.containsKey("--keystore")) {
            problems.add("--tls needs --keystore FILE (a PKCS12 key store) and --password P");
        }
        if (!flag("--tls") && values.containsKey("--keystore")) {
            problems.add("--keystore is only used with --tls");
        }
        if (!problems.isEmpty()) {
            throw new UsageException(program + ": " + String.join("; ", problems));
        }
    }
}
