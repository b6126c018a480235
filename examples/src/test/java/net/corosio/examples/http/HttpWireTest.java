package net.corosio.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.corosio.examples.Running;
import net.corosio.examples.Wire;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The HTTP example on every backend under what no polite client sends: pipelined batches,
 * malformed, oversized and truncated requests, and clients that trickle or go quiet. Each gets the
 * right status or a clean close — never a crash, a hang or a reset.
 */
class HttpWireTest {

    private static final String HOST = "Host: test\r\n";

    /** A request no polite client sends, and the status it must get before the server closes. */
    private record Bad(String name, String request, boolean thenHalfClose, int status) {}

    private static final List<Bad> BAD = List.of(
            new Bad("garbage request line", "GARBAGE\r\n\r\n", false, 400),
            new Bad("HTTP/0.9 request", "GET /\r\n\r\n", false, 400),
            new Bad("two spaces", "GET  / HTTP/1.1\r\n" + HOST + "\r\n", false, 400),
            new Bad("unsupported version", "GET / HTTP/2.0\r\n" + HOST + "\r\n", false, 505),
            new Bad("control byte in target", "GET /\u0001 HTTP/1.1\r\n" + HOST + "\r\n", false, 400),
            new Bad("binary junk", "\u0000\u0001\u0002\u00ff\u00fe\r\n\r\n", false, 400),
            new Bad("missing Host", "GET / HTTP/1.1\r\n\r\n", false, 400),
            new Bad("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", false, 400),
            new Bad("obsolete line folding", "GET / HTTP/1.1\r\n" + HOST + " folded\r\n\r\n", false, 400),
            new Bad("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", false, 400),
            new Bad("bare CR in a value", "GET / HTTP/1.1\r\n" + HOST + "X-A: b\rc\r\n\r\n", false, 400),
            new Bad("malformed Content-Length", "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: 1x\r\n\r\n", false,
                    400),
            new Bad("conflicting Content-Length", "POST /echo HTTP/1.1\r\n" + HOST
                    + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", false, 400),
            new Bad("Content-Length and chunked", "POST /echo HTTP/1.1\r\n" + HOST
                    + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", false, 400),
            new Bad("gzip transfer coding", "POST /echo HTTP/1.1\r\n" + HOST
                    + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", false, 501),
            new Bad("bad chunk size", "POST /echo HTTP/1.1\r\n" + HOST
                    + "Transfer-Encoding: chunked\r\n\r\nZZ\r\n", false, 400),
            new Bad("chunk without CRLF", "POST /echo HTTP/1.1\r\n" + HOST
                    + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcXX0\r\n\r\n", false, 400),
            new Bad("huge chunk", "POST /echo HTTP/1.1\r\n" + HOST
                    + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n", false, 413),
            new Bad("huge Content-Length", "POST /echo HTTP/1.1\r\n" + HOST
                    + "Content-Length: 99999999999999999999999\r\n\r\n", false, 413),
            new Bad("unknown expectation", "GET / HTTP/1.1\r\n" + HOST + "Expect: teapot\r\n\r\n", false, 417),
            new Bad("endless request line", "GET /" + "a".repeat(20_000), false, 414),
            new Bad("endless header", "GET / HTTP/1.1\r\n" + HOST + "X-A: " + "b".repeat(20_000), false, 431),
            new Bad("too many headers", "GET / HTTP/1.1\r\n" + HOST + "X-A: b\r\n".repeat(101) + "\r\n", false, 431),
            new Bad("head cut short", "GET / HTTP/1.1\r\n" + HOST, true, 400),
            new Bad("body cut short", "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: 10\r\n\r\nabc", true, 400),
            new Bad("chunk cut short", "POST /echo HTTP/1.1\r\n" + HOST
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nab", true, 400));

    private static Running start(String backend, HttpLimits limits) throws Exception {
        return Running.start(backend, null, (t, address, options) -> HttpServer.serve(t, address, options, limits));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void pipelinedRequestsAreAnsweredInOrder(String backend) throws Exception {
        try (Running http = start(backend, HttpLimits.defaults()); Wire wire = Wire.connect(http.address())) {
            wire.send("GET /hello HTTP/1.1\r\n" + HOST + "\r\n"
                    + "HEAD /static/style.css HTTP/1.1\r\n" + HOST + "\r\n"
                    + "GET /nope HTTP/1.1\r\n" + HOST + "\r\n"
                    + "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\n\r\nhello"
                    + "POST /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\n" + HOST + "Connection: close\r\n\r\n");
            assertEquals(Wire.End.CLOSED, wire.readToEnd());
            List<Integer> statuses = new ArrayList<>();
            Matcher m = Pattern.compile("HTTP/1.1 (\\d{3}) ").matcher(wire.text());
            while (m.find()) {
                statuses.add(Integer.parseInt(m.group(1)));
            }
            assertEquals(List.of(200, 200, 404, 200, 200, 200), statuses, wire::text);
            String text = wire.text();
            assertTrue(text.indexOf("Hello, World!") < text.indexOf("404 Not Found")
                    && text.indexOf("\r\n\r\nhello") < text.indexOf("\r\n\r\nhi")
                    && text.endsWith("Connection: close\r\n\r\nHello, World!\n"), text);
            assertEquals(1, http.server().metrics().accepted());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void badRequestsGetTheirStatusThenACleanClose(String backend) throws Exception {
        try (Running http = start(backend, HttpLimits.defaults())) {
            for (Bad bad : BAD) {
                try (Wire wire = Wire.connect(http.address())) {
                    wire.send(bad.request());
                    if (bad.thenHalfClose()) {
                        wire.socket().shutdownOutput();
                    }
                    Wire.End end = wire.readToEnd();
                    String text = wire.text();
                    assertTrue(text.startsWith("HTTP/1.1 " + bad.status() + " "), () -> bad.name() + ": " + text);
                    assertTrue(text.contains("\r\nConnection: close\r\n"), () -> bad.name() + ": " + text);
                    assertEquals(Wire.End.CLOSED, end, bad.name());
                }
            }
            assertEquals(0, http.server().metrics().handlerFailures(), "no handler threw");
            try (Wire wire = Wire.connect(http.address())) {
                wire.send("GET /hello HTTP/1.1\r\n" + HOST + "\r\n");
                assertTrue(wire.readUntil("Hello, World!\n").startsWith("HTTP/1.1 200 OK"), "still serving");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void aTrickledHeadGets408AtTheHeaderDeadline(String backend) throws Exception {
        Duration headerTimeout = Duration.ofMillis(500);
        HttpLimits limits = HttpLimits.defaults().withTimeouts(Duration.ofSeconds(30), headerTimeout, Duration.ofSeconds(30));
        try (Running http = start(backend, limits); Wire wire = Wire.connect(http.address())) {
            long started = System.nanoTime();
            wire.send("GET / HTTP/1.1\r\n" + HOST);
            // Slowloris: one more header byte every 50 ms, each well within any read timeout.
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        Thread.sleep(50);
                        wire.send("X");
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed, as it should
                }
            });
            try {
                assertEquals(Wire.End.CLOSED, wire.readToEnd(Duration.ofSeconds(5)));
            } finally {
                trickle.interrupt();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(wire.text().startsWith("HTTP/1.1 408 "), wire::text);
            assertTrue(took.compareTo(headerTimeout.minusMillis(50)) >= 0 && took.compareTo(Duration.ofSeconds(3)) < 0,
                    "closed after " + took);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void idleConnectionsCloseQuietlyAndStalledBodiesGet408(String backend) throws Exception {
        HttpLimits limits = HttpLimits.defaults()
                .withTimeouts(Duration.ofMillis(600), Duration.ofSeconds(5), Duration.ofMillis(200));
        try (Running http = start(backend, limits)) {
            try (Wire silent = Wire.connect(http.address())) {
                assertEquals(Wire.End.CLOSED, silent.readToEnd(Duration.ofSeconds(5)));
                assertEquals("", silent.text(), "an idle connection is closed without a word");
            }
            try (Wire keptAlive = Wire.connect(http.address())) {
                keptAlive.send("GET /hello HTTP/1.1\r\n" + HOST + "\r\n");
                keptAlive.readUntil("Hello, World!\n");
                assertEquals(Wire.End.CLOSED, keptAlive.readToEnd(Duration.ofSeconds(5)));
            }
            try (Wire stalled = Wire.connect(http.address())) {
                stalled.send("POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: 10\r\n\r\nabc");
                assertEquals(Wire.End.CLOSED, stalled.readToEnd(Duration.ofSeconds(5)));
                assertTrue(stalled.text().startsWith("HTTP/1.1 408 "), stalled::text);
            }
        }
    }
}
