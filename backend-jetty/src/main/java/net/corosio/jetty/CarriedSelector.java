package net.corosio.jetty;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.corosio.spi.LoopCarrier;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * A Jetty selector whose select loop carries the handlers of its connections
 * ({@code HandlerExecutors.eventLoop()}): the loop (Jetty's producer, which selects, fills and
 * completes writes) runs as a virtual thread on a {@link LoopCarrier} of its own, beside the
 * handlers' virtual threads, and the carrier's platform thread does the loop's blocking select.
 *
 * <p><b>Why this shape.</b> Neither simpler one fits jetty-io:
 *
 * <ul>
 *   <li>The loop cannot <em>be</em> the carrier's platform thread (as the nio backend's is): its
 *       code takes locks a handler takes too (the end point's, the selector's update queue's,
 *       {@code SslConnection}'s, the fill loop's and the outbound queue's). A handler that parks
 *       while holding one — contended on the next lock by another thread — would leave the loop's
 *       platform thread blocked on it, and the handler, which only that thread can run again,
 *       could never release it.
 *   <li>The loop cannot block in {@code Selector.select} as a virtual thread either: the JDK
 *       unmounts it and polls the selector through its poller thread, a hand-off per wake-up,
 *       which is what this mode exists to remove.
 * </ul>
 *
 * So the loop parks instead of selecting when nothing else waits for the carrier ({@link
 * #nioSelect}), and the carrier's thread, once no virtual thread is ready, selects for it ({@link
 * LoopCarrier.IoWait}) and unparks it. A handler woken by the loop, its writes (which go straight
 * to the socket) and its next read all run on that one platform thread; the loop blocks in the
 * kernel once per wake-up, as Jetty's own loop does.
 *
 * <p><b>The loop never leaves its carrier.</b> It runs its production as a non-blocking invocation
 * ({@link Invocable#invokeNonBlocking}), so Jetty's execution strategy runs every task it produces
 * for a connection (fills and write completions, non-blocking) in the loop itself, hands any
 * blocking task to the transport's pool, and never spawns a second producer.
 */
final class CarriedSelector extends ManagedSelector implements LoopCarrier.IoWait {

    /** How long starting waits for the loop to prove it runs on the carrier. */
    private static final Duration START_CHECK_WAIT = Duration.ofSeconds(10);

    /** The selector being started on this thread: its manager hands it its producer. */
    private static final ThreadLocal<CarriedSelector> STARTING = new ThreadLocal<>();

    private final LoopCarrier carrier;
    private volatile Thread loop; // the producer's virtual thread, once started
    private volatile Selector waitingIn; // set by the loop when it parks for I/O; cleared by the carrier
    private volatile Exception selectFailure; // of the carrier's select, rethrown in the loop

    /**
     * Creates the selector and its carrier (whose thread starts with the selector).
     *
     * @param manager the carried selectors
     * @param id the selector's index
     * @param name the carrier's thread name
     * @throws IllegalStateException if the JVM cannot carry virtual threads on an event loop
     */
    CarriedSelector(CarriedSelectors manager, int id, String name) {
        super(manager, id);
        this.carrier = new LoopCarrier(name);
    }

    /**
     * Returns the carrier of this selector's loop and of its connections' handlers.
     *
     * @return the carrier
     */
    LoopCarrier carrier() {
        return carrier;
    }

    /**
     * Returns the selector whose start runs on this thread and has not yet been given its
     * producer, and forgets it: the manager's next task from this thread is something else.
     *
     * @return the selector, or {@code null}
     */
    static CarriedSelector takeStarting() {
        CarriedSelector starting = STARTING.get();
        if (starting != null) {
            STARTING.remove();
        }
        return starting;
    }

    /**
     * Starts Jetty's producer as the loop of this selector's carrier. Jetty's {@code doStart} hands
     * the producer to the manager's {@code execute}, first of all its tasks.
     *
     * @param producer the selector's production
     */
    void startLoop(Runnable producer) {
        carrier.startVirtualLoop(() -> {
            loop = Thread.currentThread();
            Invocable.invokeNonBlocking(producer);
        }, this);
    }

    @Override
    protected void doStart() throws Exception {
        STARTING.set(this);
        try {
            super.doStart();
        } finally {
            STARTING.remove();
        }
        // The whole mode rests on Jetty's producer running as the carrier's loop: check it.
        CompletableFuture<Thread> producer = new CompletableFuture<>();
        submit(selector -> producer.complete(Thread.currentThread()));
        Thread ranOn = producer.get(START_CHECK_WAIT.toNanos(), TimeUnit.NANOSECONDS);
        if (ranOn != loop) {
            throw new IllegalStateException(carrier + ": jetty-io's selector loop runs on " + ranOn + ", not as the"
                    + " loop of its carrier (jetty-io no longer hands its producer to SelectorManager.execute as it"
                    + " starts?)");
        }
    }

    /**
     * The loop's select: lets the handlers that are ready run first; then, if something still waits
     * for the carrier, polls without blocking; else parks until the carrier's thread has selected
     * for it ({@link #await()}).
     */
    @Override
    protected int nioSelect(Selector selector, boolean now) throws IOException {
        if (now || Thread.currentThread() != loop) {
            return super.nioSelect(selector, now);
        }
        carrier.yieldToHandlers();
        if (!carrier.mayBlock()) {
            return selector.selectNow();
        }
        waitingIn = selector;
        while (waitingIn != null) {
            LockSupport.park(this);
        }
        Exception failure = selectFailure;
        if (failure != null) {
            selectFailure = null;
            if (failure instanceof IOException e) {
                throw e;
            }
            throw (RuntimeException) failure;
        }
        return selector.selectedKeys().size();
    }

    // ------------------------------------------------------------------ the carrier's wait, for the loop

    @Override
    public boolean pending() {
        return waitingIn != null;
    }

    @Override
    public void await() {
        Selector selector = waitingIn;
        try {
            selector.select();
        } catch (IOException | ClosedSelectorException e) {
            selectFailure = e; // the loop handles it as Jetty does (a closed selector ends the loop)
        }
        waitingIn = null;
        LockSupport.unpark(loop);
    }

    @Override
    public void wake() {
        Selector selector = waitingIn;
        if (selector != null) {
            selector.wakeup();
        }
    }
}
