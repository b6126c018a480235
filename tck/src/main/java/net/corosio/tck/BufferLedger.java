package net.corosio.tck;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The kit's own count of the buffers it lent a backend — every buffer a test wrote or read into —
 * held weakly, so that once the test has let go of them it can tell whether the backend still holds
 * any: a connection that ended must not keep the application's buffers (or their arrays) alive.
 * Thread-safe.
 */
final class BufferLedger {

    private final List<WeakReference<Object>> lent = new ArrayList<>();
    private volatile boolean counting;

    /** Starts counting: buffers tracked before are not counted (a warm-up). */
    void start() {
        counting = true;
    }

    /**
     * Counts a buffer (and its array, which a slice or duplicate would keep alive) if counting.
     *
     * @param buffer the buffer the test is about to lend the backend
     * @return {@code buffer}
     */
    ByteBuffer track(ByteBuffer buffer) {
        if (counting) {
            synchronized (lent) {
                lent.add(new WeakReference<>(buffer));
                if (buffer.hasArray()) {
                    lent.add(new WeakReference<>(buffer.array()));
                }
            }
        }
        return buffer;
    }

    /**
     * Waits until every counted buffer is unreachable, collecting garbage meanwhile, and fails
     * naming how many are still held.
     *
     * @param what whose buffers, for the failure message
     */
    void assertAllReleased(String what) {
        int counted;
        synchronized (lent) {
            counted = lent.size();
        }
        if (counted == 0) {
            throw new AssertionError("the kit lent no buffer to count (" + what + ")");
        }
        try {
            Kit.eventually(what + ": the backend must hold none of the " + counted + " buffers and arrays the "
                    + "application lent it", () -> {
                System.gc();
                return held() == 0;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " (" + held() + " still reachable)", e);
        }
    }

    private int held() {
        synchronized (lent) {
            return (int) lent.stream().filter(r -> r.get() != null).count();
        }
    }
}
