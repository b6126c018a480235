package net.corosio.lab.soak;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.corosio.tck.faults.Direction;
import net.corosio.tck.faults.FaultProxy;
import net.corosio.tck.faults.PathFault;
import net.corosio.tck.faults.StreamCheck;
import net.corosio.tck.faults.StreamPattern;
import net.corosio.tck.faults.Toxic;

/**
 * One client of a soak: over and over, it puts a random fault (or none) on its own proxy to the
 * soaked echo server, runs a random scenario through it on plain JDK sockets — echo round trips, a
 * bulk stream, connection churn, an idle pause — checks every byte that comes back, and counts the
 * outcome. A failure is expected under a fault that cuts the path (a limit, a reset, a black hole)
 * and unexpected under any other; a byte that comes back altered is damage, always.
 */
final class SoakWorker implements Runnable {

    private static final List<PathFault> FAULTS = List.of(PathFault.LATENCY, PathFault.BANDWIDTH, PathFault.SLICER,
            PathFault.LIMIT_DATA, PathFault.RESET_PEER, PathFault.TIMEOUT, PathFault.SLOW_CLOSE);
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final int BLACK_HOLE_TIMEOUT_MILLIS = 1_000;
    private static final int UNEXPECTED_KEPT = 5;

    private final FaultProxy proxy;
    private final Random random;
    private volatile boolean stopping;
    private final Map<String, Long> outcomes = new TreeMap<>();
    private final List<String> unexpected = new ArrayList<>();
    private long damaged;

    SoakWorker(FaultProxy proxy, long seed) {
        this.proxy = proxy;
        this.random = new Random(seed);
    }

    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        while (!stopping) {
            PathFault fault = random.nextBoolean() ? null : FAULTS.get(random.nextInt(FAULTS.size()));
            if (fault != null) {
                proxy.addToxic("soak", random.nextBoolean() ? Direction.UPSTREAM : Direction.DOWNSTREAM, toxic(fault));
            }
            String scenario = List.of("echo", "bulk", "churn", "idle").get(random.nextInt(4));
            boolean cutting = fault == PathFault.LIMIT_DATA || fault == PathFault.RESET_PEER || fault == PathFault.TIMEOUT;
            try {
                run(scenario, fault == PathFault.TIMEOUT ? BLACK_HOLE_TIMEOUT_MILLIS : READ_TIMEOUT_MILLIS);
                count("ok");
            } catch (IOException e) {
                if (cutting) {
                    count("cut");
                } else {
                    count("unexpected");
                    synchronized (this) {
                        if (unexpected.size() < UNEXPECTED_KEPT) {
                            unexpected.add(scenario + " under " + (fault == null ? "no fault" : fault.label()) + ": " + e);
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                if (fault != null) {
                    proxy.removeToxic("soak");
                }
            }
        }
    }

    private Toxic toxic(PathFault fault) {
        return switch (fault) {
            case LIMIT_DATA -> new Toxic.LimitData(1 + random.nextInt(64 * 1024));
            case RESET_PEER -> Toxic.ResetPeer.afterBytes(random.nextInt(64 * 1024));
            case SLOW_CLOSE -> new Toxic.SlowClose(Duration.ofMillis(100));
            default -> fault.toxic();
        };
    }

    private void run(String scenario, int readTimeoutMillis) throws IOException, InterruptedException {
        switch (scenario) {
            case "echo" -> exchange(readTimeoutMillis, 20, 4096, 0);
            case "bulk" -> exchange(readTimeoutMillis, 1, 256 * 1024, 0);
            case "churn" -> {
                for (int i = 0; i < 10; i++) {
                    exchange(readTimeoutMillis, 1, 16, 0);
                }
            }
            case "idle" -> exchange(readTimeoutMillis, 2, 64, 500 + random.nextInt(1500));
            default -> throw new IllegalArgumentException(scenario);
        }
    }

    /**
     * Connects, sends {@code rounds} messages of up to {@code maxSize} bytes of the checksummed
     * stream, each followed by its echo (pausing {@code pauseMillis} between rounds), and closes.
     */
    private void exchange(int readTimeoutMillis, int rounds, int maxSize, int pauseMillis)
            throws IOException, InterruptedException {
        InetSocketAddress address = proxy.listenAddress();
        Socket socket = new Socket();
        StreamCheck check = new StreamCheck();
        boolean clean = false;
        try {
            socket.setSoTimeout(readTimeoutMillis);
            socket.setTcpNoDelay(true);
            socket.connect(address, READ_TIMEOUT_MILLIS);
            long offset = 0;
            for (int round = 0; round < rounds; round++) {
                int size = 1 + random.nextInt(maxSize);
                ByteBuffer message = ByteBuffer.allocate(size);
                StreamPattern.fill(message, offset);
                offset += size;
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        socket.getOutputStream().write(message.array());
                    } catch (IOException e) {
                        // the read below fails the same way
                    }
                });
                byte[] echo = new byte[size];
                InputStream in = socket.getInputStream();
                for (int got = 0; got < size; ) {
                    int n = in.read(echo, got, size - got);
                    if (n < 0) {
                        throw new java.io.EOFException("the stream ended after " + got + " of " + size + " bytes");
                    }
                    check.accept(ByteBuffer.wrap(echo, got, n));
                    got += n;
                }
                writer.join();
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis); // the scenario's idle time, not a wait for an event
                }
            }
            clean = true;
        } finally {
            if (!check.isIntactPrefix()) {
                synchronized (this) {
                    damaged += check.lost() + check.duplicated() + check.corrupted();
                }
            }
            if (!clean) {
                socket.setSoLinger(true, 0);
            }
            socket.close();
        }
    }

    private synchronized void count(String outcome) {
        outcomes.merge(outcome, 1L, Long::sum);
    }

    synchronized Map<String, Long> outcomes() {
        return new TreeMap<>(outcomes);
    }

    synchronized List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    synchronized long damaged() {
        return damaged;
    }
}
