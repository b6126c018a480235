package net.corosio.nio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import net.corosio.spi.LoopCarrier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector on one platform thread: waits for readiness, hands each ready key to its {@link
 * KeyHandler}, and runs the tasks other threads submit. Everything that touches a registered
 * channel or its key (registering, interest changes, reads, writes, closing) runs here, so none of
 * it needs a lock; other threads only {@link #execute} tasks.
 *
 * <p><b>Wake-ups.</b> A task submitted from another thread must wake the selector only when it is
 * blocked in {@code select} (or about to be): {@code Selector.wakeup()} is a system call (a write
 * to an eventfd), and paying it for every {@code write()} while the loop is busy anyway would cost
 * more than the write. The loop raises {@code sleeping} before it checks its queue and selects;
 * the first submitter to lower it calls {@code wakeup()}. A submitter that finds it lowered knows
 * the loop is awake and will look at the queue before it selects again, because it raises the flag
 * before looking.
 *
 * <p>The loop never blocks except in {@code select}: handlers and tasks must not block.
 *
 * <p><b>Carrying handlers.</b> A loop made to carry handlers ({@code HandlerExecutors.eventLoop()})
 * is itself the {@link LoopCarrier} of its connections' handlers: after each turn it runs the
 * handlers the turn woke ({@link LoopCarrier#runReady()}), on its own thread, and it blocks in
 * {@code select} only while none waits. The loop stays a platform thread rather than a virtual one
 * because {@code Selector.select} in a virtual thread parks through the JDK's poller thread, a
 * hand-off per wake-up, and because its code takes no lock a handler could hold. While a handler
 * runs, the loop is between turns, <em>at rest</em>: the handler may touch the loop's channels
 * directly ({@link #isAtRestUnderCaller()}), as the loop would.
 */
final class SelectorLoop {

    private static final Logger LOG = LoggerFactory.getLogger(SelectorLoop.class);

    /**
     * The per-loop read buffer's size. Reads go into this one direct buffer and are then copied
     * into a heap chunk ({@link InboundChunks}): a direct buffer spares the JDK's own hidden copy
     * through a temporary direct buffer, and one buffer per loop rather than per connection means
     * an idle connection holds no read buffer at all.
     */
    private static final int READ_BUFFER_SIZE = InboundChunks.FULL;

    /**
     * The most tasks run between two selects, so a flood of tasks (writes from many threads)
     * cannot starve readiness; the rest run after the next (non-blocking) select.
     */
    private static final int MAX_TASKS_PER_TURN = 1024;

    /** How long a loop that carries handlers goes on carrying them once it has stopped. */
    private static final Duration HANDLER_EXIT_WAIT = Duration.ofSeconds(3);

    /** The most buffers one gathering write hands to the kernel. */
    private static final int GATHER_SIZE = 16;

    private final String name;
    private final Selector selector;
    private final Thread thread;
    private final LoopCarrier carrier; // null for a loop that carries no handlers
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>(); // many producers, one consumer
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final Consumer<SelectionKey> dispatch = this::dispatch;
    private final ByteBuffer[] gather = new ByteBuffer[GATHER_SIZE]; // loop-confined
    private ByteBuffer readBuffer; // loop-confined; allocated on first use (the acceptor never reads)
    private ByteBuffer plaintextBuffer = ByteBuffer.allocate(0); // loop-confined; TLS decryption target
    private volatile boolean stopping;
    private volatile boolean terminated;
    private boolean atRest; // carrier-confined

    /**
     * Opens the selector; the thread starts with {@link #start()}.
     *
     * @param name the thread's name, {@code corosio-nio-...}
     * @throws IOException if the selector cannot be opened
     */
    SelectorLoop(String name) throws IOException {
        this(name, false);
    }

    /**
     * Opens the selector of a loop that may carry its connections' handlers.
     *
     * @param name the loop's name
     * @param carriesHandlers whether the loop is the {@link LoopCarrier} of its handlers
     * @throws IOException if the selector cannot be opened
     * @throws IllegalStateException if handlers are to be carried and the JVM does not allow it
     */
    SelectorLoop(String name, boolean carriesHandlers) throws IOException {
        this.name = name;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
        this.carrier = carriesHandlers ? new LoopCarrier(name, thread, this::wakeUpIfSleeping) : null;
        this.selector = Selector.open();
    }

    void start() {
        thread.start();
    }

    /**
     * Returns the carrier of this loop's handlers: the loop's own thread.
     *
     * @return the carrier, or {@code null} for a loop that carries no handlers
     */
    LoopCarrier carrier() {
        return carrier;
    }

    /**
     * Returns whether the caller runs on this loop's carrier while the loop is between turns: it
     * may then touch the loop's channels directly, as the loop would.
     *
     * @return whether the caller may act for the loop now
     */
    boolean isAtRestUnderCaller() {
        return carrier != null && atRest && carrier.isCurrent();
    }

    /** Closes the selector of a loop that was never started. */
    void closeUnstarted() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.warn("{}: closing the selector failed", name, e);
        }
    }

    /**
     * Returns whether the caller is this loop's thread.
     *
     * @return whether the caller may touch this loop's channels directly
     */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on the loop, after the tasks submitted before it. Never blocks.
     *
     * @param task a short, non-blocking task
     * @return {@code false} if the loop has stopped and the task will never run (the caller then
     *     releases what the task would have touched itself)
     */
    boolean execute(Runnable task) {
        tasks.add(task);
        if (terminated) {
            // The loop may have taken its last look at the queue: if the task is still there it
            // never will run, and it is ours to take back. If it is gone, the loop ran it.
            return !tasks.remove(task);
        }
        wakeUpIfSleeping();
        return true;
    }

    private void wakeUpIfSleeping() {
        if (sleeping.get() && sleeping.getAndSet(false)) {
            selector.wakeup();
        }
    }

    /**
     * Registers a channel with this loop's selector; call on the loop.
     *
     * @param channel a non-blocking channel
     * @param ops the initial interest set
     * @param handler what handles its readiness
     * @return the key
     * @throws IOException if the channel is closed
     */
    SelectionKey register(SelectableChannel channel, int ops, KeyHandler handler) throws IOException {
        assert inLoop();
        return channel.register(selector, ops, handler);
    }

    /**
     * Completes the deregistration of cancelled keys now, so that channels closed while registered
     * are really closed (the JDK defers closing a registered channel's descriptor until its key
     * is deregistered, which happens in the next select). Call on the loop, from a task.
     */
    void flushCancelledKeys() {
        assert inLoop();
        try {
            selector.selectNow(dispatch);
        } catch (IOException e) {
            LOG.warn("{}: selectNow failed", name, e);
        }
    }

    /**
     * Returns the loop's direct read buffer, cleared. Loop-confined: valid until the caller
     * returns to the loop.
     *
     * @return the buffer
     */
    ByteBuffer readBuffer() {
        if (readBuffer == null) {
            readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
        }
        return readBuffer.clear();
    }

    /**
     * Returns the loop's plaintext buffer for TLS decryption, cleared, with room for at least
     * {@code size} bytes (so the engine decrypts a whole record straight into it). Loop-confined.
     *
     * @param size the engine's application buffer size
     * @return the buffer
     */
    ByteBuffer plaintextBuffer(int size) {
        if (plaintextBuffer.capacity() < size) {
            plaintextBuffer = ByteBuffer.allocate(size);
        }
        return plaintextBuffer.clear();
    }

    /**
     * Returns the loop's array for gathering writes, all {@code null}. Loop-confined: the caller
     * puts its buffers in, writes, and clears the slots it used before returning to the loop.
     *
     * @return the array
     */
    ByteBuffer[] gatherArray() {
        return gather;
    }

    /** Asks the loop to stop: it runs the tasks already submitted, releases every channel, and ends. */
    void shutdown() {
        stopping = true;
        selector.wakeup();
    }

    /**
     * Waits for the loop's thread to end.
     *
     * @param limit how long to wait
     */
    void awaitTermination(Duration limit) {
        if (inLoop()) {
            return;
        }
        try {
            if (!thread.join(limit)) {
                LOG.warn("{} still running {} after it was asked to stop", name, limit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!stopping) {
                sleeping.set(true);
                if (tasks.isEmpty() && !stopping && (carrier == null || carrier.mayBlock())) {
                    selector.select(dispatch);
                } else {
                    selector.selectNow(dispatch);
                }
                sleeping.set(false);
                runTasks(MAX_TASKS_PER_TURN);
                if (carrier != null) {
                    atRest = true;
                    carrier.runReady();
                    atRest = false;
                }
            }
        } catch (Throwable t) {
            LOG.error("{} failed; releasing its channels", name, t);
        } finally {
            terminate();
        }
    }

    private void dispatch(SelectionKey key) {
        KeyHandler handler = (KeyHandler) key.attachment();
        try {
            if (key.isValid()) {
                handler.ready(key.readyOps());
            }
        } catch (RuntimeException e) {
            // A bug in a handler must not take the loop, and every other connection, down with it.
            LOG.error("{}: a key handler failed: {}", name, handler, e);
        }
    }

    private void runTasks(int max) {
        Runnable task;
        for (int i = 0; i < max && (task = tasks.poll()) != null; i++) {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("{}: a task failed", name, e);
            }
        }
    }

    /** The loop's last turn: the queued tasks (aborts, closes), then every channel still registered. */
    private void terminate() {
        terminated = true;
        runTasks(Integer.MAX_VALUE);
        for (SelectionKey key : selector.keys()) {
            try {
                ((KeyHandler) key.attachment()).loopClosed();
            } catch (RuntimeException e) {
                LOG.error("{}: releasing a channel failed", name, e);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.warn("{}: closing the selector failed", name, e);
        }
        if (carrier != null) {
            // Their connections are closed: the handlers end as soon as they run, here.
            carrier.finish(HANDLER_EXIT_WAIT);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
