package net.corosio.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ManualIoEventLoop;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.corosio.spi.LoopCarrier;

/**
 * Event loops that carry handlers ({@code HandlerExecutors.eventLoop()}): each is a Netty {@link
 * ManualIoEventLoop} driven by a virtual thread on its own {@link LoopCarrier}, beside the virtual
 * threads of its connections' handlers. A handler the loop wakes runs on the same platform thread
 * right after the loop's turn; the writes it makes are tasks of the loop, written and flushed in
 * the next turn, which comes as soon as the handler parks.
 *
 * <p>The loop blocks in the kernel (epoll, io_uring, a selector) only while nothing else waits for
 * the carrier ({@link #canBlock}), and a task submitted from another thread wakes it the way Netty
 * always does, cheaply when the loop is not blocked.
 *
 * <p>Why not a {@code MultiThreadIoEventLoopGroup}: it listens to each loop's termination future,
 * which a {@code ManualIoEventLoop} completes on Netty's global executor, whose thread would come
 * and linger after every transport (see {@link EventLoops}).
 */
final class CarriedEventLoops extends AbstractEventExecutorGroup implements IoEventLoopGroup {

    private final List<Loop> loops;
    private final LoopCarrier[] carriers;
    private final AtomicInteger next = new AtomicInteger();
    private final Promise<Void> terminated = ImmediateEventExecutor.INSTANCE.newPromise();

    /**
     * Starts the loops, each on its carrier.
     *
     * @param mode the I/O mode
     * @param threads how many loops
     * @param prefix the carriers' name prefix
     */
    CarriedEventLoops(IoMode mode, int threads, String prefix) {
        IoHandlerFactory factory = mode.handlerFactory();
        Loop[] made = new Loop[threads];
        carriers = new LoopCarrier[threads];
        for (int i = 0; i < threads; i++) {
            carriers[i] = new LoopCarrier(prefix + "carrier-" + i);
            made[i] = new Loop(this, carriers[i], factory);
        }
        loops = List.of(made);
        for (Loop loop : made) {
            loop.carrier.startVirtualLoop(loop::drive, loop::wakeup);
        }
    }

    /**
     * Returns the carrier of {@code loop}, if it is one of these loops.
     *
     * @param loop a channel's event loop
     * @return its carrier, or {@code null}
     */
    static LoopCarrier carrierOf(EventExecutor loop) {
        return loop instanceof Loop carried ? carried.carrier : null;
    }

    /**
     * Returns the loop whose carrier runs the calling thread, if any: a handler connecting onwards
     * registers the new channel on its own loop.
     *
     * @return the caller's loop, or {@code null}
     */
    IoEventLoop callersLoop() {
        if (Thread.currentThread().isVirtual()) {
            for (Loop loop : loops) {
                if (loop.carrier.isCurrent()) {
                    return loop;
                }
            }
        }
        return null;
    }

    /**
     * Returns the loops' carriers, for their stall counts.
     *
     * @return the carriers
     */
    LoopCarrier[] carriers() {
        return carriers.clone();
    }

    /**
     * Stops every loop (closing its channels) and waits for each carrier to end: its loop has
     * returned and every handler it carried has finished.
     *
     * @param limit how long to wait in all
     * @return whether everything ended in time
     */
    boolean stop(Duration limit) {
        shutdownGracefully(0, limit.toMillis(), TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + limit.toNanos();
        boolean ended = true;
        for (LoopCarrier carrier : carriers) {
            ended &= carrier.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        if (ended) {
            terminated.trySuccess(null);
        }
        return ended;
    }

    @Override
    public IoEventLoop next() {
        return loops.get(Math.floorMod(next.getAndIncrement(), loops.size()));
    }

    @Override
    public Iterator<EventExecutor> iterator() {
        return List.<EventExecutor>copyOf(loops).iterator();
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        return next().register(channel, promise);
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        for (Loop loop : loops) {
            loop.shutdownGracefully(quietPeriod, timeout, unit);
        }
        return terminated;
    }

    @Override
    public Future<?> terminationFuture() {
        return terminated;
    }

    @Override
    public boolean isShuttingDown() {
        return loops.stream().allMatch(Loop::isShuttingDown);
    }

    @Override
    @Deprecated
    public void shutdown() {
        shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isShutdown() {
        return loops.stream().allMatch(Loop::isShutdown);
    }

    @Override
    public boolean isTerminated() {
        return loops.stream().allMatch(Loop::isTerminated);
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (Loop loop : loops) {
            if (!loop.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    /** One loop: Netty's manual loop, driven by a virtual thread on its carrier. */
    private static final class Loop extends ManualIoEventLoop {

        private final LoopCarrier carrier;

        Loop(IoEventLoopGroup parent, LoopCarrier carrier, IoHandlerFactory factory) {
            super(parent, null, factory);
            this.carrier = carrier;
        }

        /** The loop's virtual thread: turns until the loop has terminated, yielding after each. */
        void drive() {
            setOwningThread(Thread.currentThread());
            // Netty's thread-locals take their fast path on a loop that is not a FastThreadLocalThread.
            FastThreadLocalThread.runWithFastThreadLocal(() -> {
                while (!isTerminated()) {
                    run(0);
                    carrier.yieldToHandlers();
                }
            });
        }

        /** Blocks in the kernel only while no handler or other task waits for the carrier. */
        @Override
        protected boolean canBlock() {
            return carrier.mayBlock();
        }
    }
}
