package net.corosio.micrometer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import net.corosio.Transport;
import net.corosio.TransportMetrics;

/**
 * Binds a transport's {@link Transport#metrics()} to a Micrometer registry as two gauges, tagged
 * {@value #BACKEND_TAG}={@link Transport#name()} (and any tags given):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what it reads</th></tr>
 *   <tr><td>{@value #CONNECTIONS_OPEN}</td><td>gauge, connections</td>
 *       <td>{@link TransportMetrics#openConnections()}: open now, client and server side together</td></tr>
 *   <tr><td>{@value #SERVERS_OPEN}</td><td>gauge</td>
 *       <td>{@link TransportMetrics#openServers()}: servers not yet shut down</td></tr>
 * </table>
 *
 * <p>The gauges read the transport each time the registry publishes, and hold it weakly, as
 * Micrometer's gauges do: keep the transport referenced for as long as it is measured. {@link
 * #close()} removes the meters from every registry this binder was bound to. Thread-safe.
 */
public final class TransportMeterBinder implements MeterBinder, AutoCloseable {

    /** The tag that names the backend, on every meter of this module. */
    public static final String BACKEND_TAG = "backend";

    /** Connections the transport holds open now, client and server side together. */
    public static final String CONNECTIONS_OPEN = "corosio.transport.connections.open";

    /** Servers the transport runs that have not been shut down. */
    public static final String SERVERS_OPEN = "corosio.transport.servers.open";

    private final Transport transport;
    private final Tags tags;
    private final BoundMeters bound = new BoundMeters();

    /**
     * Creates a binder for a transport, tagged with its backend only.
     *
     * @param transport what to measure
     */
    public TransportMeterBinder(Transport transport) {
        this(transport, Tags.empty());
    }

    /**
     * Creates a binder for a transport.
     *
     * @param transport what to measure
     * @param tags tags added to every meter, besides {@value #BACKEND_TAG}
     */
    public TransportMeterBinder(Transport transport, Iterable<Tag> tags) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.tags = Tags.concat(tags, Tags.of(BACKEND_TAG, transport.name()));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        bound.add(registry, Gauge.builder(CONNECTIONS_OPEN, transport, t -> t.metrics().openConnections())
                .description("Connections open now, client and server side together")
                .baseUnit(BaseUnits.CONNECTIONS)
                .tags(tags)
                .register(registry));
        bound.add(registry, Gauge.builder(SERVERS_OPEN, transport, t -> t.metrics().openServers())
                .description("Servers that have not been shut down")
                .tags(tags)
                .register(registry));
    }

    /** Removes this binder's meters from every registry it was bound to. Idempotent. */
    @Override
    public void close() {
        bound.removeAll();
    }
}
