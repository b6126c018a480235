package net.corosio.spi;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The one place that reaches into JDK internals: virtual threads scheduled by an {@link Executor}
 * of our own (an event loop's carrier, {@link LoopCarrier}) instead of the JDK's ForkJoinPool, and
 * the carrier a virtual thread is mounted on. The JDK has no public API for either in 21, 25 or 26;
 * both have existed unchanged, package-private in {@code java.lang}, since virtual threads did:
 *
 * <ul>
 *   <li>{@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor scheduler)}, the builder
 *       constructor the JDK's own tests use to give virtual threads a custom scheduler;
 *   <li>{@code static Thread java.lang.Thread.currentCarrierThread()}, an intrinsic;
 *   <li>{@code java.lang.VirtualThread.DEFAULT_SCHEDULER}, the JDK's own scheduler: a virtual thread
 *       started by a virtual thread inherits its scheduler, so work that must not run on an event
 *       loop's carrier is started on this one explicitly ({@link #startUnbound}).
 * </ul>
 *
 * <p>Both need {@code java.lang} opened to this module: {@code --add-opens
 * java.base/java.lang=ALL-UNNAMED} on the class path, {@code =net.corosio} on the module path (or
 * {@code Add-Opens: java.base/java.lang} in an executable jar's manifest). Nothing here is tried
 * until a caller asks for event-loop-carried handlers, and nothing falls back silently: {@link
 * #require()} fails with an {@link IllegalStateException} naming what is missing.
 *
 * <p>Tested on the JDK the build runs on ({@code VirtualThreadInternalsTest}); the minimum is 21,
 * the first JDK with final virtual threads.
 */
public final class VirtualThreadInternals {

    /** The JVM option that makes the internals reachable from the class path. */
    public static final String ADD_OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED";

    private static final Support SUPPORT = Support.probe();

    private VirtualThreadInternals() {}

    /**
     * Returns whether virtual threads with a custom scheduler can be made in this JVM.
     *
     * @return whether {@link #require()} would succeed
     */
    public static boolean isAvailable() {
        return SUPPORT.missing == null;
    }

    /**
     * Checks that virtual threads with a custom scheduler can be made in this JVM.
     *
     * @throws IllegalStateException naming what is missing: the JDK version, or the {@code
     *     --add-opens} option
     */
    public static void require() {
        if (SUPPORT.missing != null) {
            throw new IllegalStateException(SUPPORT.missing);
        }
    }

    /**
     * Returns a builder of virtual threads that {@code scheduler} runs: each time such a thread is
     * ready to run (started, unparked, after a yield), its continuation is handed to {@code
     * scheduler.execute}, from whichever thread made it ready.
     *
     * @param scheduler runs the threads' continuations; must run each task it is given, once
     * @return a new builder
     * @throws IllegalStateException if {@link #require()} would
     */
    public static Thread.Builder.OfVirtual builder(Executor scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        require();
        try {
            return (Thread.Builder.OfVirtual) SUPPORT.builder.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual thread builder with a custom scheduler", e);
        }
    }

    /**
     * Returns the platform thread the calling thread runs on: itself for a platform thread, its
     * carrier for a mounted virtual thread.
     *
     * @return the carrier
     * @throws IllegalStateException if {@link #require()} would
     */
    public static Thread currentCarrier() {
        require();
        try {
            return (Thread) SUPPORT.currentCarrier.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.currentCarrierThread() failed", e);
        }
    }

    /**
     * Returns the JDK's default virtual-thread scheduler, which runs the virtual threads of {@code
     * Thread.ofVirtual()} started from a platform thread.
     *
     * @return the scheduler
     * @throws IllegalStateException if {@link #require()} would
     */
    public static Executor defaultScheduler() {
        require();
        return SUPPORT.defaultScheduler;
    }

    /**
     * Starts a virtual thread on the JDK's default scheduler, whatever thread calls: unlike {@code
     * Thread.ofVirtual().start(task)}, which from a virtual thread carried by an event loop would
     * give the new thread the same carrier, and its work to that loop.
     *
     * @param name the thread's name
     * @param task what it runs
     * @return the started thread
     */
    public static Thread startUnbound(String name, Runnable task) {
        if (Thread.currentThread().isVirtual() && isAvailable()) {
            return builder(SUPPORT.defaultScheduler).name(name).start(task);
        }
        return Thread.ofVirtual().name(name).start(task);
    }

    /** What this JVM offers, probed once. */
    private record Support(Constructor<?> builder, MethodHandle currentCarrier, Executor defaultScheduler,
            String missing) {

        static Support probe() {
            int feature = Runtime.version().feature();
            if (feature < 21) {
                return unavailable("event-loop-carried handlers need JDK 21 or newer; this is " + Runtime.version());
            }
            try {
                Class<?> type = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
                Constructor<?> constructor = type.getDeclaredConstructor(Executor.class);
                constructor.setAccessible(true);
                MethodHandle carrier = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                        .findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
                Field field = Class.forName("java.lang.VirtualThread").getDeclaredField("DEFAULT_SCHEDULER");
                field.setAccessible(true);
                return new Support(constructor, carrier, (Executor) field.get(null), null);
            } catch (RuntimeException | IllegalAccessException e) {
                // InaccessibleObjectException (a RuntimeException) or IllegalAccessException: not opened.
                return unavailable("event-loop-carried handlers need java.lang opened to net-corosio: start the JVM"
                        + " with " + ADD_OPENS + " (or =net.corosio on the module path); " + e.getMessage());
            } catch (ClassNotFoundException | NoSuchMethodException | NoSuchFieldException e) {
                return unavailable("event-loop-carried handlers are not supported on " + Runtime.version()
                        + ": its virtual threads cannot take a custom scheduler (" + e + ")");
            }
        }

        private static Support unavailable(String missing) {
            return new Support(null, null, null, missing);
        }
    }
}
