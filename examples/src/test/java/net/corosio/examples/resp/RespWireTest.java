package net.corosio.examples.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.corosio.examples.Running;
import net.corosio.examples.Wire;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RESP example on every backend under malformed, oversized and truncated input: Redis's error
 * reply and a clean close, or just a clean close — never a crash, a hang or unbounded buffering.
 */
class RespWireTest {

    /** Input, the reply it must get, and whether the server then closes. */
    private record Case(String name, String input, boolean thenHalfClose, String reply, boolean closes) {}

    private static final List<Case> CASES = List.of(
            new Case("not a number", "*abc\r\n", false, "-ERR Protocol error: invalid multibulk length\r\n", true),
            new Case("leading zero", "*01\r\n", false, "-ERR Protocol error: invalid multibulk length\r\n", true),
            new Case("too many arguments", "*99999999\r\n", false, "-ERR Protocol error: invalid multibulk length\r\n",
                    true),
            new Case("not a bulk string", "*2\r\n$3\r\nGET\r\n:1\r\n", false,
                    "-ERR Protocol error: expected '$', got ':'\r\n", true),
            new Case("negative bulk length", "*1\r\n$-5\r\n", false, "-ERR Protocol error: invalid bulk length\r\n", true),
            new Case("bulk beyond the limit", "*2\r\n$3\r\nSET\r\n$999999999999\r\n", false,
                    "-ERR Protocol error: invalid bulk length\r\n", true),
            new Case("bulk without CRLF", "*1\r\n$3\r\nPINGX\r\n", false,
                    "-ERR Protocol error: bulk string not followed by CRLF\r\n", true),
            new Case("unbalanced quotes", "SET \"unbalanced\r\n", false,
                    "-ERR Protocol error: unbalanced quotes in request\r\n", true),
            new Case("endless inline line", "a".repeat(70_000), false, "-ERR Protocol error: too big inline request\r\n",
                    true),
            new Case("endless count line", "*" + "1".repeat(70_000), false,
                    "-ERR Protocol error: too big mbulk count string\r\n", true),
            new Case("truncated command", "*2\r\n$3\r\nGET\r\n$5\r\nab", true, "", true),
            new Case("blank lines and empty arrays are ignored", "\r\n\r\n*0\r\n*-1\r\nPING\r\n", false, "+PONG\r\n",
                    false),
            new Case("inline with quotes", "ECHO \"a b\\x41\\n\" 'it''\r\n", false,
                    "-ERR Protocol error: unbalanced quotes in request\r\n", true),
            new Case("inline quoted", "ECHO \"a b\\x41\"\r\n", false, "$4\r\na bA\r\n", false),
            new Case("QUIT", "PING\r\nQUIT\r\nPING\r\n", false, "+PONG\r\n+OK\r\n", true));

    private static Running start(String backend, RespLimits limits) throws Exception {
        return Running.start(backend, null, (t, address, options) -> RespServer.serve(t, address, options, limits));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void badInputGetsRedisErrorThenACleanClose(String backend) throws Exception {
        try (Running resp = start(backend, RespLimits.defaults())) {
            for (Case c : CASES) {
                try (Wire wire = Wire.connect(resp.address())) {
                    wire.send(c.input());
                    if (c.thenHalfClose()) {
                        wire.socket().shutdownOutput();
                    }
                    if (c.closes()) {
                        assertEquals(Wire.End.CLOSED, wire.readToEnd(), c.name());
                        assertEquals(c.reply(), wire.text(), c.name());
                    } else {
                        assertEquals(c.reply(), wire.readUntil(c.reply()), c.name());
                    }
                }
            }
            assertEquals(0, resp.server().metrics().handlerFailures(), "no handler threw");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void pipelinedBinaryValuesComeBackInOrderAndMemoryIsBounded(String backend) throws Exception {
        try (Running resp = start(backend, RespLimits.defaults().withMaxMemory(64 * 1024))) {
            try (Wire wire = Wire.connect(resp.address())) {
                String value = "a\r\nb\u0000c\u00ff";
                StringBuilder batch = new StringBuilder();
                StringBuilder expected = new StringBuilder();
                for (int i = 0; i < 500; i++) {
                    batch.append("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$").append(value.length() + 3).append("\r\n")
                            .append(value).append(String.format("%03d", i)).append("\r\n")
                            .append("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
                    expected.append("+OK\r\n$").append(value.length() + 3).append("\r\n").append(value)
                            .append(String.format("%03d", i)).append("\r\n");
                }
                wire.send(batch.toString());
                assertEquals(expected.toString(), wire.readUntil(value + "499\r\n"));
            }
            try (Wire wire = Wire.connect(resp.address())) {
                String big = "x".repeat(4096);
                StringBuilder sets = new StringBuilder();
                for (int i = 0; i < 32; i++) {
                    sets.append("SET key").append(i).append(' ').append(big).append("\r\n");
                }
                wire.send(sets.toString());
                String replies = wire.readUntil("-OOM");
                assertTrue(replies.startsWith("+OK\r\n") && replies.contains(
                        "-OOM command not allowed when used memory > 'maxmemory'."), replies);
            }
        }
    }
}
