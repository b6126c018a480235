package net.corosio.micrometer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.corosio.Connection;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.tck.Kit;
import net.corosio.tck.Peer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The binders against a real transport (the loom backend) and Micrometer's {@link
 * SimpleMeterRegistry}: the meters follow real connections up and back down, each reads its own
 * figure, carry the documented tags, and leave with their binder.
 */
class MeterBindersTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private Transport transport;
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final List<Connection> clients = new ArrayList<>();

    @BeforeEach
    void openTheLoomBackend() throws Exception {
        transport = Transport.open("loom");
    }

    @AfterEach
    void closeEverything() {
        clients.forEach(Connection::close);
        transport.close();
    }

    private static InetSocketAddress anyLoopbackPort() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private double value(String name) {
        return registry.get(name).meter().measure().iterator().next().getValue();
    }

    private void eventually(String name, double expected) {
        Kit.eventually(name + " to read " + expected + " (it reads " + value(name) + ")", WAIT,
                () -> value(name) == expected);
    }

    private Connection connect(Server server) throws Exception {
        Connection client = transport.connect(server.localAddress());
        clients.add(client);
        return client;
    }

    @Test
    void transportGaugesFollowRealConnectionsUpAndBackToZero() throws Exception {
        new TransportMeterBinder(transport).bindTo(registry);
        assertEquals(0, value(TransportMeterBinder.CONNECTIONS_OPEN));
        assertEquals(0, value(TransportMeterBinder.SERVERS_OPEN));

        int connections = 3;
        CountDownLatch handling = new CountDownLatch(connections);
        Server server = transport.serve(anyLoopbackPort(), ServerOptions.defaults(), c -> {
            handling.countDown();
            Peer.echo(c);
        });
        assertEquals(1, value(TransportMeterBinder.SERVERS_OPEN));
        for (int i = 0; i < connections; i++) {
            connect(server);
        }
        assertTrue(handling.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the handlers did not all start");
        // Each connection counts twice: the client's end and the server's, both made by this transport.
        eventually(TransportMeterBinder.CONNECTIONS_OPEN, 2 * connections);

        clients.forEach(Connection::close);
        eventually(TransportMeterBinder.CONNECTIONS_OPEN, 0);
        server.close();
        eventually(TransportMeterBinder.SERVERS_OPEN, 0);

        for (Meter meter : registry.getMeters()) {
            assertEquals("loom", meter.getId().getTag(TransportMeterBinder.BACKEND_TAG), meter.getId()::toString);
        }
    }

    @Test
    void serverMetersCountRealConnectionsAndBytesAndActiveReturnsToZero() throws Exception {
        Server server = transport.serve(anyLoopbackPort(), ServerOptions.defaults(), Peer::echo);
        new ServerMeterBinder(transport, server).bindTo(registry);
        assertEquals(0, value(ServerMeterBinder.ACCEPTED));

        int connections = 3;
        byte[] message = new byte[1000];
        new Random(15).nextBytes(message);
        for (int i = 0; i < connections; i++) {
            Connection client = connect(server);
            client.write(ByteBuffer.wrap(message));
            assertArrayEquals(message, Peer.readExactly(client, message.length, new Random(i)));
        }
        eventually(ServerMeterBinder.ACCEPTED, connections);
        eventually(ServerMeterBinder.ACTIVE, connections);
        eventually(ServerMeterBinder.BYTES_READ, connections * message.length);
        eventually(ServerMeterBinder.BYTES_WRITTEN, connections * message.length);

        clients.forEach(Connection::close);
        eventually(ServerMeterBinder.ACTIVE, 0);
        assertEquals(connections, value(ServerMeterBinder.ACCEPTED), "accepted counts finished connections too");

        int port = server.localAddress().getPort();
        for (Meter meter : registry.getMeters()) {
            assertEquals("loom", meter.getId().getTag(TransportMeterBinder.BACKEND_TAG), meter.getId()::toString);
            assertEquals("127.0.0.1", meter.getId().getTag(ServerMeterBinder.ADDRESS_TAG), meter.getId()::toString);
            assertEquals(Integer.toString(port), meter.getId().getTag(ServerMeterBinder.PORT_TAG),
                    meter.getId()::toString);
        }
    }

    @Test
    void eachServerMeterReadsItsOwnFigure() throws Exception {
        // Distinct figures, so that two meters reading each other's would show: 2 accepted, 1
        // rejected (over the limit of one), 1 handler failure, 100 bytes read and 50 written.
        Server server = transport.serve(anyLoopbackPort(), ServerOptions.builder().maxConnections(1).build(), c -> {
            Peer.readExactly(c, 100, new Random(1));
            c.write(ByteBuffer.allocate(50));
            ByteBuffer rest = ByteBuffer.allocate(1);
            while (c.read(rest.clear()) >= 0) {
                // to the client's close
            }
            throw new IllegalStateException("MeterBindersTest: this handler fails on purpose");
        });
        new ServerMeterBinder(transport, server).bindTo(registry);

        Connection first = connect(server);
        first.write(ByteBuffer.allocate(100));
        Peer.readExactly(first, 50, new Random(2));
        // The second is rejected and closed at once, which may reset it before a transport's connect
        // returns: a plain socket's connect returns on the handshake.
        try (Socket rejected = new Socket(server.localAddress().getAddress(), server.localAddress().getPort())) {
            eventually(ServerMeterBinder.REJECTED, 1);
        }
        first.close();
        eventually(ServerMeterBinder.HANDLER_FAILURES, 1);
        eventually(ServerMeterBinder.ACTIVE, 0);

        Map<String, Double> expected = Map.of(
                ServerMeterBinder.ACCEPTED, 2.0,
                ServerMeterBinder.ACTIVE, 0.0,
                ServerMeterBinder.REJECTED, 1.0,
                ServerMeterBinder.HANDLER_FAILURES, 1.0,
                ServerMeterBinder.TLS_HANDSHAKE_FAILURES, 0.0,
                ServerMeterBinder.BYTES_READ, 100.0,
                ServerMeterBinder.BYTES_WRITTEN, 50.0);
        expected.forEach((name, figure) -> assertEquals(figure, value(name), name));
        assertEquals(expected.size(), registry.getMeters().size(), "one meter per figure, no more");
    }

    @Test
    void closingABinderRemovesItsMetersFromEveryRegistryAndLeavesOthers() throws Exception {
        Server server = transport.serve(anyLoopbackPort(), ServerOptions.defaults(), Peer::echo);
        MeterRegistry other = new SimpleMeterRegistry();
        TransportMeterBinder transportMeters = new TransportMeterBinder(transport, Tags.of("service", "test"));
        transportMeters.bindTo(registry);
        ServerMeterBinder serverMeters = new ServerMeterBinder(transport, server);
        serverMeters.bindTo(registry);
        serverMeters.bindTo(other);
        assertEquals("test", registry.get(TransportMeterBinder.CONNECTIONS_OPEN).meter().getId().getTag("service"));

        serverMeters.close();
        serverMeters.close();
        assertTrue(other.getMeters().isEmpty(), other.getMeters()::toString);
        assertEquals(2, registry.getMeters().size(), "the transport's two gauges stay: " + registry.getMeters());
        assertTrue(server.isAccepting(), "closing the binder leaves the server alone");
        transportMeters.close();
        assertTrue(registry.getMeters().isEmpty(), registry.getMeters()::toString);
    }
}
