package net.corosio;

import java.util.concurrent.Executor;

/**
 * Where a {@link Server} runs its handlers, chosen in {@link ServerOptions}: one of three ways, and
 * the lab records which.
 *
 * <ul>
 *   <li>{@link #virtualThreads()} (the default): a new virtual thread per connection, scheduled by
 *       the JDK's scheduler. On a backend with event loops, every wake-up of a handler crosses from
 *       the loop's thread to a carrier of the JDK's pool and back.
 *   <li>A platform executor (any {@link Executor}, e.g. a fixed pool), to compare schedulers. Each
 *       blocked handler holds one of its threads.
 *   <li>{@link #eventLoop()}: a virtual thread per connection <em>carried by the backend's own event
 *       loop thread</em>, so a handler woken by the loop, its write and its next read run on one
 *       thread with no hop. Off by default: it needs JDK internals (see {@link #eventLoop()}).
 * </ul>
 */
public final class HandlerExecutors {

    private static final Executor VIRTUAL_THREADS = new VirtualThreadPerTask();
    private static final Executor EVENT_LOOP = new EventLoopCarried();

    private HandlerExecutors() {}

    /**
     * Returns the executor that starts one virtual thread per handler, named {@code
     * corosio-handler-N}. It owns no resources and is never shut down.
     *
     * @return the shared virtual-thread executor
     */
    public static Executor virtualThreads() {
        return VIRTUAL_THREADS;
    }

    /**
     * Returns the choice of running each handler on a virtual thread carried by the event loop
     * that serves its connection. It is a marker, not an executor to call: a server of a backend
     * that declares {@link Capability#EVENT_LOOP_HANDLERS} recognises it and starts each handler on
     * its connection's loop.
     *
     * <p><b>Requirements.</b> The JDK has no public API for a virtual-thread scheduler, so this mode
     * uses JDK internals: the JVM must run with {@code --add-opens java.base/java.lang=ALL-UNNAMED}
     * (or {@code =net.corosio} on the module path). When that is missing, or the backend lacks the
     * capability, {@link Transport#serve} fails with an {@link IllegalStateException} that says what is
     * missing; it never falls back to another mode.
     *
     * <p><b>Hazards.</b> A handler shares its thread with the loop and every other connection on it.
     * Blocking through the API, on {@code java.util.concurrent} locks, in {@code Thread.sleep} or on
     * JDK sockets unmounts the handler and is fine; blocking its carrier outside the API is not: long
     * CPU work, file I/O and native calls the JDK cannot unmount, and on JDK 21 to 23 blocking inside
     * {@code synchronized} (which pins the virtual thread), stall the loop and every connection on it
     * for as long as they last. The backend counts such stalls and logs the handler's connection.
     *
     * @return the event-loop marker
     */
    public static Executor eventLoop() {
        return EVENT_LOOP;
    }

    /**
     * Returns whether {@code executor} is the {@link #eventLoop()} marker.
     *
     * @param executor a handler executor
     * @return whether handlers are to be carried by the event loop
     */
    public static boolean isEventLoop(Executor executor) {
        return executor == EVENT_LOOP;
    }

    /** The marker: a server that recognises it never calls it. */
    private static final class EventLoopCarried implements Executor {
        @Override
        public void execute(Runnable task) {
            throw new IllegalStateException("HandlerExecutors.eventLoop() is a marker for a server of a backend with"
                    + " capability " + Capability.EVENT_LOOP_HANDLERS + ", not an executor to run tasks on");
        }

        @Override
        public String toString() {
            return "event-loop-carried virtual threads";
        }
    }

    private static final class VirtualThreadPerTask implements Executor {
        private final Thread.Builder builder = Thread.ofVirtual().name("corosio-handler-", 0);

        @Override
        public void execute(Runnable task) {
            builder.start(task);
        }

        @Override
        public String toString() {
            return "virtual-thread-per-connection";
        }
    }
}
