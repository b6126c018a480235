package net.corosio.jetty;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;
import net.corosio.spi.LoopCarrier;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The selectors of the servers whose handlers the event loop carries ({@code
 * HandlerExecutors.eventLoop()}): each a {@link CarriedSelector}, whose loop and connection handlers
 * share one {@link LoopCarrier}. Everything else is as for {@link ServerSelectors}.
 *
 * <p>Jetty dispatches a few tasks besides its loop: opening an accepted socket's end point and
 * connection, and telling a closed end point's connection. Dispatched from a carrier (by the loop,
 * or by a handler closing its connection), such a task runs as a virtual thread of that carrier,
 * after what is already queued there: so accepting, starting the handler and closing take no hop
 * between threads either. Dispatched from any other thread, it runs on the transport's pool.
 */
final class CarriedSelectors extends ServerSelectors {

    private static final Logger LOG = LoggerFactory.getLogger(CarriedSelectors.class);

    private final String prefix;
    private final AtomicReferenceArray<CarriedSelector> selectors; // made as the manager starts

    /**
     * Creates the manager; its selectors and carriers are made when it starts.
     *
     * @param executor the transport's pool, for the tasks Jetty dispatches
     * @param scheduler the transport's scheduler
     * @param selectors how many selectors, each with a carrier
     * @param prefix the carriers' name prefix
     */
    CarriedSelectors(Executor executor, Scheduler scheduler, int selectors, String prefix) {
        super(executor, scheduler, selectors);
        this.prefix = prefix;
        this.selectors = new AtomicReferenceArray<>(selectors);
    }

    @Override
    protected ManagedSelector newSelector(int id) {
        CarriedSelector selector = new CarriedSelector(this, id, prefix + "carrier-" + id);
        selectors.set(id, selector);
        return selector;
    }

    /**
     * Runs a starting selector's producer as its carrier's loop, a task dispatched from a carrier
     * as a virtual thread of that carrier, and any other task on the pool.
     */
    @Override
    protected void execute(Runnable task) {
        CarriedSelector starting = CarriedSelector.takeStarting();
        if (starting != null) {
            starting.startLoop(task);
            return;
        }
        LoopCarrier carrier = callersCarrier();
        if (carrier != null) {
            carrier.startHandler(task, task); // a stall, if any, is logged with the task's name
        } else {
            super.execute(task);
        }
    }

    /** The carrier of one of these selectors that runs the calling virtual thread, or {@code null}. */
    private LoopCarrier callersCarrier() {
        if (Thread.currentThread().isVirtual()) {
            for (int i = 0; i < selectors.length(); i++) {
                CarriedSelector selector = selectors.get(i);
                if (selector != null && selector.carrier().isCurrent()) {
                    return selector.carrier();
                }
            }
        }
        return null;
    }

    /**
     * Returns the carriers made so far, for their stall counts.
     *
     * @return the carriers
     */
    List<LoopCarrier> carriers() {
        return IntStream.range(0, selectors.length())
                .mapToObj(selectors::get)
                .filter(Objects::nonNull)
                .map(CarriedSelector::carrier)
                .toList();
    }

    /**
     * Waits, after the manager has stopped, for every carrier to end: its loop has returned and every
     * handler it carried has finished.
     *
     * @param limit how long to wait in all
     */
    void awaitCarriers(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (LoopCarrier carrier : carriers()) {
            if (!carrier.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                LOG.warn("jetty transport: {} still carries handlers {} after its selector stopped", carrier, limit);
            }
        }
    }
}
