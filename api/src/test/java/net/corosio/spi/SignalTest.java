package net.corosio.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SignalTest {

    private final Signal signal = new Signal();
    private final AtomicBoolean ready = new AtomicBoolean();

    @Test
    void aConditionThatHoldsReturnsAtOnce() {
        ready.set(true);
        assertTrue(signal.await(ready::get, 0));
    }

    @Test
    void aSignalFromAnotherThreadWakesTheWaiter() throws Exception {
        CompletableFuture<Boolean> waited = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> waited.complete(signal.await(ready::get, 0)));
        // Signals before the condition holds only make the waiter look again.
        signal.signal();
        ready.set(true);
        signal.signal();
        assertTrue(waited.get(10, TimeUnit.SECONDS));
        waiter.join(Duration.ofSeconds(10));
    }

    @Test
    void theDeadlinePassesWithoutTheCondition() {
        long start = System.nanoTime();
        assertFalse(signal.await(ready::get, Signal.deadline(Duration.ofMillis(50).toNanos())));
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(50).toNanos(), "not before the deadline");
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() throws Exception {
        CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            result.complete(signal.await(ready::get, 0));
            interruptedAfter.complete(Thread.currentThread().isInterrupted());
        });
        waiter.interrupt();
        assertFalse(result.get(10, TimeUnit.SECONDS));
        assertTrue(interruptedAfter.get(10, TimeUnit.SECONDS), "the interrupt status is left set");
    }

    @Test
    void noDeadlineIsZero() {
        assertTrue(Signal.deadline(0) == 0 && Signal.deadline(-5) == 0);
        assertTrue(Signal.deadline(1) != 0);
    }
}
