package net.corosio.examples.resp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okio.BufferedSink;
import okio.ByteString;

/**
 * The commands the RESP server knows — enough for redis-cli and redis-benchmark: PING, ECHO, GET,
 * SET (NX, XX, GET, EX, PX, EXAT, PXAT, KEEPTTL), DEL, EXISTS, INCR, DECR, INCRBY, DECRBY, MGET,
 * MSET, EXPIRE, PEXPIRE (NX, XX, GT, LT), TTL, PTTL, PERSIST, DBSIZE, FLUSHALL, FLUSHDB, SELECT 0,
 * QUIT, and the stubs clients ask for on connecting: COMMAND, INFO, CONFIG GET, CLIENT SETNAME.
 * Replies and errors are worded as Redis 7 words them, so clients show what they would show.
 * Thread-safe: the store serialises what needs it.
 */
final class Commands {

    /** Redis's arity: the exact argument count, name included, or at least -arity when negative. */
    private static final Map<String, Integer> ARITY = Map.ofEntries(
            Map.entry("PING", -1), Map.entry("ECHO", 2), Map.entry("GET", 2), Map.entry("SET", -3),
            Map.entry("DEL", -2), Map.entry("EXISTS", -2), Map.entry("INCR", 2), Map.entry("DECR", 2),
            Map.entry("INCRBY", 3), Map.entry("DECRBY", 3), Map.entry("MGET", -2), Map.entry("MSET", -3),
            Map.entry("EXPIRE", -3), Map.entry("PEXPIRE", -3), Map.entry("TTL", 2), Map.entry("PTTL", 2),
            Map.entry("PERSIST", 2), Map.entry("DBSIZE", 1), Map.entry("FLUSHALL", -1), Map.entry("FLUSHDB", -1),
            Map.entry("SELECT", 2), Map.entry("QUIT", -1), Map.entry("COMMAND", -1), Map.entry("INFO", -1),
            Map.entry("CONFIG", -2), Map.entry("CLIENT", -2));

    private static final String NOT_INTEGER = "ERR value is not an integer or out of range";

    private final KeyValueStore store;
    private final RespLimits limits;

