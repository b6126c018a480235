package net.corosio.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.corosio.examples.Certificates;
import net.corosio.examples.RealClient;
import net.corosio.examples.RealClient.Result;
import net.corosio.examples.Running;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The HTTP example under curl and wrk, on every backend: what a real client sees. */
class HttpRealClientTest {

    private static final Duration CLIENT_DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private static Running start(String backend, HttpLimits limits) throws Exception {
        return Running.start(backend, null, (t, address, options) -> HttpServer.serve(t, address, options, limits));
    }

    private static Result curl(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(
                RealClient.require("curl", "curl").toString(), "--silent", "--show-error", "--max-time", "20"));
        command.addAll(List.of(args));
        return RealClient.run(CLIENT_DEADLINE, null, command);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void curlGetsEveryRouteOverOneKeptAliveConnection(String backend) throws Exception {
        RealClient.require("curl", "curl");
        try (Running http = start(backend, HttpLimits.defaults())) {
            List<String> args = new java.util.ArrayList<>(
                    List.of("--write-out", "%{http_code} %{num_connects} %{content_type} %{size_download}\\n"));
            for (String path : List.of("/hello", "/static/index.html", "/static/style.css", "/nope", "/?query=1")) {
                args.addAll(List.of("--output", "/dev/null", http.url(path)));
            }
            Result result = curl(args.toArray(String[]::new));
            assertEquals(0, result.exitCode(), result::both);
            List<String> lines = result.out().lines().toList();
            assertEquals(List.of(
                    "200 1 text/plain; charset=utf-8 14",
                    "200 0 text/html; charset=utf-8 285",
                    "200 0 text/css; charset=utf-8 70",
                    "404 0 text/plain; charset=utf-8 14",
                    "200 0 text/plain; charset=utf-8 14"), lines, result::both);
            assertEquals(1, http.server().metrics().accepted(), "curl reused one connection for every request");
            Result body = curl(http.url("/hello"));
            assertEquals("Hello, World!\n", body.out(), body::both);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void headMethodsConnectionCloseAndHttp10AreHonoured(String backend) throws Exception {
        RealClient.require("curl", "curl");
        try (Running http = start(backend, HttpLimits.defaults())) {
            Result head = curl("--head", http.url("/hello"));
            assertTrue(head.out().startsWith("HTTP/1.1 200 OK") && head.out().contains("Content-Length: 14"),
                    head::both);
            Result delete = curl("--request", "DELETE", "--include", http.url("/hello"));
            assertTrue(delete.out().startsWith("HTTP/1.1 405") && delete.out().contains("Allow: GET, HEAD"),
                    delete::both);
            Result close = curl("--verbose", "--header", "Connection: close", http.url("/hello"));
            assertTrue(close.err().contains("< Connection: close"), close::both);
            assertTrue(close.err().contains("Closing connection"), close::both);
            Result http10 = curl("--http1.0", "--include", http.url("/hello"));
            assertTrue(http10.out().contains("Connection: close") && http10.out().endsWith("Hello, World!\n"),
                    http10::both);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void bodiesArriveIntactWithContentLengthChunkedAndExpectContinue(String backend) throws Exception {
        RealClient.require("curl", "curl");
        byte[] payload = new byte[200 * 1024];
        new Random(7).nextBytes(payload);
        Path file = Files.write(dir.resolve("payload.bin"), payload);
        Path echoed = dir.resolve("echoed.bin");
        try (Running http = start(backend, HttpLimits.defaults())) {
            for (List<String> headers : List.of(
                    List.of("Expect:"), // Content-Length, sent at once
                    List.of("Transfer-Encoding: chunked", "Expect:"),
                    List.of("Expect: 100-continue"))) {
                List<String> args = new java.util.ArrayList<>();
                headers.forEach(h -> args.addAll(List.of("--header", h)));
                args.addAll(List.of("--data-binary", "@" + file, "--output", echoed.toString(),
                        "--write-out", "%{http_code}", http.url("/echo")));
                Result result = curl(args.toArray(String[]::new));
                assertEquals("200", result.out(), () -> headers + ": " + result.both());
                assertTrue(java.util.Arrays.equals(payload, Files.readAllBytes(echoed)), headers + ": body differs");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void limitsAreAnsweredWith413And414And431AndTheServerCarriesOn(String backend) throws Exception {
        RealClient.require("curl", "curl");
        Path big = Files.write(dir.resolve("big.bin"), new byte[100 * 1024]);
        try (Running http = start(backend, HttpLimits.defaults().withMaxBody(64 * 1024).withHeadLimits(1024, 4096))) {
            String status = "--write-out";
            String code = "%{http_code}";
            Result tooLargeExpecting = curl("--output", "/dev/null", status, code, "--header", "Expect: 100-continue",
                    "--data-binary", "@" + big, http.url("/echo"));
            assertEquals("413", tooLargeExpecting.out(), tooLargeExpecting::both);
            Result tooLarge = curl("--output", "/dev/null", status, code, "--header", "Expect:",
                    "--data-binary", "@" + big, http.url("/echo"));
            assertEquals("413", tooLarge.out(), tooLarge::both);
            Result chunkedTooLarge = curl("--output", "/dev/null", status, code, "--header", "Expect:", "--header",
                    "Transfer-Encoding: chunked", "--data-binary", "@" + big, http.url("/echo"));
            assertEquals("413", chunkedTooLarge.out(), chunkedTooLarge::both);
            Result uriTooLong = curl("--output", "/dev/null", status, code, http.url("/" + "a".repeat(2000)));
            assertEquals("414", uriTooLong.out(), uriTooLong::both);
            Result headersTooLarge = curl("--output", "/dev/null", status, code, "--header", "X-Big: " + "b".repeat(5000),
                    http.url("/hello"));
            assertEquals("431", headersTooLarge.out(), headersTooLarge::both);
            Result fine = curl(http.url("/hello"));
            assertEquals("Hello, World!\n", fine.out(), fine::both);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void curlVerifiesTheServerOverTls(String backend) throws Exception {
        RealClient.require("curl", "curl");
        Certificates certificates = Certificates.writeTo(dir);
        try (Running https = Running.start(backend, certificates.serverConfig(),
                (t, address, options) -> HttpServer.serve(t, address, options, HttpLimits.defaults()))) {
            String url = "https://localhost:" + https.port();
            Result result = curl("--verbose", "--cacert", certificates.caPem().toString(), url + "/hello",
                    url + "/static/style.css");
            assertEquals(0, result.exitCode(), result::both);
            assertTrue(result.out().startsWith("Hello, World!\n") && result.out().contains("h1 {"), result::both);
            assertTrue(result.err().contains("SSL connection using TLSv1.3"), result::both);
            assertTrue(result.err().contains("SSL certificate verify ok"), result::both);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void wrkRunsWithoutErrors(String backend) throws Exception {
        String wrk = RealClient.require("wrk", "wrk").toString();
        try (Running http = start(backend, HttpLimits.defaults())) {
            Result result = RealClient.run(CLIENT_DEADLINE, wrk, "-t1", "-c16", "-d1s", "--latency", http.url("/"));
            assertEquals(0, result.exitCode(), result::both);
            Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(result.out());
            assertTrue(rate.find() && Double.parseDouble(rate.group(1)) > 100, result::both);
            assertTrue(!result.out().contains("Non-2xx") && !result.out().contains("Socket errors"), result::both);
            assertTrue(http.server().metrics().handlerFailures() == 0, () -> "handler failures: " + http.server().metrics());
        }
    }

}
