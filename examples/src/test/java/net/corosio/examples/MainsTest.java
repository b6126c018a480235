package net.corosio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every example's {@code main}, as the README starts it, in a JVM of its own: it prints where it
 * listens, serves, and stops gracefully on SIGTERM; a bad command line exits 2 with the reason.
 */
class MainsTest {

    private static final long DEADLINE_S = 60;

    private static Process fork(String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"echo.EchoServer", "http.HttpServer", "resp.RespServer", "chat.ChatServer",
        "proxy.TcpProxy --target 127.0.0.1:9"})
    void startsOnTheNamedBackendPrintsItsAddressAndStopsOnSigterm(String example) throws Exception {
        String backend = Backends.names().findFirst().orElseThrow();
        String[] words = example.split(" ");
        List<String> args = new ArrayList<>(List.of(words).subList(1, words.length));
        args.addAll(List.of("--backend", backend, "--port", "0"));
        Process process = fork("net.corosio.examples." + words[0], args.toArray(String[]::new));
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    String read;
                    while ((read = out.readLine()) != null && !read.contains(Launcher.LISTENING)) {
                        // skip log lines
                    }
                    return read;
                } catch (IOException e) {
                    return null;
                }
            }).get(DEADLINE_S, TimeUnit.SECONDS);
            assertTrue(line != null && line.endsWith("(backend " + backend + ", plain)"), "printed: " + line);
            String address = line.substring(line.indexOf(Launcher.LISTENING) + Launcher.LISTENING.length()).split(" ")[0];
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            }
            process.destroy(); // SIGTERM: the shutdown hook stops the server gracefully
            if (!process.waitFor(DEADLINE_S, TimeUnit.SECONDS)) {
                fail(example + " did not stop on SIGTERM");
            }
        } finally {
            process.destroyForcibly();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--port nope", "--no-such-option", "--tls"})
    void aBadCommandLineExits2WithTheReason(String args) throws Exception {
        Process process = fork("net.corosio.examples.http.HttpServer", args.split(" "));
        try {
            String output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            }).get(DEADLINE_S, TimeUnit.SECONDS);
            assertTrue(process.waitFor(DEADLINE_S, TimeUnit.SECONDS), "exited");
            assertEquals(2, process.exitValue(), output);
            assertTrue(output.lines().anyMatch(line -> line.startsWith("http: ")), output);
        } finally {
            process.destroyForcibly();
        }
    }
}
