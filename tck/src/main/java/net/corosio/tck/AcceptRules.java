package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.corosio.Server;
import net.corosio.ServerMetrics;
import net.corosio.ServerOptions;
import net.corosio.TransportException;
import org.junit.jupiter.api.Assumptions;

/**
 * The rules of SPEC.md section 2 about accepting under stress: bursts beyond the backlog, running
 * out of descriptors, and a restart on the same port.
 */
public abstract class AcceptRules extends RuleGroup {

    /** The burst of 2.9, and the backlog it is far beyond. */
    private static final int BURST = 200;

    private static final int SMALL_BACKLOG = 4;

    /**
     * How long 2.9 waits for the burst before checking what the backend controls. Connections the
     * listener's full queue turned away are retried by the client's kernel after 1, 3, 7... seconds,
     * which no backend controls.
     */
    private static final Duration BURST_WAIT = Kit.scaled(Duration.ofMillis(1500));

    /** How soon a connection made after a burst must be served. */
    private static final Duration SERVED_AFTER_BURST = Kit.scaled(Duration.ofSeconds(1));

    /** Above this many, running out of descriptors would take the kit too long (and too much memory). */
    private static final long MAX_DESCRIPTORS_TO_EXHAUST = 65_536;

    /** How long 2.10 keeps the process out of descriptors while connections wait. */
    private static final Duration EXHAUSTED_WINDOW = Kit.scaled(Duration.ofMillis(500));

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected AcceptRules(TransportKit owner) {
        super(owner);
    }

    // ------------------------------------------------------------------ 2.9

