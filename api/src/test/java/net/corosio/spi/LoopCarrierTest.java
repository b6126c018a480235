package net.corosio.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopCarrierTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A loop with nothing to poll: it parks while no handler waits, as a real one blocks for I/O. */
    private static final class IdleLoop {
        volatile boolean stopped;
        volatile Thread thread;

        void run(LoopCarrier carrier) {
            thread = Thread.currentThread();
            while (!stopped) {
                if (carrier.mayBlock()) {
                    LockSupport.parkNanos(this, Duration.ofMillis(100).toNanos());
                }
                carrier.yieldToHandlers();
            }
        }

        void wakeup() {
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    private final IdleLoop loop = new IdleLoop();
    private final LoopCarrier carrier = new LoopCarrier("loop-carrier-test");

    LoopCarrierTest() {
        carrier.startVirtualLoop(() -> loop.run(carrier), loop::wakeup);
    }

    @AfterEach
    void stop() {
        loop.stopped = true;
        loop.wakeup();
        assertTrue(carrier.awaitTermination(WAIT), "the carrier ends once its loop and handlers have");
    }

    @Test
    void aHandlerRunsOnAVirtualThreadOfTheCarrier() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        carrier.startHandler("conn-1", () -> seen.complete(Thread.currentThread().isVirtual() + " " + carrier.isCurrent()
                + " " + Thread.currentThread().getName()));
        assertEquals("true true loop-carrier-test-handler-1", seen.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertFalse(carrier.isCurrent(), "the test's thread is not on the carrier");
    }

    @Test
    void aHandlerBlockedOnALockParksAndTheOthersRun() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> waiterDone = new CompletableFuture<>();
        CompletableFuture<Void> bystander = new CompletableFuture<>();
        carrier.startHandler("holder", () -> {
            lock.lock();
            try {
                holding.countDown();
                release.await(); // parks on the carrier, holding the lock
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        });
        assertTrue(holding.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        carrier.startHandler("waiter", () -> {
            lock.lock();
            lock.unlock();
            waiterDone.complete(null);
        });
        carrier.startHandler("bystander", () -> bystander.complete(null));
        bystander.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertFalse(waiterDone.isDone());
        release.countDown();
        waiterDone.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aHandlerThatHoldsTheCarrierIsCountedAsAStall() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        carrier.startHandler("busy", () -> {
            long until = System.nanoTime() + Duration.ofMillis(60).toNanos();
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            done.countDown();
        });
        assertTrue(done.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (carrier.stalls() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5); // the count is written right after the handler's slice ends
        }
        assertEquals(1, carrier.stalls());
        assertTrue(carrier.stallNanos() >= Duration.ofMillis(60).toNanos());
        assertTrue(carrier.handlerNanos() >= carrier.stallNanos());
    }

    @Test
    void aVirtualThreadAHandlerStartsInheritsTheCarrierAndMayOutliveIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> childOnCarrier = new CompletableFuture<>();
        CompletableFuture<Void> childDone = new CompletableFuture<>();
        carrier.startHandler("parent", () -> Thread.ofVirtual().start(() -> {
            childOnCarrier.complete(carrier.isCurrent());
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            childDone.complete(null);
        }));
        assertTrue(childOnCarrier.get(WAIT.toSeconds(), TimeUnit.SECONDS), "inherited: the hazard the Javadoc names");
        loop.stopped = true;
        loop.wakeup();
        assertTrue(carrier.awaitTermination(WAIT), "the carrier does not wait for threads it did not start");
        release.countDown();
        childDone.get(WAIT.toSeconds(), TimeUnit.SECONDS); // carried on by the JDK's scheduler
    }

    @Test
    void noHandlerStartsOnACarrierThatHasEnded() {
        loop.stopped = true;
        loop.wakeup();
        assertTrue(carrier.awaitTermination(WAIT));
        assertThrows(RejectedExecutionException.class, () -> carrier.startHandler("late", () -> {}));
    }

    @Test
    void aLoopThatIsTheCarrierRunsReadyHandlersBetweenItsTurns() throws Exception {
        CompletableFuture<Boolean> ranOnLoop = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread[] loopThread = new Thread[1];
        LoopCarrier[] own = new LoopCarrier[1];
        CompletableFuture<Boolean> finished = new CompletableFuture<>();
        loopThread[0] = Thread.ofPlatform().unstarted(() -> {
            started.countDown();
            long until = System.nanoTime() + WAIT.toNanos();
            while (!ranOnLoop.isDone() && System.nanoTime() < until) {
                own[0].runReady();
                if (own[0].mayBlock()) {
                    LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
                }
            }
            finished.complete(own[0].finish(WAIT));
        });
        own[0] = new LoopCarrier("own-loop", loopThread[0], () -> LockSupport.unpark(loopThread[0]));
        loopThread[0].start();
        assertTrue(started.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        own[0].startHandler("conn", () -> ranOnLoop.complete(own[0].isCurrent()));
        assertTrue(ranOnLoop.get(WAIT.toSeconds(), TimeUnit.SECONDS), "the handler ran on the loop's own thread");
        assertTrue(finished.get(WAIT.toSeconds(), TimeUnit.SECONDS), "every handler ended before finish returned");
    }
}
