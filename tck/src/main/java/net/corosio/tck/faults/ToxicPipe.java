package net.corosio.tck.faults;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import net.corosio.tck.faults.LocalFaultProxy.ActiveToxic;

/**
 * One direction of a {@link ProxyLink}: a reader thread that takes what the source sends (stamped
 * with the time it arrived) into a bounded queue, and a writer thread that passes each chunk
 * through the direction's toxics, in the order they were added, to the target. The queue decouples
 * them, so a latency delays every chunk without limiting the throughput; its bound ({@value
 * #QUEUE_BYTES} bytes) holds a fast sender back through TCP.
 *
 * <p>The writer owns the toxics' per-connection state (bytes counted by a limit, a bandwidth's
 * schedule, when a timed toxic met this connection), so it needs no locking.
 */
final class ToxicPipe {

    /** The most bytes read from the source and not yet written to the target. */
    static final int QUEUE_BYTES = 128 * 1024;

    private static final int CHUNK_BYTES = 16 * 1024;

    /** What the queue carries besides chunks. */
    private sealed interface Item permits Chunk, Signal {}

    private record Chunk(ByteBuffer data, long arrivedNanos) implements Item {}

    private enum Signal implements Item {
        /** The toxics changed: recompute timers. */
        WAKE,
        /** The source sent end-of-stream. */
        END,
        /** The link is over. */
        STOP
    }

    /** What a byte-counting toxic has left after a chunk. */
    private enum Budget {
        /** Bytes may still pass. */
        LEFT,
        /** The budget is used up: the toxic acts now. */
        SPENT,
        /** The connection ended further down the chain. */
        ENDED
    }

    /** A toxic's state on this connection. */
    private static final class State {
        final long metNanos;
        long bytes;
        long nextSendNanos = Long.MIN_VALUE; // none scheduled yet

        State(long metNanos) {
            this.metNanos = metNanos;
        }
    }

    private final ProxyLink link;
    private final Direction direction;
    private final SocketChannel source;
    private final SocketChannel target;
    private final String name;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Semaphore room = new Semaphore(QUEUE_BYTES);
    private final Map<ActiveToxic, State> states = new IdentityHashMap<>();
    private final Random random = new Random();

    ToxicPipe(ProxyLink link, Direction direction, SocketChannel source, SocketChannel target, String name) {
        this.link = link;
        this.direction = direction;
        this.source = source;
        this.target = target;
        this.name = name + "-" + direction.label();
    }

    void start() {
        Thread.ofVirtual().name(name + "-reader").start(this::readLoop);
        Thread.ofVirtual().name(name + "-writer").start(this::writeLoop);
    }

    void wake() {
        queue.add(Signal.WAKE);
    }

    void stop() {
        queue.add(Signal.STOP);
        room.release(QUEUE_BYTES); // a reader waiting for room gives up
    }

    // ------------------------------------------------------------------ reader

