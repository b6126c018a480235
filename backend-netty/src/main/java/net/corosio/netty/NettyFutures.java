package net.corosio.netty;

import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for Netty futures from application threads without {@code Future.await()}, which waits in a
 * {@code synchronized} block and so pins a virtual thread to its carrier on JDK 21.
 */
final class NettyFutures {

    private NettyFutures() {}

    /**
     * Waits, ignoring interrupts (the interrupt status is kept), for a future to complete.
     *
     * @param future the future
     * @param limit how long to wait
     * @return whether it completed in time
     */
    static boolean awaitUninterruptibly(Future<?> future, Duration limit) {
        if (future.isDone()) {
            return true;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        future.addListener(f -> done.complete(null));
        long deadline = System.nanoTime() + limit.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return true;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (TimeoutException e) {
                    return false;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("cannot happen: completed normally", e);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
