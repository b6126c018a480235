package net.corosio.spi;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import net.corosio.ConnectionOptions;

/**
 * The smallest backend there is, and the model of one: a {@link BridgedConnection} whose "event
 * loop" is the test. Every hook the bridge calls is written down in {@link #calls}, in order, as a
 * short word; the test plays the loop by calling {@link #loopSide()} — bytes received, the end,
 * bytes flushed, a failure, the socket closed — exactly as a real backend's loop would.
 *
 * <p>A real backend does the same with real I/O: {@code submitWrite} copies the slice into its own
 * buffer and queues it, {@code submitFlush} asks its loop to write what is queued (reporting {@code
 * flushed} as bytes leave), {@code updateReadInterest} turns socket reads off while {@code
 * loopSide().isReadPaused()}, {@code submitShutdownOutput} and {@code submitClose} run after the
 * queued writes, and {@code submitAbort} resets now. Nothing here blocks.
 */
final class ScriptedConnection extends BridgedConnection {

    /** What the bridge asked for, oldest first: write:N, flush, interest, shutdownOutput, close, abort. */
    final BlockingQueue<String> calls = new LinkedBlockingQueue<>();

    /** The bytes handed over by {@code submitWrite}, as the loop would queue them. */
    final ByteBuffer written = ByteBuffer.allocate(1 << 16);

    /** Leases taken over by {@code submitOwned} (when {@link #takesLeases}), until the test releases them. */
    final List<ChunkLease> owned = new CopyOnWriteArrayList<>();

    /** Whether this backend takes leases over without copying them (as Netty, NIO and Jetty do). */
    volatile boolean takesLeases;

    ScriptedConnection(ConnectionOptions options, TimeoutScheduler timer) {
        super("scripted", false, new InetSocketAddress("127.0.0.1", 1000), new InetSocketAddress("127.0.0.1", 2000),
                options, false, timer, new TrafficCounter());
    }

    /**
     * Waits for the bridge's next call.
     *
     * @return the call's word, or {@code null} if none came within two seconds
     */
    String nextCall() throws InterruptedException {
        return calls.poll(2, TimeUnit.SECONDS);
    }

    /** Waits for a particular call, skipping others. */
    boolean awaitCall(String word, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            String call = calls.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (call == null) {
                return false;
            }
            if (call.equals(word)) {
                return true;
            }
        }
    }

    @Override
    protected void updateReadInterest() {
        calls.add(loopSide().isReadPaused() ? "interest:off" : "interest:on");
    }

    @Override
    protected void submitWrite(ByteBuffer slice) {
        calls.add("write:" + slice.remaining());
        synchronized (written) {
            written.put(slice);
        }
    }

    @Override
    protected boolean submitOwned(ChunkLease lease) {
        if (!takesLeases) {
            return false;
        }
        calls.add("owned:" + lease.chunk().remaining());
        owned.add(lease);
        return true;
    }

    @Override
    protected void submitFlush() {
        calls.add("flush");
    }

    @Override
    protected void submitShutdownOutput() {
        calls.add("shutdownOutput");
    }

    @Override
    protected void submitClose() {
        calls.add("close");
    }

    @Override
    protected void submitAbort() {
        calls.add("abort");
    }

    @Override
    protected SSLEngine sslEngine() {
        return null;
    }
}
