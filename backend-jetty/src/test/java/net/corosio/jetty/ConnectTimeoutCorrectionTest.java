package net.corosio.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.corosio.ClientOptions;
import net.corosio.ErrorKind;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.TransportException;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Why the backend connects on the caller's thread instead of with Jetty's selector-driven
 * connect: Jetty's connect timeout is one value per {@link ClientConnector}, and the socket of a
 * connect it times out stays registered with a selector, so its descriptor stays open until that
 * selector wakes up for something else. The API needs a timeout per connection and no socket left
 * behind (rule 2.4, which the kit proves for the backend).
 */
class ConnectTimeoutCorrectionTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private InetSocketAddress silent;

    @BeforeEach
    void fillAListenQueue() throws IOException {
        ServerSocketChannel listener = track(ServerSocketChannel.open());
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
        Selector selector = track(Selector.open());
        for (int i = 0; i < 32; i++) {
            SocketChannel filler = track(SocketChannel.open());
            filler.configureBlocking(false);
            if (filler.connect(address)) {
                continue;
            }
            SelectionKey key = filler.register(selector, SelectionKey.OP_CONNECT);
            boolean answered = selector.select(500) > 0;
            selector.selectedKeys().clear();
            key.cancel();
            selector.selectNow();
            if (!answered) {
                silent = address;
                return;
            }
            filler.finishConnect();
        }
        Assumptions.abort("the platform accepts connects beyond a listener's backlog of 1");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void jettysTimedOutConnectLeavesItsSocketOpenUntilTheSelectorWakes() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd");
        ClientConnector connector = new ClientConnector();
        connector.setConnectTimeout(TIMEOUT);
        connector.start();
        try {
            Thread.sleep(100); // let the selector settle into its select()
            int before = sockets();
            CompletableFuture<Connection> result = new CompletableFuture<>();
            Map<String, Object> context = new HashMap<>();
            context.put(org.eclipse.jetty.io.Transport.CONTEXT_KEY, org.eclipse.jetty.io.Transport.TCP_IP);
            context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, Promise.from(result));
            connector.connect(silent, context);
            ExecutionException failure = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
            assertInstanceOf(SocketTimeoutException.class, failure.getCause());
            Thread.sleep(TIMEOUT.toMillis());
            assertEquals(before + 1, sockets(), "Jetty's timed-out connect still holds its socket");
        } finally {
            connector.stop();
        }
    }

    @Test
    void theBackendsTimedOutConnectLeavesNoSocket() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd");
        try (Transport transport = new JettyTransportProvider().create(TransportConfig.defaults())) {
            Thread.sleep(100);
            int before = sockets();
            long start = System.nanoTime();
            TransportException e = assertThrows(TransportException.class,
                    () -> transport.connect(silent, ClientOptions.builder().connectTimeout(TIMEOUT).build()));
            assertEquals(ErrorKind.CONNECT_TIMEOUT, e.kind());
            assertTrue(System.nanoTime() - start >= TIMEOUT.toNanos());
            assertEquals(before, sockets(), "no socket is left behind");
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private static int sockets() throws IOException {
        int count = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("socket:")) {
                        count++;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return count;
    }
}
