package net.corosio.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link ProgressTimeout} driven by a scheduler the test controls: a scheduled check runs only when
 * the test runs it. {@code ProgressTimeout} reads {@link System#nanoTime()} itself, so where a test
 * needs a stretch without progress it spins on that clock for a moment (microseconds to a
 * millisecond); nothing sleeps and no timer thread is involved.
 */
class ProgressTimeoutTest {

    /** A scheduler that only records tasks; the test runs them. */
    static final class ManualScheduler implements TimeoutScheduler {

        static final class Task implements Scheduled {
            final long delayNanos;
            final Runnable action;
            boolean cancelled;
            boolean ran;

            Task(long delayNanos, Runnable action) {
                this.delayNanos = delayNanos;
                this.action = action;
            }

            @Override
            public void cancel() {
                cancelled = true;
            }
        }

        final List<Task> all = new ArrayList<>();

        @Override
        public Scheduled schedule(long delayNanos, Runnable task) {
            Task t = new Task(delayNanos, task);
            all.add(t);
            return t;
        }

        List<Task> pending() {
            return all.stream().filter(t -> !t.cancelled && !t.ran).toList();
        }

        /** Runs the one pending task, as the timer would when its delay has passed. */
        Task runPending() {
            List<Task> pending = pending();
            assertEquals(1, pending.size(), "exactly one check should be pending");
            Task task = pending.getFirst();
            task.ran = true;
            task.action.run();
            return task;
        }
    }

    private final ManualScheduler scheduler = new ManualScheduler();
    private final AtomicInteger expiries = new AtomicInteger();

    private ProgressTimeout timeout(Duration duration) {
        return new ProgressTimeout(scheduler, duration, expiries::incrementAndGet);
    }

    /** Lets at least {@code nanos} pass on the clock ProgressTimeout reads, by spinning (no sleep). */
    private static void letPass(long nanos) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < nanos) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aZeroTimeoutIsDisabledAndSchedulesNothing() {
        ProgressTimeout t = timeout(Duration.ZERO);
        assertFalse(t.isEnabled());
        t.arm();
        t.progress();
        t.cancel();
        assertEquals(List.of(), scheduler.all);
        assertTrue(timeout(Duration.ofNanos(1)).isEnabled());
    }

    @Test
    void armingSchedulesOneCheckAFullTimeoutAhead() {
        Duration d = Duration.ofHours(1);
        ProgressTimeout t = timeout(d);
        t.arm();
        t.arm();
        assertEquals(1, scheduler.all.size(), "arming again while armed schedules nothing more");
        assertEquals(d.toNanos(), scheduler.all.getFirst().delayNanos);
    }

    @Test
    void itFiresOnceAfterATimeoutWithoutProgress() {
        long nanos = Duration.ofNanos(1_000).toNanos();
        ProgressTimeout t = timeout(Duration.ofNanos(nanos));
        t.arm();
        letPass(nanos);
        scheduler.runPending();
        assertEquals(1, expiries.get(), "no progress for the whole timeout: it fires");
        assertEquals(List.of(), scheduler.pending(), "after firing it disarms itself and schedules nothing");

        t.progress(); // progress after expiry changes nothing
        assertEquals(1, expiries.get());
        t.arm();
        assertEquals(1, scheduler.pending().size(), "it can be armed again");
        letPass(nanos);
        scheduler.runPending();
        assertEquals(2, expiries.get());
    }

    @Test
    void aCheckBeforeTheTimeoutReschedulesForTheRemainder() {
        Duration d = Duration.ofHours(1);
        ProgressTimeout t = timeout(d);
        long before = System.nanoTime();
        t.arm();
        long quiet = Duration.ofMillis(1).toNanos();
        letPass(quiet);
        scheduler.runPending();
        long after = System.nanoTime();
        assertEquals(0, expiries.get());
        ManualScheduler.Task next = scheduler.pending().getFirst();
        assertTrue(next.delayNanos <= d.toNanos() - quiet,
                () -> "the remainder is the timeout minus the quiet time, not a fresh timeout: " + next.delayNanos);
        assertTrue(next.delayNanos >= d.toNanos() - (after - before), () -> "remainder too short: " + next.delayNanos);
    }

    @Test
    void progressPostponesTheExpiryByAFullTimeoutFromTheProgress() {
        Duration d = Duration.ofHours(1);
        ProgressTimeout t = timeout(d);
        t.arm();
        long sinceArm = Duration.ofMillis(1).toNanos();
        letPass(sinceArm); // quiet before the progress: ignored once progress is made
        long beforeProgress = System.nanoTime();
        t.progress();
        long sinceProgress = Duration.ofMillis(1).toNanos() / 10;
        letPass(sinceProgress);
        scheduler.runPending();
        long after = System.nanoTime();

        assertEquals(0, expiries.get());
        ManualScheduler.Task next = scheduler.pending().getFirst();
        assertTrue(next.delayNanos >= d.toNanos() - (after - beforeProgress),
                () -> "the next check must be a full timeout after the progress, less the time since: " + next.delayNanos);
        assertTrue(next.delayNanos <= d.toNanos() - sinceProgress,
                () -> "the next check must account for the time since the progress: " + next.delayNanos);
    }

    @Test
    void progressWithinTheTimeoutKeepsItFromFiring() {
        long nanos = Duration.ofMillis(1).toNanos();
        ProgressTimeout t = timeout(Duration.ofNanos(nanos));
        t.arm();
        letPass(nanos);
        t.progress();
        // The check that was due runs now; progress was made a moment ago, so it must reschedule.
        // A thread descheduled for a whole millisecond here would let it fire legitimately, so tolerate that.
        scheduler.runPending();
        if (expiries.get() == 0) {
            ManualScheduler.Task next = scheduler.pending().getFirst();
            assertTrue(next.delayNanos > 0 && next.delayNanos <= nanos, () -> "remainder: " + next.delayNanos);
            letPass(nanos);
            scheduler.runPending();
        }
        assertEquals(1, expiries.get(), "without further progress it fires at the next check");
    }

    @Test
    void itNeverFiresWhenDisarmed() {
        long nanos = 1_000;
        ProgressTimeout t = timeout(Duration.ofNanos(nanos));
        t.arm();
        t.disarm();
        t.progress();
        letPass(nanos);
        scheduler.runPending();
        assertEquals(0, expiries.get());
        assertEquals(List.of(), scheduler.pending(), "a disarmed timeout lets its check lapse without rescheduling");
    }

    @Test
    void disarmingAndArmingAgainCostsNoTimerOperation() {
        ProgressTimeout t = timeout(Duration.ofHours(1));
        for (int i = 0; i < 5; i++) {
            t.arm();
            t.disarm();
        }
        t.arm();
        assertEquals(1, scheduler.all.size());
        assertFalse(scheduler.all.getFirst().cancelled);
    }

    @Test
    void cancelRemovesThePendingCheck() {
        long nanos = 1_000;
        ProgressTimeout t = timeout(Duration.ofNanos(nanos));
        t.arm();
        ManualScheduler.Task first = scheduler.all.getFirst();
        t.cancel();
        assertTrue(first.cancelled, "cancel must cancel the scheduled task");
        assertEquals(List.of(), scheduler.pending());

        // A timer that runs a cancelled task anyway (a race) must not make it fire.
        letPass(nanos);
        first.action.run();
        assertEquals(0, expiries.get());

        t.arm();
        assertEquals(1, scheduler.pending().size(), "arming after cancel schedules a new check");
        t.cancel();
        t.cancel();
        assertEquals(List.of(), scheduler.pending());
    }
}