    private void readLoop() {
        try {
            while (!link.isOver()) {
                ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES);
                int n = source.read(buffer);
                if (n < 0) {
                    queue.add(Signal.END);
                    return;
                }
                long arrived = System.nanoTime();
                room.acquire(n);
                if (link.isOver()) {
                    return;
                }
                queue.add(new Chunk(buffer.flip(), arrived));
            }
        } catch (IOException e) {
            link.failed(source);
        } catch (InterruptedException e) {
            link.reset();
        }
    }

    // ------------------------------------------------------------------ writer

    private void writeLoop() {
        try {
            while (!link.isOver()) {
                List<ActiveToxic> toxics = link.proxy().toxics(direction);
                long wait = fireTimers(toxics);
                if (link.isOver()) {
                    return;
                }
                Item item = wait == Long.MAX_VALUE ? queue.take() : queue.poll(wait, TimeUnit.NANOSECONDS);
                if (item instanceof Chunk chunk) {
                    int size = chunk.data().remaining();
                    try {
                        if (!pass(toxics, 0, chunk.data(), chunk.arrivedNanos())) {
                            return;
                        }
                    } finally {
                        room.release(size);
                    }
                } else if (item == Signal.END) {
                    endOfStream(toxics);
                    return;
                } else if (item == Signal.STOP) {
                    return;
                }
            }
        } catch (IOException e) {
            link.failed(target);
        } catch (InterruptedException e) {
            link.reset();
        }
    }

    /** Fires the timed toxics that are due; returns the nanoseconds until the next one, or MAX_VALUE. */
    private long fireTimers(List<ActiveToxic> toxics) {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (ActiveToxic active : toxics) {
            long after = switch (active.toxic()) {
                case Toxic.ResetPeer reset when reset.afterBytes() < 0 -> reset.after().toNanos();
                case Toxic.Timeout timeout when !timeout.timeout().isZero() -> timeout.timeout().toNanos();
                default -> -1;
            };
            if (after < 0) {
                continue;
            }
            long due = state(active).metNanos + after;
            if (now - due >= 0) {
                link.proxy().faultHappened();
                if (active.toxic() instanceof Toxic.ResetPeer) {
                    link.reset();
                } else {
                    link.closeBoth();
                }
                return Long.MAX_VALUE;
            }
            next = Math.min(next, due - now);
        }
        return next;
    }

    /**
     * Passes data through toxics {@code index} and on, then writes it.
     *
     * @return whether the pipe goes on (false once a toxic ended the connection)
     */
    private boolean pass(List<ActiveToxic> toxics, int index, ByteBuffer data, long arrivedNanos)
            throws IOException, InterruptedException {
        if (index == toxics.size()) {
            return write(data);
        }
        ActiveToxic active = toxics.get(index);
        State state = state(active);
        switch (active.toxic()) {
            case Toxic.Latency latency -> {
                long jitter = latency.jitter().toNanos();
                long offset = jitter == 0 ? 0 : (long) ((random.nextDouble() * 2 - 1) * jitter);
                long due = arrivedNanos + Math.max(0, latency.latency().toNanos() + offset);
                // Chunks keep their order: none leaves before the one ahead of it.
                due = Math.max(due, state.nextSendNanos);
                state.nextSendNanos = due;
                return pause(due - System.nanoTime()) && pass(toxics, index + 1, data, arrivedNanos);
            }
            case Toxic.Bandwidth bandwidth -> {
                long piece = Math.max(1, bandwidth.bytesPerSecond() / 10); // paced in tenths of a second
                while (data.hasRemaining()) {
                    int n = (int) Math.min(piece, data.remaining());
                    if (!pass(toxics, index + 1, split(data, n), arrivedNanos)) {
                        return false;
                    }
                    long now = System.nanoTime();
                    state.nextSendNanos = Math.max(state.nextSendNanos, now)
                            + n * 1_000_000_000L / bandwidth.bytesPerSecond();
                    if (!pause(state.nextSendNanos - now)) {
                        return false;
                    }
                }
                return true;
            }
            case Toxic.Slicer slicer -> {
                while (data.hasRemaining()) {
                    int variation = slicer.sizeVariation() == 0 ? 0
                            : random.nextInt(-slicer.sizeVariation(), slicer.sizeVariation() + 1);
                    int n = Math.min(data.remaining(), slicer.averageSize() + variation);
                    if (!pass(toxics, index + 1, split(data, n), arrivedNanos)) {
                        return false;
                    }
                    if (data.hasRemaining() && !pause(slicer.delay().toNanos())) {
                        return false;
                    }
                }
                return true;
            }
            case Toxic.LimitData limit -> {
                Budget budget = passUpTo(limit.bytes(), state, toxics, index, data, arrivedNanos);
                if (budget == Budget.SPENT) {
                    link.cut(direction);
                }
                return budget == Budget.LEFT;
            }
            case Toxic.ResetPeer reset -> {
                if (reset.afterBytes() < 0) {
                    return pass(toxics, index + 1, data, arrivedNanos); // timed: see fireTimers
                }
                Budget budget = passUpTo(reset.afterBytes(), state, toxics, index, data, arrivedNanos);
                if (budget == Budget.SPENT) {
                    link.proxy().faultHappened();
                    link.reset();
                }
                return budget == Budget.LEFT;
            }
            case Toxic.Timeout timeout -> {
                link.proxy().faultHappened();
                link.proxy().dropped(data.remaining());
                data.position(data.limit());
                return true;
            }
            case Toxic.SlowClose slowClose -> {
                return pass(toxics, index + 1, data, arrivedNanos);
            }
        }
    }

    /**
     * Passes on what fits under a toxic's byte budget ({@code budget} bytes over the connection's
     * life, counted in {@code state}); what does not fit is dropped.
     *
     * @return what is left of the budget: the toxic acts once it is spent
     */
    private Budget passUpTo(long budget, State state, List<ActiveToxic> toxics, int index, ByteBuffer data,
            long arrivedNanos) throws IOException, InterruptedException {
        long allowed = budget - state.bytes;
        ByteBuffer through = data.remaining() <= allowed ? data : split(data, (int) allowed);
        state.bytes += through.remaining();
        if (through.hasRemaining() && !pass(toxics, index + 1, through, arrivedNanos)) {
            return Budget.ENDED;
        }
        if (state.bytes < budget) {
            return Budget.LEFT;
        }
        link.proxy().dropped(data.remaining());
        return Budget.SPENT;
    }

    /** The source ended its stream: after any slow close, the target gets end-of-stream too. */
    private void endOfStream(List<ActiveToxic> toxics) throws IOException, InterruptedException {
        long delay = 0;
        for (ActiveToxic active : toxics) {
            if (active.toxic() instanceof Toxic.SlowClose slowClose) {
                delay += slowClose.delay().toNanos();
            }
        }
        if (delay > 0) {
            link.proxy().faultHappened();
            if (!pause(delay)) {
                return;
            }
        }
        if (!link.isCutSender(target)) {
            target.shutdownOutput();
        }
        link.outputShut(direction);
    }

    private boolean write(ByteBuffer data) throws IOException {
        if (link.isCutSender(target)) {
            link.proxy().dropped(data.remaining()); // the other way was cut: what the receiver still sends goes nowhere
            data.position(data.limit());
            return true;
        }
        int written = 0;
        while (data.hasRemaining()) {
            written += target.write(data);
        }
        link.proxy().forwarded(direction, written);
        return true;
    }

    /** Waits, unless the link ends first; returns whether it is still going. */
    private boolean pause(long nanos) throws InterruptedException {
        return !link.awaitOver(nanos);
    }

    private State state(ActiveToxic active) {
        return states.computeIfAbsent(active, a -> new State(Math.max(a.addedNanos(), link.startedNanos())));
    }

    /** Takes the next {@code n} bytes of {@code data} as their own buffer, advancing {@code data}. */
    private static ByteBuffer split(ByteBuffer data, int n) {
        ByteBuffer piece = data.slice(data.position(), n);
        data.position(data.position() + n);
        return piece;
    }
}
