package net.corosio.spi;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One platform thread that carries an event loop and the handlers of that loop's connections, all
 * as virtual threads: a handler woken by the loop, the loop woken by a handler's write, and the
 * handler's next read all happen on this one thread, without a hop between threads.
 *
 * <p><b>How it runs.</b> The carrier is the scheduler ({@link #execute}) of every virtual thread
 * it starts: a ready thread's continuation is queued, and the carrier runs the queue in order. The
 * backend's loop ({@link #startLoop}) is itself one of those virtual threads, so a handler that
 * blocks on a lock the loop needs parks instead of holding the carrier, and the loop runs on. After
 * each turn the loop calls {@link #yieldToHandlers()}, which lets every handler the turn woke run
 * before the next turn; before blocking for I/O the loop asks {@link #mayBlock()}, and a task
 * submitted from another thread meanwhile calls the loop's wake-up action, which the backend makes
 * cheap when the loop is not blocked.
 *
 * <p><b>The hazard, and how it shows.</b> A handler that blocks its carrier outside the API — CPU
 * work, a blocking call the JDK cannot unmount (file I/O, JNI, {@code synchronized} on JDK 21-23)
 * — stalls the loop and every connection on it. Each time a virtual thread other than the loop
 * holds the carrier for {@link #STALL_THRESHOLD} or longer, the carrier counts a stall ({@link
 * #stalls()}, {@link #stallNanos()}) and logs a warning naming the handler's connection (at most
 * one line a second).
 *
 * <p>Needs {@link VirtualThreadInternals}. Thread-safe: {@link #execute} and {@link #start} may be
 * called from any thread.
 */
public final class LoopCarrier implements Executor {

    private static final System.Logger LOG = System.getLogger(LoopCarrier.class.getName());

    /** How long a handler may hold the carrier in one go before it counts as a stall of the loop. */
    public static final Duration STALL_THRESHOLD = Duration.ofMillis(20);

    private static final int ENDED = -1;
    private static final long STALL_NANOS = STALL_THRESHOLD.toNanos();
    private static final long LOG_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final String name;
    private final Thread thread;
    private final ThreadFactory virtualThreads;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean idle = new AtomicBoolean();
    /** The virtual threads started here that have not ended, or {@link #ENDED} once the carrier has. */
    private final AtomicInteger live = new AtomicInteger();
    private final AtomicInteger handlerNumbers = new AtomicInteger();
    private volatile Runnable wakeup = () -> {};
    private volatile boolean terminated;

    // Carrier-confined: read and written only on the carrier thread (by it, or by a virtual thread
    // mounted on it).
    private final Map<Runnable, String> labels = new IdentityHashMap<>();
    private Runnable current;
    private Runnable loopTask;
    private long lastLog;
    private long unlogged;

    // Written by the carrier thread alone; read by anyone.
    private volatile long stalls;
    private volatile long stallNanos;
    private volatile long handlerNanos;

    /**
     * Creates a carrier; its thread starts with {@link #startLoop}.
     *
     * @param name the platform thread's name; the loop is {@code name-loop}, handlers {@code
     *     name-handler-N}
     * @throws IllegalStateException if {@link VirtualThreadInternals#require()} does
     */
    public LoopCarrier(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.virtualThreads = VirtualThreadInternals.builder(this).factory();
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    }

    /**
     * Starts the carrier's thread and, on it, the loop as a virtual thread.
     *
     * @param loop the backend's loop: runs until the backend stops it, calling {@link
     *     #yieldToHandlers()} after each turn and {@link #mayBlock()} before it blocks
     * @param wakeup makes the loop's blocking wait return; called from other threads after they
     *     submit a task, so it must be cheap when the loop is not blocked
     */
    public void startLoop(Runnable loop, Runnable wakeup) {
        this.wakeup = Objects.requireNonNull(wakeup, "wakeup");
        start(name + "-loop", () -> {
            loopTask = current;
            loop.run();
        });
        thread.start();
    }

    /**
     * Starts a handler as a virtual thread on this carrier.
     *
     * @param connection names the handler in the stall warning
     * @param task the handler's work
     * @throws RejectedExecutionException if the carrier has ended
     */
    public void startHandler(Object connection, Runnable task) {
        start(name + "-handler-" + handlerNumbers.incrementAndGet(), () -> {
            labels.put(current, String.valueOf(connection));
            try {
                task.run();
            } finally {
                labels.remove(current);
            }
        });
    }

    private void start(String threadName, Runnable task) {
        Thread started = virtualThreads.newThread(() -> {
            try {
                task.run();
            } finally {
                live.decrementAndGet();
            }
        });
        started.setName(threadName);
        int n;
        do {
            n = live.get();
            if (n == ENDED) {
                throw new RejectedExecutionException(name + " has ended");
            }
        } while (!live.compareAndSet(n, n + 1));
        try {
            started.start();
        } catch (RuntimeException e) {
            live.decrementAndGet();
            throw e;
        }
    }

    /**
     * Returns whether the calling thread runs on this carrier: the carrier itself, its loop, or
     * one of its handlers while mounted.
     *
     * @return whether the caller is on this carrier
     */
    public boolean isCurrent() {
        return VirtualThreadInternals.currentCarrier() == thread;
    }

    /**
     * For the loop, before it blocks for I/O: whether nothing else waits to run on the carrier.
     * The loop must first publish that it is about to block (so that {@link #execute} from another
     * thread calls the wake-up action), then ask this.
     *
     * @return whether the loop may block
     */
    public boolean mayBlock() {
        return tasks.isEmpty();
    }

    /** For the loop, after each turn: lets the handlers the turn made ready run first. */
    public void yieldToHandlers() {
        if (!tasks.isEmpty()) {
            Thread.yield();
        }
    }

    /**
     * Queues a ready virtual thread's continuation; the JDK calls this. From another thread, it
     * also wakes the carrier or the loop. Once the carrier has ended, the continuation goes to the
     * JDK's default scheduler.
     *
     * @param task a continuation
     */
    @Override
    public void execute(Runnable task) {
        if (terminated) {
            // A virtual thread a handler started inherited this carrier without being counted, and
            // outlived it: the JDK's own scheduler carries it from now on.
            VirtualThreadInternals.defaultScheduler().execute(task);
            return;
        }
        tasks.add(task);
        if (terminated && tasks.remove(task)) {
            // The carrier ended between the check above and the add, and may not look again.
            VirtualThreadInternals.defaultScheduler().execute(task);
            return;
        }
        if (idle.get()) {
            if (idle.getAndSet(false)) {
                LockSupport.unpark(thread);
            }
        } else if (!isCurrent()) {
            wakeup.run();
        }
    }

    /**
     * Waits for the carrier's thread to end: the loop has returned and every handler it carried
     * has finished.
     *
     * @param limit how long to wait
     * @return whether it ended in time
     */
    public boolean awaitTermination(Duration limit) {
        if (thread.getState() == Thread.State.NEW || isCurrent()) {
            return true;
        }
        try {
            return thread.join(limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !thread.isAlive();
        }
    }

    /**
     * Returns how often a handler held the carrier for {@link #STALL_THRESHOLD} or longer.
     *
     * @return the stalls so far
     */
    public long stalls() {
        return stalls;
    }

    /**
     * Returns the loop time lost to stalls: the total time of every stall.
     *
     * @return nanoseconds
     */
    public long stallNanos() {
        return stallNanos;
    }

    /**
     * Returns the time the carrier spent running handlers (everything but the loop).
     *
     * @return nanoseconds
     */
    public long handlerNanos() {
        return handlerNanos;
    }

    private void run() {
        while (true) {
            Runnable task = tasks.poll();
            if (task != null) {
                runTask(task);
            } else if (live.compareAndSet(0, ENDED)) {
                terminated = true;
                drainAfterEnd();
                return;
            } else {
                idle.set(true);
                if (tasks.isEmpty() && live.get() > 0) {
                    LockSupport.park(this);
                }
                idle.set(false);
            }
        }
    }

    private void runTask(Runnable task) {
        long start = System.nanoTime();
        current = task;
        try {
            task.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, name + ": a virtual thread's continuation failed", t);
        }
        current = null;
        if (task == loopTask) {
            return;
        }
        long took = System.nanoTime() - start;
        handlerNanos += took;
        if (took >= STALL_NANOS) {
            stalls++;
            stallNanos += took;
            reportStall(task, took);
        }
    }

    private void reportStall(Runnable task, long took) {
        long now = System.nanoTime();
        if (lastLog != 0 && now - lastLog < LOG_INTERVAL_NANOS) {
            unlogged++;
            return;
        }
        String label = labels.get(task);
        long more = unlogged;
        lastLog = now;
        unlogged = 0;
        LOG.log(System.Logger.Level.WARNING, () -> name + ": " + (label != null ? "the handler of " + label : "a virtual thread")
                + " held the event loop's carrier for " + Duration.ofNanos(took).toMillis() + " ms: every connection"
                + " of this loop waited (blocking outside the API: CPU work, file I/O, JNI, or synchronized on JDK 21-23)"
                + (more > 0 ? "; " + more + " more stalls since the last report" : ""));
    }

    /** Runs what was submitted in the instant before {@code terminated} was seen. */
    private void drainAfterEnd() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            runTask(task);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
