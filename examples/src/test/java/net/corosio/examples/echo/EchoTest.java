package net.corosio.examples.echo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.corosio.examples.Backends;
import net.corosio.examples.Certificates;
import net.corosio.examples.RealClient;
import net.corosio.examples.Running;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The echo example on every backend: plain under a JDK socket, TLS under openssl s_client. */
class EchoTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void everyByteComesBackThenTheServerCloses(String backend) throws Exception {
        byte[] payload = new byte[1024 * 1024];
        new Random(11).nextBytes(payload);
        try (Running echo = Running.start(backend, null, EchoServer::serve); Socket socket = new Socket()) {
            socket.connect(echo.address(), 5000);
            socket.setSoTimeout((int) DEADLINE.toMillis());
            // Write and read at once: a megabyte does not fit in the socket buffers both ways.
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int i = 0; i < payload.length; i += 4096) {
                        out.write(payload, i, Math.min(4096, payload.length - i));
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    // the reader reports what went wrong
                }
            });
            byte[] echoed = socket.getInputStream().readAllBytes(); // until the server's end-of-stream
            writer.join(DEADLINE.toMillis());
            assertArrayEquals(payload, echoed);
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("backendsAndProtocols")
    void opensslSClientVerifiesTheServerAndGetsItsLineBack(String backend, String protocol) throws Exception {
        String openssl = RealClient.require("openssl", "openssl").toString();
        Certificates certificates = Certificates.writeTo(dir);
        try (Running echo = Running.start(backend, certificates.serverConfig(), EchoServer::serve)) {
            Process process = new ProcessBuilder(List.of(openssl, "s_client", "-connect", "127.0.0.1:" + echo.port(),
                    "-servername", "localhost", "-CAfile", certificates.caPem().toString(), "-verify_return_error",
                    "-verify_hostname", "localhost", "-brief", protocol.equals("TLSv1.2") ? "-tls1_2" : "-tls1_3"))
                    .start();
            try {
                BlockingQueue<String> lines = new LinkedBlockingQueue<>();
                Thread reader = Thread.ofVirtual().start(() -> readLines(process.getInputStream(), lines));
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                Thread errReader = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err));
                OutputStream stdin = process.getOutputStream();
                stdin.write("hello from openssl\n".getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
                String line = lines.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals("hello from openssl", line, () -> err.toString(StandardCharsets.UTF_8));
                stdin.close(); // s_client then sends close_notify and quits
                if (!process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    fail("openssl s_client did not quit after its input ended");
                }
                reader.join(5000);
                errReader.join(5000);
                String summary = err.toString(StandardCharsets.UTF_8);
                assertEquals(0, process.exitValue(), summary);
                assertTrue(summary.contains("Protocol version: " + protocol), summary);
                assertTrue(summary.contains("Verification: OK") && summary.contains("Verified peername: localhost"),
                        summary);
            } finally {
                process.destroyForcibly();
            }
        }
    }

    static Stream<Arguments> backendsAndProtocols() {
        return Backends.names().flatMap(backend ->
                Stream.of(Arguments.of(backend, "TLSv1.3"), Arguments.of(backend, "TLSv1.2")));
    }

    private static void readLines(InputStream in, BlockingQueue<String> lines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the process was killed
        }
    }

    private static void copy(InputStream from, ByteArrayOutputStream to) {
        try (from) {
            from.transferTo(to);
        } catch (IOException e) {
            // the process was killed
        }
    }
}
