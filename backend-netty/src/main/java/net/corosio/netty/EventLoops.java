package net.corosio.netty;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A transport's event loops: a {@link MultiThreadIoEventLoopGroup} whose threads are named {@code
 * corosio-netty-<mode>-…} and whose shutdown starts no other thread.
 *
 * <p>Why a subclass: each Netty event loop completes its termination future on Netty's {@code
 * GlobalEventExecutor}, and the group always listens to it, so stopping a plain group starts the
 * global executor's thread, which lingers for a second. A runtime that opens and closes
 * transports would see a platform thread it never asked for come and go each time. Here each
 * loop's termination future is completed by the loop's own thread as its very last act, on an
 * immediate executor.
 */
final class EventLoops extends MultiThreadIoEventLoopGroup {

    /**
     * Creates the loops; their threads start on first use.
     *
     * @param mode the I/O mode
     * @param threads the number of loops, or 0 for Netty's default
     */
    EventLoops(IoMode mode, int threads) {
        super(threads, new DefaultThreadFactory("corosio-netty-" + mode.label(), true), mode.handlerFactory());
    }

    @Override
    protected IoEventLoop newChild(Executor executor, IoHandlerFactory ioHandlerFactory, Object... args) {
        Promise<Void> terminated = ImmediateEventExecutor.INSTANCE.newPromise();
        // The executor runs the loop's whole life, cleanup included, on one thread.
        Executor signalling = loop -> executor.execute(() -> {
            try {
                loop.run();
            } finally {
                terminated.trySuccess(null);
            }
        });
        return new Loop(this, signalling, ioHandlerFactory, terminated);
    }

    /**
     * Stops every loop (closing their channels) and waits for their threads to finish.
     *
     * @param limit how long to wait
     * @return whether every loop terminated in time
     */
    boolean stop(Duration limit) {
        shutdownGracefully(0, limit.toMillis(), TimeUnit.MILLISECONDS);
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return awaitTermination(limit.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true; // stopping must finish: the threads would leak otherwise
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An event loop whose termination future is completed without Netty's global executor. */
    private static final class Loop extends SingleThreadIoEventLoop {

        private final Promise<Void> terminated;

        Loop(IoEventLoopGroup parent, Executor executor, IoHandlerFactory factory, Promise<Void> terminated) {
            super(parent, executor, factory);
            this.terminated = terminated;
        }

        @Override
        public Future<?> terminationFuture() {
            return terminated;
        }
    }
}
