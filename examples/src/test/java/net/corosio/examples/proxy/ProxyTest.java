package net.corosio.examples.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.zip.CRC32;
import net.corosio.ClientOptions;
import net.corosio.examples.RealClient;
import net.corosio.examples.RealClient.Result;
import net.corosio.examples.Running;
import net.corosio.examples.http.HttpLimits;
import net.corosio.examples.http.HttpServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proxy on every backend: curl through it to the HTTP example, and JDK sockets on both sides
 * for what only they can show — half-close each way, resets each way, and backpressure end to end.
 */
class ProxyTest {

    private static final int TIMEOUT_MS = 10_000;

    @TempDir
    Path dir;

    /** A plain JDK listener standing in for the target: the oracle on the far side of the proxy. */
    private static final class Target implements AutoCloseable {
        final ServerSocket listener;

        Target() throws IOException {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            listener.setSoTimeout(TIMEOUT_MS);
        }

        InetSocketAddress address() {
            return (InetSocketAddress) listener.getLocalSocketAddress();
        }

        Socket accept() throws IOException {
            Socket socket = listener.accept();
            socket.setSoTimeout(TIMEOUT_MS);
            return socket;
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    private static Running proxy(String backend, InetSocketAddress target) throws Exception {
        return Running.start(backend, null,
                (t, address, options) -> TcpProxy.serve(t, address, options, target, ClientOptions.defaults()));
    }

    private static Socket connect(Running proxy) throws IOException {
        Socket socket = new Socket();
        socket.connect(proxy.address(), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        return socket;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void curlReachesTheHttpExampleThroughTheProxy(String backend) throws Exception {
        String curl = RealClient.require("curl", "curl").toString();
        byte[] payload = new byte[300 * 1024];
        new Random(3).nextBytes(payload);
        Path file = Files.write(dir.resolve("payload.bin"), payload);
        Path echoed = dir.resolve("echoed.bin");
        try (Running http = Running.start(backend, null,
                        (t, address, options) -> HttpServer.serve(t, address, options, HttpLimits.defaults()));
                Running proxy = proxy(backend, http.address())) {
            Result hello = RealClient.run(Duration.ofSeconds(30), curl, "--silent", "--show-error",
                    proxy.url("/hello"), proxy.url("/static/style.css"));
            assertTrue(hello.out().startsWith("Hello, World!\n") && hello.out().contains("h1 {"), hello::both);
            Result echo = RealClient.run(Duration.ofSeconds(30), curl, "--silent", "--show-error", "--data-binary",
                    "@" + file, "--output", echoed.toString(), proxy.url("/echo"));
            assertEquals(0, echo.exitCode(), echo::both);
            assertArrayEquals(payload, Files.readAllBytes(echoed));
            assertEquals(2, http.server().metrics().accepted(), "one proxied connection per curl run");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void halfCloseIsPassedOnInEachDirection(String backend) throws Exception {
        try (Target target = new Target(); Running proxy = proxy(backend, target.address())) {
            // The client ends its side first; the target still answers.
            try (Socket client = connect(proxy); Socket far = target.accept()) {
                client.getOutputStream().write("request".getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();
                assertEquals("request", new String(far.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                far.getOutputStream().write("response".getBytes(StandardCharsets.US_ASCII));
                far.shutdownOutput();
                assertEquals("response", new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            }
            // The target ends its side first; the client still talks.
            try (Socket client = connect(proxy); Socket far = target.accept()) {
                far.getOutputStream().write("banner".getBytes(StandardCharsets.US_ASCII));
                far.shutdownOutput();
                assertEquals("banner", new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
                client.getOutputStream().write("late words".getBytes(StandardCharsets.US_ASCII));
                client.shutdownOutput();
                assertEquals("late words", new String(far.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void aResetIsPassedOnAsAResetInEachDirection(String backend) throws Exception {
        try (Target target = new Target(); Running proxy = proxy(backend, target.address())) {
            try (Socket client = connect(proxy); Socket far = target.accept()) {
                exchange(client, far);
                abort(client);
                assertReset(far.getInputStream(), "the target after the client reset");
            }
            try (Socket client = connect(proxy); Socket far = target.accept()) {
                exchange(client, far);
                abort(far);
                assertReset(client.getInputStream(), "the client after the target reset");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("net.corosio.examples.Backends#names")
    void aTargetThatDoesNotReadStopsTheSenderAndNothingIsLost(String backend) throws Exception {
        long cap = 96L * 1024 * 1024;
        try (Target target = new Target(); Running proxy = proxy(backend, target.address());
                SocketChannel client = SocketChannel.open(proxy.address());
                Socket far = target.accept();
                Selector selector = Selector.open()) {
            client.configureBlocking(false);
            client.register(selector, SelectionKey.OP_WRITE);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024).limit(0);
            Random random = new Random(5);
            CRC32 sent = new CRC32();
            long written = 0;
            // Write until the proxy stops taking bytes: no write possible for a whole second.
            while (written < cap) {
                if (!chunk.hasRemaining()) {
                    random.nextBytes(chunk.array());
                    chunk.clear();
                }
                int before = chunk.position();
                int n = client.write(chunk);
                sent.update(chunk.array(), before, n);
                written += n;
                if (n == 0) {
                    if (selector.select(1000) == 0) {
                        break;
                    }
                    selector.selectedKeys().clear();
                }
            }
            assertTrue(written < cap, "the sender was never held back: " + written + " bytes went in");
            // Now the target reads everything, and the sender finishes.
            CRC32 received = new CRC32();
            client.shutdownOutput();
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            InputStream in = far.getInputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                received.update(buffer, 0, n);
                total += n;
            }
            assertEquals(written, total, "every byte arrived");
            assertEquals(sent.getValue(), received.getValue(), "in order and intact");
        }
    }

    private static void exchange(Socket client, Socket far) throws IOException {
        client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ping", new String(far.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
        far.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
        assertEquals("pong", new String(client.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
    }

    /** Closes with SO_LINGER 0: the peer sees a reset (RST), not an end of stream. */
    private static void abort(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static void assertReset(InputStream in, String who) {
        SocketException reset = assertThrows(SocketException.class, () -> {
            while (in.read() >= 0) {
                // drain
            }
            throw new AssertionError(who + " saw a clean end of stream, not a reset");
        }, who);
        assertTrue(String.valueOf(reset.getMessage()).contains("reset"), () -> who + ": " + reset);
    }
}
