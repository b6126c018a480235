package net.corosio.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The meters a binder registered, and where, so that closing the binder takes them all away again.
 * Thread-safe.
 */
final class BoundMeters {

    private record Bound(MeterRegistry registry, Meter meter) {}

    private final List<Bound> bound = new ArrayList<>();

    /**
     * Remembers a meter that was registered.
     *
     * @param registry where it was registered
     * @param meter the meter, as the registry returned it
     */
    synchronized void add(MeterRegistry registry, Meter meter) {
        bound.add(new Bound(registry, meter));
    }

    /** Removes every remembered meter from its registry. Idempotent. */
    synchronized void removeAll() {
        for (Bound b : bound) {
            b.registry().remove(b.meter());
        }
        bound.clear();
    }
}
