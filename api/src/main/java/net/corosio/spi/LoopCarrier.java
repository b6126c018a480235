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
 * One platform thread that carries an event loop and the handlers of that loop's connections as
 * virtual threads: a handler woken by the loop, the loop woken by a handler's write, and the
 * handler's next read all happen on this one thread, without a hop between threads.
 *
 * <p><b>How it runs.</b> The carrier is the scheduler ({@link #execute}) of every virtual thread it
 * starts: a ready thread's continuation is queued, and the carrier runs the queue in order. The
 * loop itself runs in one of three ways:
 *
 * <ul>
 *   <li><b>As a virtual thread</b> ({@link #startVirtualLoop(Runnable, Runnable)}): the carrier has a thread of its
 *       own, and the loop is one more virtual thread on it, so a handler that blocks on a lock the
 *       loop needs parks instead of holding the carrier, and the loop runs on. After each turn the
 *       loop calls {@link #yieldToHandlers()}. This suits a library's loop, whose code may take
 *       locks (Netty's); its blocking wait must be one the JDK cannot unmount (a native epoll or
 *       io_uring wait), or every wake-up goes through the JDK's poller thread.
 *   <li><b>As the carrier</b> ({@link #LoopCarrier(String, Thread, Runnable)}): the loop's own
 *       platform thread is the carrier, and it runs the ready handlers between its turns ({@link
 *       #runReady()}). This suits a loop whose code takes no lock a handler could hold (the nio
 *       backend's selector loop), and whose blocking wait ({@code Selector.select}) would
 *       unmount a virtual thread.
 *   <li><b>As a virtual thread that leaves its wait to the carrier</b> ({@link
 *       #startVirtualLoop(Runnable, IoWait)}): like the first, but the loop never blocks its
 *       carrier: when it has nothing to do it parks, and the carrier's own thread, once no virtual
 *       thread is ready, waits for the loop's I/O itself ({@link IoWait}). This suits a library's
 *       loop that takes locks a handler could hold <em>and</em> whose blocking wait a virtual thread
 *       would unmount (Jetty's {@code ManagedSelector}: its {@code Selector.select}).
 * </ul>
 *
 * <p>Every way, the loop waits for I/O only while {@link #mayBlock()}, and a task submitted from
 * another thread wakes that wait (the loop's wake-up action, or {@link IoWait#wake()}), which the
 * backend makes cheap when nothing is blocked.
 *
 * <p><b>The hazard, and how it shows.</b> A handler that blocks its carrier outside the API — CPU
 * work, a blocking call the JDK cannot unmount (file I/O, JNI, {@code synchronized} on JDK 21-23)
 * — stalls the loop and every connection on it. Each time a virtual thread other than the loop
 * holds the carrier for {@link #STALL_THRESHOLD} or longer, the carrier counts a stall ({@link
 * #stalls()}, {@link #stallNanos()}) and logs a warning naming the handler's connection (at most
 * one line a second). Virtual threads a handler starts with {@code Thread.ofVirtual()} inherit
 * its carrier, and with it this hazard.
 *
 * <p>Needs {@link VirtualThreadInternals}. Thread-safe: {@link #execute} and {@link
 * #startHandler} may be called from any thread; the methods for the loop only by the loop.
 */
public final class LoopCarrier implements Executor {

    private static final System.Logger LOG = System.getLogger(LoopCarrier.class.getName());

    /** How long a handler may hold the carrier in one go before it counts as a stall of the loop. */
    public static final Duration STALL_THRESHOLD = Duration.ofMillis(20);

    /** The most handler continuations {@link #runReady()} runs between two turns of the loop. */
    public static final int MAX_READY_PER_TURN = 1024;

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
    private volatile Runnable wakeup;
    private volatile IoWait ioWait; // null unless the loop leaves its wait for I/O to the carrier
    private volatile boolean waitingForIo; // the carrier's own thread is in ioWait.await()
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
     * Creates a carrier with a thread of its own, for a loop that runs as a virtual thread on it
     * ({@link #startVirtualLoop}).
     *
     * @param name the platform thread's name; the loop is {@code name-loop}, handlers {@code
     *     name-handler-N}
     * @throws IllegalStateException if {@link VirtualThreadInternals#require()} does
     */
    public LoopCarrier(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.virtualThreads = VirtualThreadInternals.builder(this).factory();
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::runOwnThread);
        this.wakeup = () -> {};
    }

    /**
     * Creates a carrier whose thread is the loop's own: the loop calls {@link #runReady()} after
     * each turn, {@link #mayBlock()} before it blocks, and {@link #finish} when it has stopped.
     *
     * @param name names the handlers ({@code name-handler-N}) and the carrier in messages
     * @param loopThread the loop's platform thread (not started yet, or the caller)
     * @param wakeup makes the loop's blocking wait return; called from other threads after they
     *     submit a task, so it must be cheap when the loop is not blocked
     * @throws IllegalStateException if {@link VirtualThreadInternals#require()} does
     */
    public LoopCarrier(String name, Thread loopThread, Runnable wakeup) {
        this.name = Objects.requireNonNull(name, "name");
        this.virtualThreads = VirtualThreadInternals.builder(this).factory();
        this.thread = Objects.requireNonNull(loopThread, "loopThread");
        this.wakeup = Objects.requireNonNull(wakeup, "wakeup");
    }

    /**
     * Starts the carrier's own thread and, on it, the loop as a virtual thread.
     *
     * @param loop the backend's loop: runs until the backend stops it, calling {@link
     *     #yieldToHandlers()} after each turn and {@link #mayBlock()} before it blocks
     * @param wakeup makes the loop's blocking wait return; called from other threads after they
     *     submit a task, so it must be cheap when the loop is not blocked
     */
    public void startVirtualLoop(Runnable loop, Runnable wakeup) {
        this.wakeup = Objects.requireNonNull(wakeup, "wakeup");
        start(name + "-loop", () -> {
            loopTask = current;
            loop.run();
        });
        thread.start();
    }

    /**
     * Starts the carrier's own thread and, on it, the loop as a virtual thread that never blocks
     * its carrier: when the loop has nothing to do and {@link #mayBlock()}, it asks {@code ioWait}
     * to wait for its I/O and parks; the carrier's thread, once no virtual thread is ready to run,
     * calls {@link IoWait#await()} instead of parking, and a task submitted from another thread
     * then calls {@link IoWait#wake()}. So the loop may block on a lock a handler holds (it parks,
     * the handler runs), and its blocking wait still happens in the kernel on the platform thread,
     * not through the JDK's poller.
     *
     * @param loop the backend's loop: runs until the backend stops it, calling {@link
     *     #yieldToHandlers()} after each turn
     * @param ioWait the loop's wait for I/O, performed by the carrier's thread
     */
    public void startVirtualLoop(Runnable loop, IoWait ioWait) {
        this.ioWait = Objects.requireNonNull(ioWait, "ioWait");
        startVirtualLoop(loop, () -> {}); // the carrier is never blocked but in its own wait
    }

    /**
     * A loop's wait for I/O that the carrier's own thread performs ({@link
     * #startVirtualLoop(Runnable, IoWait)}).
     */
    public interface IoWait {

        /**
         * Returns whether the loop has parked to wait for I/O: the carrier's thread then calls
         * {@link #await()} when it has nothing else to run, rather than parking.
         *
         * @return whether the loop waits for I/O
         */
        boolean pending();

        /**
         * On the carrier's thread, when no virtual thread is ready: blocks until the loop's I/O is
         * ready or {@link #wake()} is called (or spuriously), then makes the loop ready to run.
         */
        void await();

        /**
         * Makes the current or the next {@link #await()} return soon; called from any thread, after
         * a task was submitted to an idle carrier.
         */
        void wake();
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

    // ------------------------------------------------------------------ for the loop

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

    /** For a loop that is a virtual thread, after each turn: lets the handlers the turn woke run first. */
    public void yieldToHandlers() {
        if (!tasks.isEmpty()) {
            Thread.yield();
        }
    }

    /**
     * For a loop that is the carrier, after each turn: runs the handlers that are ready, up to
     * {@link #MAX_READY_PER_TURN} (the rest run after the next turn, so a flood of wake-ups cannot
     * starve I/O).
     */
    public void runReady() {
        Runnable task;
        for (int i = 0; i < MAX_READY_PER_TURN && (task = tasks.poll()) != null; i++) {
            runTask(task);
        }
    }

    /**
     * For a loop that is the carrier, once it has stopped (and aborted its connections): goes on
     * carrying the handlers until every one has ended, or until {@code limit} has passed.
     *
     * @param limit how long to wait for the handlers
     * @return whether every handler ended in time (the carrier has then ended too)
     */
    public boolean finish(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Runnable task = tasks.poll();
            if (task != null) {
                runTask(task);
            } else if (live.compareAndSet(0, ENDED)) {
                terminated = true;
                drainAfterEnd();
                return true;
            } else {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    LOG.log(System.Logger.Level.WARNING, name + ": " + live.get() + " handlers still running " + limit
                            + " after the loop stopped; they are left to the JDK's scheduler");
                    terminated = true; // from now on their continuations go to the default scheduler
                    drainAfterEnd();
                    return false;
                }
                idle.set(true);
                if (tasks.isEmpty()) {
                    LockSupport.parkNanos(this, remaining);
                }
                idle.set(false);
            }
        }
    }

    // ------------------------------------------------------------------ the scheduler

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
                if (waitingForIo) {
                    ioWait.wake();
                } else {
                    LockSupport.unpark(thread);
                }
            }
        } else if (!isCurrent()) {
            wakeup.run();
        }
    }

    /**
     * Waits for the carrier to end: its loop has returned and every handler it carried has
     * finished.
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

    // ------------------------------------------------------------------ what the loop lost

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

    // ------------------------------------------------------------------ the carrier's thread

    /** The carrier's own thread, for a loop that is a virtual thread: runs until every thread has ended. */
    private void runOwnThread() {
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
                // Published before the queue is checked, so that a submitter who then finds the
                // carrier idle wakes the wait it is in (see execute).
                IoWait io = ioWait;
                waitingForIo = io != null && io.pending();
                if (tasks.isEmpty() && live.get() > 0) {
                    if (waitingForIo) {
                        io.await();
                    } else {
                        LockSupport.park(this);
                    }
                }
                waitingForIo = false;
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
