package net.corosio.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;
import net.corosio.Server;
import net.corosio.ServerMetrics;
import net.corosio.Transport;

/**
 * Binds a server's {@link Server#metrics()} to a Micrometer registry: one gauge for the connections
 * being handled and function counters for the rest, each tagged {@value
 * TransportMeterBinder#BACKEND_TAG} (the transport's {@link Transport#name()}), {@value #ADDRESS_TAG}
 * (the IP address it listens on) and {@value #PORT_TAG} (its port), and any tags given:
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>what it reads ({@link ServerMetrics})</th></tr>
 *   <tr><td>{@value #ACCEPTED}</td><td>counter, connections</td><td>{@code accepted}, rejected ones included</td></tr>
 *   <tr><td>{@value #ACTIVE}</td><td>gauge, connections</td><td>{@code active}: handlers running now</td></tr>
 *   <tr><td>{@value #REJECTED}</td><td>counter, connections</td><td>{@code rejected}: over the limit, or
 *       refused by the handler executor</td></tr>
 *   <tr><td>{@value #HANDLER_FAILURES}</td><td>counter</td><td>{@code handlerFailures}: handlers that threw</td></tr>
 *   <tr><td>{@value #TLS_HANDSHAKE_FAILURES}</td><td>counter</td><td>{@code tlsHandshakeFailures}</td></tr>
 *   <tr><td>{@value #BYTES_READ}</td><td>counter, bytes</td><td>{@code bytesRead}: application bytes, decrypted</td></tr>
 *   <tr><td>{@value #BYTES_WRITTEN}</td><td>counter, bytes</td><td>{@code bytesWritten}: application bytes,
 *       before encryption</td></tr>
 * </table>
 *
 * <p>The meters read the server each time the registry publishes, and hold it weakly, as
 * Micrometer's meters do. A server that has shut down keeps its last counts: {@link #close()} the
 * binder to remove its meters from every registry it was bound to. Thread-safe.
 */
public final class ServerMeterBinder implements MeterBinder, AutoCloseable {

    /** The tag that holds the IP address the server listens on. */
    public static final String ADDRESS_TAG = "server.address";

    /** The tag that holds the port the server listens on. */
    public static final String PORT_TAG = "server.port";

    /** Connections accepted since the server started, rejected ones included. */
    public static final String ACCEPTED = "corosio.server.connections.accepted";

    /** Connections whose handler is running now. */
    public static final String ACTIVE = "corosio.server.connections.active";

    /** Connections closed at once: over the connection limit, or refused by the handler executor. */
    public static final String REJECTED = "corosio.server.connections.rejected";

    /** Handlers that threw. */
    public static final String HANDLER_FAILURES = "corosio.server.handler.failures";

    /** Accepted connections whose TLS handshake failed or timed out. */
    public static final String TLS_HANDSHAKE_FAILURES = "corosio.server.tls.handshake.failures";

    /** Application bytes handlers read (decrypted, for TLS). */
    public static final String BYTES_READ = "corosio.server.bytes.read";

    /** Application bytes accepted from handlers' writes (before encryption). */
    public static final String BYTES_WRITTEN = "corosio.server.bytes.written";

    private record Count(String name, String description, String unit, ToLongFunction<ServerMetrics> read) {}

    private static final List<Count> COUNTS = List.of(
            new Count(ACCEPTED, "Connections accepted, rejected ones included", BaseUnits.CONNECTIONS,
                    ServerMetrics::accepted),
            new Count(REJECTED, "Connections closed at once: over the limit or refused by the handler executor",
                    BaseUnits.CONNECTIONS, ServerMetrics::rejected),
            new Count(HANDLER_FAILURES, "Handlers that threw", null, ServerMetrics::handlerFailures),
            new Count(TLS_HANDSHAKE_FAILURES, "Accepted connections whose TLS handshake failed or timed out", null,
                    ServerMetrics::tlsHandshakeFailures),
            new Count(BYTES_READ, "Application bytes read by handlers (decrypted)", BaseUnits.BYTES,
                    ServerMetrics::bytesRead),
            new Count(BYTES_WRITTEN, "Application bytes accepted from handlers' writes (before encryption)",
                    BaseUnits.BYTES, ServerMetrics::bytesWritten));

    private final Server server;
    private final Tags tags;
    private final BoundMeters bound = new BoundMeters();

    /**
     * Creates a binder for a server, tagged with its backend and address only.
     *
     * @param transport the transport that runs the server, for its backend's name
     * @param server what to measure
     */
    public ServerMeterBinder(Transport transport, Server server) {
        this(transport, server, Tags.empty());
    }

    /**
     * Creates a binder for a server.
     *
     * @param transport the transport that runs the server, for its backend's name
     * @param server what to measure
     * @param tags tags added to every meter, besides the backend and the address
     */
    public ServerMeterBinder(Transport transport, Server server, Iterable<Tag> tags) {
        Objects.requireNonNull(transport, "transport");
        this.server = Objects.requireNonNull(server, "server");
        InetSocketAddress address = server.localAddress();
        this.tags = Tags.concat(tags, Tags.of(TransportMeterBinder.BACKEND_TAG, transport.name(),
                ADDRESS_TAG, address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString(),
                PORT_TAG, Integer.toString(address.getPort())));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        bound.add(registry, Gauge.builder(ACTIVE, server, s -> s.metrics().active())
                .description("Connections whose handler is running now")
                .baseUnit(BaseUnits.CONNECTIONS)
                .tags(tags)
                .register(registry));
        for (Count count : COUNTS) {
            bound.add(registry, FunctionCounter.builder(count.name(), server, s -> count.read().applyAsLong(s.metrics()))
                    .description(count.description())
                    .baseUnit(count.unit())
                    .tags(tags)
                    .register(registry));
        }
    }

    /** Removes this binder's meters from every registry it was bound to. Idempotent. */
    @Override
    public void close() {
        bound.removeAll();
    }
}