    Commands(KeyValueStore store, RespLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    /**
     * Runs one command and writes its reply.
     *
     * @param args the command's name and arguments, at least one
     * @param out where the reply goes
     * @return {@code false} if the client asked to close the connection (QUIT)
     * @throws IOException if writing fails
     */
    boolean execute(List<ByteString> args, BufferedSink out) throws IOException {
        String name = args.get(0).string(StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        Integer arity = ARITY.get(name);
        if (arity == null) {
            RespWriter.error(out, unknownCommand(args));
            return true;
        }
        if (arity >= 0 ? args.size() != arity : args.size() < -arity) {
            RespWriter.error(out, wrongArity(name));
            return true;
        }
        try {
            return run(name, args, out);
        } catch (KeyValueStore.OutOfMemory | KeyValueStore.NotAnInteger e) {
            RespWriter.error(out, e instanceof KeyValueStore.OutOfMemory ? e.getMessage() : "ERR " + e.getMessage());
            return true;
        }
    }

    private boolean run(String name, List<ByteString> args, BufferedSink out)
            throws IOException, KeyValueStore.OutOfMemory, KeyValueStore.NotAnInteger {
        switch (name) {
            case "PING" -> {
                if (args.size() > 2) {
                    RespWriter.error(out, wrongArity(name));
                } else if (args.size() == 2) {
                    RespWriter.bulk(out, args.get(1));
                } else {
                    RespWriter.simple(out, "PONG");
                }
            }
            case "ECHO" -> RespWriter.bulk(out, args.get(1));
            case "GET" -> RespWriter.bulk(out, store.get(args.get(1)));
            case "SET" -> set(args, out);
            case "DEL" -> RespWriter.integer(out, store.delete(args.subList(1, args.size())));
            case "EXISTS" -> RespWriter.integer(out, store.exists(args.subList(1, args.size())));
            case "INCR" -> RespWriter.integer(out, store.incrementBy(args.get(1), 1));
            case "DECR" -> RespWriter.integer(out, store.incrementBy(args.get(1), -1));
            case "INCRBY", "DECRBY" -> {
                long delta = integer(args.get(2));
                if (delta == Long.MIN_VALUE) {
                    RespWriter.error(out, NOT_INTEGER);
                } else {
                    RespWriter.integer(out, store.incrementBy(args.get(1), name.equals("INCRBY") ? delta : -delta));
                }
            }
            case "MGET" -> RespWriter.bulkArray(out, store.getAll(args.subList(1, args.size())));
            case "MSET" -> {
                if (args.size() % 2 == 0) {
                    RespWriter.error(out, wrongArity(name));
                } else {
                    store.setAll(args.subList(1, args.size()));
                    RespWriter.simple(out, "OK");
                }
            }
            case "EXPIRE", "PEXPIRE" -> expire(name, args, out);
            case "TTL", "PTTL" -> {
                long ttl = store.ttlMillis(args.get(1));
                RespWriter.integer(out, ttl < 0 || name.equals("PTTL") ? ttl : (ttl + 500) / 1000);
            }
            case "PERSIST" -> RespWriter.integer(out,
                    store.expireAt(args.get(1), KeyValueStore.NEVER, KeyValueStore.Condition.ALWAYS) ? 1 : 0);
            case "DBSIZE" -> RespWriter.integer(out, store.size());
            case "FLUSHALL", "FLUSHDB" -> {
                if (args.size() > 2 || args.size() == 2 && !isOneOf(args.get(1), "ASYNC", "SYNC")) {
                    RespWriter.error(out, "ERR syntax error");
                } else {
                    store.clear();
                    RespWriter.simple(out, "OK");
                }
            }
            case "SELECT" -> {
                long index = integer(args.get(1));
                if (index == Long.MIN_VALUE) {
                    RespWriter.error(out, NOT_INTEGER);
                } else if (index != 0) {
                    RespWriter.error(out, "ERR DB index is out of range");
                } else {
                    RespWriter.simple(out, "OK");
                }
            }
            case "QUIT" -> {
                RespWriter.simple(out, "OK");
                return false;
            }
            case "COMMAND" -> command(args, out);
            case "INFO" -> RespWriter.bulk(out, ByteString.encodeUtf8(info()));
            case "CONFIG" -> config(args, out);
            case "CLIENT" -> {
                if (isOneOf(args.get(1), "SETNAME", "SETINFO") && args.size() >= 3) {
                    RespWriter.simple(out, "OK");
                } else {
                    RespWriter.error(out, unknownSubcommand(args.get(1), "CLIENT"));
                }
            }
            default -> throw new IllegalStateException("in the arity table but not implemented: " + name);
        }
        return true;
    }

    private void set(List<ByteString> args, BufferedSink out) throws IOException, KeyValueStore.OutOfMemory {
        KeyValueStore.Condition condition = KeyValueStore.Condition.ALWAYS;
        long expiresAt = KeyValueStore.NEVER;
        boolean expirySet = false;
        boolean get = false;
        for (int i = 3; i < args.size(); i++) {
            String option = upper(args.get(i));
            boolean hasNext = i + 1 < args.size();
            switch (option) {
                case "NX", "XX" -> {
                    if (condition != KeyValueStore.Condition.ALWAYS) {
                        RespWriter.error(out, "ERR syntax error");
                        return;
                    }
                    condition = option.equals("NX") ? KeyValueStore.Condition.NX : KeyValueStore.Condition.XX;
                }
                case "GET" -> get = true;
                case "KEEPTTL" -> {
                    if (expirySet) {
                        RespWriter.error(out, "ERR syntax error");
                        return;
                    }
                    expirySet = true;
                    expiresAt = KeyValueStore.KEEP;
                }
                case "EX", "PX", "EXAT", "PXAT" -> {
                    if (expirySet || !hasNext) {
                        RespWriter.error(out, "ERR syntax error");
                        return;
                    }
                    expirySet = true;
                    long amount = integer(args.get(++i));
                    if (amount == Long.MIN_VALUE) {
                        RespWriter.error(out, NOT_INTEGER);
                        return;
                    }
                    expiresAt = expiryTime(option, amount);
                    if (expiresAt == Long.MIN_VALUE) {
                        RespWriter.error(out, "ERR invalid expire time in 'set' command");
                        return;
                    }
                }
                default -> {
                    RespWriter.error(out, "ERR syntax error");
                    return;
                }
            }
        }
        KeyValueStore.SetResult result = store.set(args.get(1), args.get(2), expiresAt, condition);
        if (get) {
            RespWriter.bulk(out, result.previous());
        } else if (result.written()) {
            RespWriter.simple(out, "OK");
        } else {
            RespWriter.bulk(out, null);
        }
    }

    /** Unix milliseconds for SET's EX/PX/EXAT/PXAT amount, or {@code Long.MIN_VALUE} if invalid. */
    private long expiryTime(String unit, long amount) {
        if (amount <= 0) {
            return Long.MIN_VALUE;
        }
        try {
            return switch (unit) {
                case "EX" -> Math.addExact(store.now(), Math.multiplyExact(amount, 1000));
                case "PX" -> Math.addExact(store.now(), amount);
                case "EXAT" -> Math.multiplyExact(amount, 1000);
                default -> amount;
            };
        } catch (ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    private void expire(String name, List<ByteString> args, BufferedSink out) throws IOException {
        long amount = integer(args.get(2));
        if (amount == Long.MIN_VALUE) {
            RespWriter.error(out, NOT_INTEGER);
            return;
        }
        KeyValueStore.Condition condition = KeyValueStore.Condition.ALWAYS;
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int i = 3; i < args.size(); i++) {
            String option = upper(args.get(i));
            switch (option) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "GT" -> gt = true;
                case "LT" -> lt = true;
                default -> {
                    RespWriter.error(out, "ERR Unsupported option " + args.get(i).string(StandardCharsets.ISO_8859_1));
                    return;
                }
            }
        }
        if (nx && (xx || gt || lt)) {
            RespWriter.error(out, "ERR NX and XX, GT or LT options at the same time are not compatible");
            return;
        }
        if (gt && lt) {
            RespWriter.error(out, "ERR GT and LT options at the same time are not compatible");
            return;
        }
        condition = nx ? KeyValueStore.Condition.NX : xx ? KeyValueStore.Condition.XX
                : gt ? KeyValueStore.Condition.GT : lt ? KeyValueStore.Condition.LT : condition;
        long at;
        try {
            at = Math.addExact(store.now(), name.equals("EXPIRE") ? Math.multiplyExact(amount, 1000) : amount);
        } catch (ArithmeticException e) {
            RespWriter.error(out, "ERR invalid expire time in '" + name.toLowerCase(Locale.ROOT) + "' command");
            return;
        }
        // A time at or before now deletes the key; NEVER (0) must not be mistaken for "no expiry".
        RespWriter.integer(out, store.expireAt(args.get(1), Math.max(at, 1), condition) ? 1 : 0);
    }

    private void command(List<ByteString> args, BufferedSink out) throws IOException {
        if (args.size() == 1) {
            RespWriter.arrayHeader(out, 0); // the full command table: this example keeps it to itself
            return;
        }
        String sub = upper(args.get(1));
        switch (sub) {
            case "COUNT" -> RespWriter.integer(out, ARITY.size());
            case "DOCS", "INFO" -> RespWriter.arrayHeader(out, 0);
            default -> RespWriter.error(out, unknownSubcommand(args.get(1), "COMMAND"));
        }
    }

    private void config(List<ByteString> args, BufferedSink out) throws IOException {
        String sub = upper(args.get(1));
        if (sub.equals("RESETSTAT") && args.size() == 2) {
            RespWriter.simple(out, "OK");
            return;
        }
        if (!sub.equals("GET")) {
            RespWriter.error(out, unknownSubcommand(args.get(1), "CONFIG"));
            return;
        }
        if (args.size() < 3) {
            RespWriter.error(out, "ERR wrong number of arguments for 'config|get' command");
            return;
        }
        // redis-benchmark reads "save" and "appendonly" to describe the server it measures.
        Map<String, String> settings = Map.of(
                "save", "", "appendonly", "no", "maxmemory", Long.toString(limits.maxMemory()),
                "databases", "1", "proto-max-bulk-len", Integer.toString(limits.maxBulk()));
        List<ByteString> reply = new ArrayList<>();
        for (ByteString pattern : args.subList(2, args.size())) {
            String wanted = pattern.string(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            settings.entrySet().stream()
                    .filter(e -> wanted.equals("*") || e.getKey().equals(wanted))
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> {
                        reply.add(ByteString.encodeUtf8(e.getKey()));
                        reply.add(ByteString.encodeUtf8(e.getValue()));
                    });
        }
        RespWriter.bulkArray(out, reply);
    }

    private String info() {
        return "# Server\r\n"
                + "redis_version:7.0.0\r\n"
                + "redis_mode:standalone\r\n"
                + "corosio_example:resp\r\n"
                + "\r\n# Memory\r\n"
                + "used_memory:" + store.usedMemory() + "\r\n"
                + "maxmemory:" + limits.maxMemory() + "\r\n"
                + "\r\n# Keyspace\r\n"
                + "db0:keys=" + store.size() + ",expires=" + store.expiringKeys() + ",avg_ttl=0\r\n";
    }

    /** Redis 7's words, the arguments quoted up to 128 characters in all. */
    private static String unknownCommand(List<ByteString> args) {
        StringBuilder quoted = new StringBuilder();
        for (int i = 1; i < args.size() && quoted.length() < 128; i++) {
            String arg = args.get(i).string(StandardCharsets.ISO_8859_1);
            quoted.append('\'').append(arg, 0, Math.min(arg.length(), 128 - quoted.length())).append("' ");
        }
        String name = args.get(0).string(StandardCharsets.ISO_8859_1);
        return "ERR unknown command '" + name.substring(0, Math.min(name.length(), 128))
                + "', with args beginning with: " + quoted;
    }

    private static String unknownSubcommand(ByteString sub, String command) {
        String text = sub.string(StandardCharsets.ISO_8859_1);
        return "ERR unknown subcommand '" + text.substring(0, Math.min(text.length(), 128)) + "'. Try " + command
                + " HELP.";
    }

    private static String wrongArity(String name) {
        return "ERR wrong number of arguments for '" + name.toLowerCase(Locale.ROOT) + "' command";
    }

    private static long integer(ByteString value) {
        return value.size() > 20 ? Long.MIN_VALUE : Integers.parse(value.string(StandardCharsets.ISO_8859_1));
    }

    private static String upper(ByteString value) {
        return value.string(StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
    }

    private static boolean isOneOf(ByteString value, String... words) {
        String upper = upper(value);
        for (String word : words) {
            if (word.equals(upper)) {
                return true;
            }
        }
        return false;
    }
}
