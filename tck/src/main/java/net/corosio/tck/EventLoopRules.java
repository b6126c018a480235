package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import net.corosio.Capability;
import net.corosio.ConnectionHandler;
import net.corosio.HandlerExecutors;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.spi.VirtualThreadInternals;
import org.junit.jupiter.api.Assumptions;

/**
 * The rules of SPEC.md section 12, handlers carried by the event loop ({@link
 * HandlerExecutors#eventLoop()}). Each test starts a transport of its own with one I/O thread, so
 * every connection of the test shares one loop, and therefore one carrier.
 */
public abstract class EventLoopRules extends RuleGroup {

    /** How long the stall test's handler holds its thread. */
    private static final Duration HOLD = Duration.ofMillis(150);

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected EventLoopRules(TransportKit owner) {
        super(owner);
    }

    /** One loop for every connection of a test; closed by the kit when the test ends. */
    private Transport oneLoop() throws Exception {
        return kit.track(kit.provider().create(kit.config().withIoThreads(1)));
    }

    private static ServerOptions onTheLoop() {
        return ServerOptions.builder().handlerExecutor(HandlerExecutors.eventLoop()).build();
    }

    /** Serves on the loop, or skips where this JVM does not open java.lang (after checking the message says so). */
    private Server serveOnTheLoop(Transport transport, ConnectionHandler handler) throws Exception {
        kit.assumeCapability(Capability.EVENT_LOOP_HANDLERS);
        if (!VirtualThreadInternals.isAvailable()) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> transport.serve(new InetSocketAddress(Kit.LOOPBACK, 0), onTheLoop(), handler));
            assertTrue(refused.getMessage().contains("--add-opens"), refused::getMessage);
            Assumptions.abort("this JVM does not open java.lang; run the kit with " + VirtualThreadInternals.ADD_OPENS);
        }
        return kit.track(transport.serve(new InetSocketAddress(Kit.LOOPBACK, 0), onTheLoop(), handler));
    }

    // ------------------------------------------------------------------ 12.1

    @RequiredRule
    void required_12_1_eventLoopHandlersRunOnTheLoopOrAreRefusedByName() throws Exception {
        Transport transport = oneLoop();
        if (!kit.provider().capabilities().contains(Capability.EVENT_LOOP_HANDLERS)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> transport.serve(new InetSocketAddress(Kit.LOOPBACK, 0), onTheLoop(), c -> {}));
            assertTrue(refused.getMessage().contains(Capability.EVENT_LOOP_HANDLERS.name()), refused::getMessage);
            assertEquals(0, transport.metrics().openServers(), "a refused server is not left open");
            return;
        }
        AtomicReference<String> seen = new AtomicReference<>();
        Server server = serveOnTheLoop(transport, c -> {
            Thread me = Thread.currentThread();
            // A virtual thread's toString names its carrier: the backend's thread, not the JDK's pool.
            seen.set((me.isVirtual() ? "virtual " : "platform ") + me);
            Peer.echo(c);
        });
        try (Socket client = kit.oracleConnect(server.localAddress())) {
            byte[] ping = kit.randomBytes(100);
            client.getOutputStream().write(ping);
            assertArrayEquals(ping, Peer.readExactly(client, ping.length), "served on the loop");
        }
        String thread = seen.get();
        assertTrue(thread.startsWith("virtual "), "handlers on the loop are virtual threads: " + thread);
        assertFalse(thread.contains("ForkJoinPool"),
                "a loop-carried handler must not run on the JDK's default scheduler: " + thread);
    }

    // ------------------------------------------------------------------ 12.2

    @RequiredRule
    void required_12_2_aHandlerBlockedOnALockOrSleepingDoesNotStopItsLoop() throws Exception {
        Transport transport = oneLoop();
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch holderHasLock = new CountDownLatch(1);
        CountDownLatch waiterBlocked = new CountDownLatch(1);
        CountDownLatch wakeSleeper = new CountDownLatch(1);
        Server server = serveOnTheLoop(transport, c -> {
            ByteBuffer role = ByteBuffer.allocate(1);
            if (c.read(role) < 0) {
                return;
            }
            switch (role.get(0)) {
                case 'H' -> { // holds the lock while it waits, parked in read, for its peer
                    lock.lock();
                    try {
                        holderHasLock.countDown();
                        c.write(ByteBuffer.wrap(new byte[] {'h'}));
                        c.read(ByteBuffer.allocate(1));
                    } finally {
                        lock.unlock();
                    }
                    c.write(ByteBuffer.wrap(new byte[] {'H'}));
                }
                case 'W' -> { // blocks on the holder's lock
                    waiterBlocked.countDown();
                    lock.lock();
                    lock.unlock();
                    c.write(ByteBuffer.wrap(new byte[] {'W'}));
                }
                case 'S' -> { // parks outside the API until the test ends
                    wakeSleeper.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS);
                    c.write(ByteBuffer.wrap(new byte[] {'S'}));
                }
                default -> Peer.echo(c);
            }
        });
        try (Socket holder = kit.oracleConnect(server.localAddress());
                Socket waiter = kit.oracleConnect(server.localAddress());
                Socket sleeper = kit.oracleConnect(server.localAddress());
                Socket echo = kit.oracleConnect(server.localAddress())) {
            holder.getOutputStream().write('H');
            assertEquals('h', holder.getInputStream().read(), "the holder took the lock");
            assertTrue(holderHasLock.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS));
            waiter.getOutputStream().write('W');
            assertTrue(waiterBlocked.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS));
            sleeper.getOutputStream().write('S');
            // With one handler blocked on a lock and another asleep, the loop still serves.
            echo.setSoTimeout((int) Kit.defaultWait().toMillis());
            byte[] ping = kit.randomBytes(64);
            echo.getOutputStream().write('E');
            echo.getOutputStream().write(ping);
            assertArrayEquals(ping, Peer.readExactly(echo, ping.length),
                    "a connection on the same loop is served while one handler waits on a lock and one sleeps");
            // Releasing the lock lets the blocked handler go on.
            holder.setSoTimeout((int) Kit.defaultWait().toMillis());
            waiter.setSoTimeout((int) Kit.defaultWait().toMillis());
            holder.getOutputStream().write('x');
            assertEquals('H', holder.getInputStream().read(), "the holder went on");
            assertEquals('W', waiter.getInputStream().read(), "the waiter got the lock once it was released");
        } finally {
            wakeSleeper.countDown();
        }
    }

    // ------------------------------------------------------------------ 12.3

    @RequiredRule
    void required_12_3_aHandlerHoldingItsThreadIsCountedAsAStallAndTheLoopGoesOn() throws Exception {
        Transport transport = oneLoop();
        CountDownLatch holding = new CountDownLatch(1);
        Server server = serveOnTheLoop(transport, c -> {
            ByteBuffer role = ByteBuffer.allocate(1);
            if (c.read(role) < 0) {
                return;
            }
            if (role.get(0) == 'B') {
                holding.countDown();
                long until = System.nanoTime() + HOLD.toNanos();
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // CPU work: the carrier is held, the loop cannot run
                }
                c.write(ByteBuffer.wrap(new byte[] {'B'}));
            } else {
                Peer.echo(c);
            }
        });
        assertEquals(0, transport.metrics().loopStalls(), "no stall before any handler held its thread");
        try (Socket busy = kit.oracleConnect(server.localAddress());
                Socket other = kit.oracleConnect(server.localAddress())) {
            other.setSoTimeout((int) Kit.defaultWait().toMillis());
            busy.setSoTimeout((int) Kit.defaultWait().toMillis());
            other.getOutputStream().write('E'); // its handler is running before the busy one starts
            other.getOutputStream().write(1);
            assertEquals(1, other.getInputStream().read());
            busy.getOutputStream().write('B');
            assertTrue(holding.await(Kit.defaultWait().toMillis(), TimeUnit.MILLISECONDS));
            other.getOutputStream().write(2);
            assertEquals(2, other.getInputStream().read(), "the loop serves its other connections once the hold ends");
            assertEquals('B', busy.getInputStream().read());
        }
        Kit.eventually("the hold is counted as a stall of the loop", () -> transport.metrics().loopStalls() >= 1);
        assertTrue(transport.metrics().loopStallTime().compareTo(HOLD.dividedBy(2)) >= 0,
                "the time lost is counted: " + transport.metrics().loopStallTime());
    }
}
