package net.corosio.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A {@link LoopCarrier} whose loop leaves its wait for I/O to the carrier ({@link
 * LoopCarrier#startVirtualLoop(Runnable, LoopCarrier.IoWait)}), with a fake I/O source: a queue of
 * events that the carrier's thread blocks on, as it would block in {@code Selector.select}.
 */
class LoopCarrierIoWaitTest {

    private static final long WAIT_SECONDS = 10;

    /** The fake I/O: events, and wake-ups, arrive in one queue the carrier's thread takes from. */
    private static final class FakeIo implements LoopCarrier.IoWait {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>(); // what the loop will see
        final CompletableFuture<Thread> awaitedOn = new CompletableFuture<>();
        volatile Thread loop;
        volatile boolean waiting; // the loop has parked for I/O
        volatile boolean stop;

        /** The loop: handles what is ready, then parks until the carrier has waited for more. */
        void loop() {
            loop = Thread.currentThread();
            while (!stop) {
                String event;
                while ((event = ready.poll()) != null) {
                    if (event.equals("stop")) {
                        stop = true;
                    }
                }
                waiting = true;
                while (waiting) {
                    LockSupport.park(this);
                }
            }
        }

        @Override
        public boolean pending() {
            return waiting;
        }

        @Override
        public void await() {
            awaitedOn.complete(Thread.currentThread());
            try {
                String event = events.take();
                if (!event.equals("wake")) {
                    ready.add(event);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            waiting = false;
            LockSupport.unpark(loop);
        }

        @Override
        public void wake() {
            events.add("wake");
        }
    }

    @Test
    void theCarriersOwnThreadWaitsForTheLoopsIoAndAHandlerStartedMeanwhileRuns() throws Exception {
        assumeTrue(VirtualThreadInternals.isAvailable(), "needs " + VirtualThreadInternals.ADD_OPENS);
        LoopCarrier carrier = new LoopCarrier("io-wait-test");
        FakeIo io = new FakeIo();
        carrier.startVirtualLoop(io::loop, io);
        Thread waiter = io.awaitedOn.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertFalse(waiter.isVirtual(), "the carrier's platform thread waits for the I/O, not the loop");
        assertEquals("io-wait-test", waiter.getName());

        // The carrier waits in await(): a handler started from here must wake it, and run on it.
        CompletableFuture<Thread> handlerCarrier = new CompletableFuture<>();
        carrier.startHandler("a connection", () -> handlerCarrier.complete(VirtualThreadInternals.currentCarrier()));
        assertEquals(waiter, handlerCarrier.get(WAIT_SECONDS, TimeUnit.SECONDS), "the handler ran on the carrier");

        // An I/O event reaches the loop through the carrier's wait; the loop then ends, and so does the carrier.
        io.events.add("stop");
        assertTrue(carrier.awaitTermination(Duration.ofSeconds(WAIT_SECONDS)), "the carrier ended with its loop");
    }

    @Test
    void aCarrierWhoseLoopIsParkedForAnythingButIoParksRatherThanWaitingForIo() throws Exception {
        assumeTrue(VirtualThreadInternals.isAvailable(), "needs " + VirtualThreadInternals.ADD_OPENS);
        LoopCarrier carrier = new LoopCarrier("io-wait-test-2");
        FakeIo io = new FakeIo();
        CompletableFuture<Thread> carrierThread = new CompletableFuture<>();
        CountDownLatch letLoopGo = new CountDownLatch(1);
        carrier.startVirtualLoop(() -> {
            carrierThread.complete(VirtualThreadInternals.currentCarrier());
            try {
                letLoopGo.await(WAIT_SECONDS, TimeUnit.SECONDS); // parked, as on a lock: not for I/O
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            io.loop();
        }, io);
        Thread thread = carrierThread.get(WAIT_SECONDS, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.WAITING, thread.getState(), "the carrier is idle");
        assertFalse(io.awaitedOn.isDone(), "the carrier waits for I/O only once the loop asks for it");
        letLoopGo.countDown(); // a task for the idle, parked carrier: it is unparked, then waits for I/O
        assertEquals(thread, io.awaitedOn.get(WAIT_SECONDS, TimeUnit.SECONDS));
        io.events.add("stop");
        assertTrue(carrier.awaitTermination(Duration.ofSeconds(WAIT_SECONDS)), "the carrier ended with its loop");
    }
}