    @RequiredRule
    void required_2_9_anAcceptBurstFarBeyondTheBacklogIsServedOrRefusedAndTheAcceptorServesOn() throws Exception {
        AtomicInteger started = new AtomicInteger();
        Server server = kit.serve(ServerOptions.builder().backlog(SMALL_BACKLOG).build(), c -> {
            started.incrementAndGet();
            Peer.echo(c);
        });
        int served = 0;
        List<SocketChannel> channels = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < BURST; i++) {
                SocketChannel channel = kit.track(SocketChannel.open());
                channels.add(channel);
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.setOption(StandardSocketOptions.SO_LINGER, 0); // ends with a reset, no TIME_WAIT
                try {
                    if (channel.connect(server.localAddress())) {
                        channel.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                        channel.register(selector, SelectionKey.OP_READ, i);
                    } else {
                        channel.register(selector, SelectionKey.OP_CONNECT, i);
                    }
                } catch (IOException refused) {
                    // turned away at once: refused is one of the rule's outcomes
                }
            }
            long deadline = System.nanoTime() + BURST_WAIT.toNanos();
            while (served < BURST && System.nanoTime() < deadline) {
                selector.select(20);
                for (SelectionKey key : selector.selectedKeys()) {
                    served += exchangeOneByte(key) ? 1 : 0;
                }
                selector.selectedKeys().clear();
            }
            // Closing the selector first: the JDK defers closing a channel still registered with
            // one (its reset is not sent) until the selector lets go of it.
        }
        for (SocketChannel channel : channels) {
            channel.close(); // the ones still waiting give up; the kernel is retrying them
        }
        int servedInTime = served;
        assertTrue(served >= SMALL_BACKLOG, () -> "only " + servedInTime + " of a burst of " + BURST
                + " connections against a backlog of " + SMALL_BACKLOG + " were served within " + BURST_WAIT);
        try {
            // Every connection the server took must run its handler, which sees its peer's reset.
            Kit.eventually("every connection the server accepted to have run its handler and ended", () -> {
                ServerMetrics m = server.metrics();
                return m.active() == 0 && started.get() == m.accepted() - m.rejected();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + server.metrics() + ", " + started.get()
                    + " handlers started", e);
        }
        long start = System.nanoTime();
        Socket after = kit.oracleConnect(server.localAddress());
        after.getOutputStream().write(42);
        assertEquals(42, after.getInputStream().read(), "the server must serve on after the burst");
        Duration took = Timing.since(start);
        assertTrue(took.compareTo(SERVED_AFTER_BURST) < 0, () -> "a connection made after the burst took " + took
                + " to be served: the acceptor is wedged or backed off");
    }

    /**
     * Moves one connection of the burst on: once connected it sends its number, then it waits for
     * the echo. Returns whether the echo has just arrived. A connection refused or reset is done.
     */
    private static boolean exchangeOneByte(SelectionKey key) {
        SocketChannel channel = (SocketChannel) key.channel();
        byte id = (byte) (int) (Integer) key.attachment();
        try {
            if (key.isConnectable()) {
                channel.finishConnect();
                channel.write(ByteBuffer.wrap(new byte[] {id}));
                key.interestOps(SelectionKey.OP_READ);
                return false;
            }
            ByteBuffer one = ByteBuffer.allocate(1);
            int n = channel.read(one);
            if (n == 0) {
                return false;
            }
            key.cancel();
            assertTrue(n > 0, "a connection of the burst was closed without an echo");
            assertEquals(id, one.get(0), "each connection must be echoed its own byte");
            return true;
        } catch (IOException refusedOrReset) {
            key.cancel();
            return false;
        }
    }

    // ------------------------------------------------------------------ 2.10

    @RequiredRule
    void required_2_10_theAcceptorSurvivesRunningOutOfDescriptorsWithoutSpinning() throws Exception {
        OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
        Assumptions.assumeTrue(system instanceof UnixOperatingSystemMXBean,
                "the JVM cannot count file descriptors on this platform");
        long limit = ((UnixOperatingSystemMXBean) system).getMaxFileDescriptorCount();
        Assumptions.assumeTrue(limit <= MAX_DESCRIPTORS_TO_EXHAUST, () -> "the descriptor limit (" + limit
                + ") is too high to run out of within the kit's time (at most " + MAX_DESCRIPTORS_TO_EXHAUST + ")");
        Server server = kit.serve(Peer::echo);
        Socket warm = kit.oracleConnect(server.localAddress());
        warm.getOutputStream().write(1);
        assertEquals(1, warm.getInputStream().read());
        // Opened before running out: a connect needs a descriptor on this side too.
        List<SocketChannel> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(kit.track(SocketChannel.open()));
        }
        ThreadCpu.Usage usage;
        List<FileChannel> hogs = new ArrayList<>();
        try {
            IOException exhausted = null;
            while (exhausted == null) {
                try {
                    hogs.add(FileChannel.open(Path.of("/dev/null")));
                } catch (IOException e) {
                    exhausted = e;
                }
            }
            IOException why = exhausted;
            Assumptions.assumeTrue(String.valueOf(why.getMessage()).contains("Too many open files"),
                    () -> "opening /dev/null failed, but not for want of descriptors: " + why);
            ThreadCpu window = ThreadCpu.start();
            for (SocketChannel channel : waiting) {
                channel.connect(server.localAddress()); // the kernel completes it; accepting it fails
            }
            // Not a synchronisation: the rule is about time passing with no descriptor to accept into.
            Thread.sleep(EXHAUSTED_WINDOW);
            usage = window.used();
        } finally {
            for (FileChannel hog : hogs) {
                hog.close();
            }
        }
        ThreadCpu.Usage used = usage;
        assertTrue(used.total().compareTo(EXHAUSTED_WINDOW.dividedBy(2)) < 0, () -> "while the process was out of "
                + "descriptors for " + EXHAUSTED_WINDOW + " with connections waiting, its threads used " + used
                + ": the acceptor spins");
        for (SocketChannel channel : waiting) {
            channel.socket().setSoTimeout((int) Kit.defaultWait().toMillis());
            channel.socket().getOutputStream().write(7);
            assertEquals(7, channel.socket().getInputStream().read(), "a connection that arrived while the process "
                    + "was out of descriptors must be served once they are free again");
        }
        Socket after = kit.oracleConnect(server.localAddress());
        after.getOutputStream().write(8);
        assertEquals(8, after.getInputStream().read(), "the server must serve new connections afterwards");
    }

    // ------------------------------------------------------------------ 2.11

    @RequiredRule
    void required_2_11_aServerRestartedOnItsPortBindsBesideConnectionsInTimeWait() throws Exception {
        Server first = kit.serve(c -> c.write(ByteBuffer.wrap(new byte[] {5}))); // the server closes first
        InetSocketAddress address = first.localAddress();
        for (int i = 0; i < 3; i++) {
            Socket client = kit.oracleConnect(address);
            assertEquals(5, client.getInputStream().read());
            assertEquals(-1, client.getInputStream().read());
            client.close(); // the server's side, which closed first, is left in TIME_WAIT
        }
        Kit.eventually("the handlers to finish", () -> first.metrics().active() == 0);
        first.close();
        Server second;
        try {
            second = kit.track(kit.transport().serve(address, kit.inKitMode(ServerOptions.defaults()), Peer::echo));
        } catch (TransportException e) {
            throw new AssertionError("a server restarted on " + address + ", whose connections are in TIME_WAIT, "
                    + "must bind (SO_REUSEADDR on by default): " + e, e);
        }
        Socket client = kit.oracleConnect(second.localAddress());
        client.getOutputStream().write(6);
        assertEquals(6, client.getInputStream().read(), "the restarted server must serve");
    }
}
