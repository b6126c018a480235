package net.corosio.examples.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.corosio.examples.RealClient;
import net.corosio.examples.RealClient.Result;
import net.corosio.examples.Running;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The RESP example under redis-cli and redis-benchmark, on every backend. */
class RespRealClientTest {

    private static final Duration CLIENT_DEADLINE = Duration.ofSeconds(30);

    private static Running start(String backend) throws Exception {
        return Running.start(backend, null,
                (t, address, options) -> RespServer.serve(t, address, options, RespLimits.defaults()));
    }

    /** Runs one redis-cli command; its raw output (what redis-cli prints when not on a terminal). */
    private static String cli(Running resp, String... command) {
        List<String> args = new ArrayList<>(List.of(RealClient.require("redis-cli", "redis-tools").toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(resp.port())));
        args.addAll(List.of(command));
        Result result = RealClient.run(CLIENT_DEADLINE, null, args);
        return result.out().isEmpty() ? result.err().strip() : result.out().strip();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void redisCliSeesWhatRedisWouldAnswer(String backend) throws Exception {
        RealClient.require("redis-cli", "redis-tools");
        try (Running resp = start(backend)) {
            String[][] conversation = {
                {"PONG", "PING"},
                {"hello world", "ECHO", "hello world"},
                {"OK", "SET", "k", "v"},
                {"v", "GET", "k"},
                {"", "GET", "missing"},
                {"OK", "SET", "t", "v", "EX", "100"},
                {"100", "TTL", "t"},
                {"-1", "TTL", "k"},
                {"-2", "TTL", "missing"},
                {"1", "INCR", "n"},
                {"2", "INCR", "n"},
                {"12", "INCRBY", "n", "10"},
                {"OK", "MSET", "a", "1", "b", "2"},
                {"1\n2\n", "MGET", "a", "b", "missing"},
                {"2", "EXISTS", "a", "b", "missing"},
                {"2", "DEL", "a", "b", "missing"},
                {"0", "EXISTS", "a"},
                {"1", "EXPIRE", "k", "50"},
                {"50", "TTL", "k"},
                {"", "SET", "k", "w", "NX"},
                {"v", "SET", "k", "w", "XX", "GET"},
                {"ERR value is not an integer or out of range", "INCR", "k"},
                {"ERR unknown command 'FOO', with args beginning with: 'bar' 'baz'", "FOO", "bar", "baz"},
                {"ERR wrong number of arguments for 'get' command", "GET"},
                {"ERR invalid expire time in 'set' command", "SET", "k", "v", "EX", "0"},
                {"ERR syntax error", "SET", "k", "v", "EX"},
                {"OK", "FLUSHALL"},
                {"0", "DBSIZE"},
            };
            for (String[] step : conversation) {
                String[] command = java.util.Arrays.copyOfRange(step, 1, step.length);
                assertEquals(step[0].strip(), cli(resp, command), () -> String.join(" ", command));
            }
            assertEquals("OK", cli(resp, "SET", "p", "v", "PX", "100000"));
            long pttl = Long.parseLong(cli(resp, "PTTL", "p"));
            assertTrue(pttl > 90_000 && pttl <= 100_000, "PTTL " + pttl);
            assertTrue(cli(resp, "INFO").contains("redis_version:"), "INFO");
            assertTrue(Integer.parseInt(cli(resp, "COMMAND", "COUNT")) > 20, "COMMAND COUNT");
            assertEquals(0, resp.server().metrics().handlerFailures());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void redisCliPipeMassInsertsEveryKey(String backend) throws Exception {
        String cli = RealClient.require("redis-cli", "redis-tools").toString();
        int keys = 10_000;
        ByteArrayOutputStream protocol = new ByteArrayOutputStream();
        for (int i = 0; i < keys; i++) {
            String key = "key:" + i;
            String value = "value-" + i;
            protocol.writeBytes(("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + value.length() + "\r\n"
                    + value + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        try (Running resp = start(backend)) {
            Result result = RealClient.run(CLIENT_DEADLINE, protocol.toByteArray(),
                    List.of(cli, "-h", "127.0.0.1", "-p", Integer.toString(resp.port()), "--pipe"));
            assertEquals(0, result.exitCode(), result::both);
            assertTrue(result.out().contains("errors: 0, replies: " + keys), result::both);
            assertEquals(Integer.toString(keys), cli(resp, "DBSIZE"));
            assertEquals("value-1234", cli(resp, "GET", "key:1234"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void redisBenchmarkRunsEveryTestPipelined(String backend) throws Exception {
        String benchmark = RealClient.require("redis-benchmark", "redis-tools").toString();
        try (Running resp = start(backend)) {
            Result result = RealClient.run(CLIENT_DEADLINE, benchmark, "-h", "127.0.0.1", "-p",
                    Integer.toString(resp.port()), "--csv", "-n", "4000", "-c", "8", "-P", "16",
                    "-t", "ping,set,get,incr,mset");
            assertEquals(0, result.exitCode(), result::both);
            Map<String, Double> rates = new java.util.HashMap<>();
            Matcher m = Pattern.compile("^\"([A-Z_ ()0-9a-z]+)\",\"([0-9.]+)\"", Pattern.MULTILINE).matcher(result.out());
            while (m.find()) {
                rates.put(m.group(1), Double.parseDouble(m.group(2)));
            }
            for (String test : List.of("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR", "MSET (10 keys)")) {
                assertTrue(rates.getOrDefault(test, 0.0) > 0, () -> test + " missing: " + result.both());
            }
            assertEquals(0, resp.server().metrics().handlerFailures());
        }
    }
}
