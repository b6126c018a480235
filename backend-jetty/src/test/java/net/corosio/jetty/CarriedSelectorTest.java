package net.corosio.jetty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.HandlerExecutors;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.spi.VirtualThreadInternals;
import org.junit.jupiter.api.Test;

/**
 * The two properties the carried selector is built for ({@link CarriedSelector}), on one selector:
 * Jetty's loop is a virtual thread of the carrier that runs the handlers, and it may block on a lock
 * that a parked handler holds without stopping the server (a loop that was the carrier's platform
 * thread itself would wait forever for a handler only it can run).
 */
class CarriedSelectorTest {

    private static final long WAIT_SECONDS = 10;

    @Test
    void jettysLoopIsAVirtualThreadOfTheCarrierThatRunsTheHandlers() throws Exception {
        try (Transport transport = oneSelector()) {
            CompletableFuture<Thread> handlerCarrier = new CompletableFuture<>();
            Server server = serveOnTheLoop(transport, c -> {
                handlerCarrier.complete(VirtualThreadInternals.currentCarrier());
                echo(c);
            });
            try (Socket client = connect(server)) {
                assertEchoes(client);
                CompletableFuture<Thread> loop = new CompletableFuture<>();
                CompletableFuture<Thread> loopCarrier = new CompletableFuture<>();
                theSelector(transport).submit(selector -> {
                    loop.complete(Thread.currentThread());
                    loopCarrier.complete(VirtualThreadInternals.currentCarrier());
                });
                assertTrue(loop.get(WAIT_SECONDS, TimeUnit.SECONDS).isVirtual(), "the loop is a virtual thread");
                assertSame(handlerCarrier.get(WAIT_SECONDS, TimeUnit.SECONDS), loopCarrier.get(),
                        "the loop and the handler share one carrier");
            }
        }
    }

    @Test
    void theLoopBlockedOnALockAParkedHandlerHoldsGoesOnOnceTheHandlerReleasesIt() throws Exception {
        try (Transport transport = oneSelector()) {
            ReentrantLock lock = new ReentrantLock();
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Server server = serveOnTheLoop(transport, c -> {
                ByteBuffer role = ByteBuffer.allocate(1);
                if (c.read(role) > 0 && role.get(0) == 'H') {
                    lock.lock(); // held while the handler parks below, unmounted from the carrier
                    try {
                        holding.countDown();
                        release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    } finally {
                        lock.unlock();
                    }
                    c.write(ByteBuffer.wrap(new byte[] {'H'}));
                }
                echo(c);
            });
            try (Socket holder = connect(server)) {
                holder.getOutputStream().write('H');
                assertTrue(holding.await(WAIT_SECONDS, TimeUnit.SECONDS), "the handler took the lock");
                CompletableFuture<Void> loopGotTheLock = new CompletableFuture<>();
                theSelector(transport).submit(selector -> {
                    lock.lock(); // on the loop: blocks until the parked handler has run again
                    lock.unlock();
                    loopGotTheLock.complete(null);
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
                while (!lock.hasQueuedThreads() && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertTrue(lock.hasQueuedThreads(), "the loop waits for the lock");
                release.countDown(); // makes the handler ready: only the carrier can run it
                loopGotTheLock.get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertEquals('H', holder.getInputStream().read(), "the handler went on");
                try (Socket other = connect(server)) {
                    other.getOutputStream().write('E');
                    assertEchoes(other);
                }
            } finally {
                release.countDown();
            }
        }
    }

    private static Transport oneSelector() throws IOException {
        return new JettyTransportProvider().create(TransportConfig.defaults().withIoThreads(1));
    }

    private static Server serveOnTheLoop(Transport transport, ConnectionHandler handler) throws IOException {
        ServerOptions options = ServerOptions.builder().handlerExecutor(HandlerExecutors.eventLoop()).build();
        return transport.serve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options, handler);
    }

    private static CarriedSelector theSelector(Transport transport) throws IOException {
        List<CarriedSelector> selectors =
                List.copyOf(((JettyTransport) transport).io().carriedServers().getBeans(CarriedSelector.class));
        assertEquals(1, selectors.size(), "one carried selector");
        return selectors.get(0);
    }

    private static Socket connect(Server server) throws IOException {
        Socket socket = new Socket();
        socket.connect(server.localAddress(), (int) Duration.ofSeconds(WAIT_SECONDS).toMillis());
        socket.setSoTimeout((int) Duration.ofSeconds(WAIT_SECONDS).toMillis());
        return socket;
    }

    private static void echo(Connection c) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        while (c.read(buffer.clear()) >= 0) {
            c.write(buffer.flip());
        }
    }

    private static void assertEchoes(Socket client) throws IOException {
        byte[] ping = {1, 2, 3, 4, 5};
        client.getOutputStream().write(ping);
        assertArrayEquals(ping, client.getInputStream().readNBytes(ping.length), "echoed");
    }
}
