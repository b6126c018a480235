package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import net.corosio.Capability;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TlsConfig;

/**
 * The JFR rules of SPEC.md section 10: the same {@code corosio.*} events from every backend. Each
 * test records this JVM with the events enabled, drives a connection through its life, dumps the
 * recording and reads it back.
 */
public abstract class JfrRules extends RuleGroup {

    private static final List<String> EVENTS = List.of("corosio.ConnectionOpened", "corosio.ConnectionClosed",
            "corosio.TlsHandshake", "corosio.Timeout", "corosio.ReadPaused", "corosio.ReadResumed");

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected JfrRules(TransportKit owner) {
        super(owner);
    }

    /** What one recorded event says, enough to assert on. */
    private static List<RecordedEvent> record(Kit kit, ThrowingRunnable scenario) throws Exception {
        Path file = Files.createTempFile("corosio-kit-", ".jfr");
        try (Recording recording = new Recording()) {
            EVENTS.forEach(name -> recording.enable(name).withoutStackTrace());
            recording.start();
            scenario.run();
            recording.stop();
            recording.dump(file);
            String backend = kit.provider().name();
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getString("connection").startsWith(backend + " "))
                    .toList();
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    private static String describe(List<RecordedEvent> events) {
        return events.stream().map(e -> e.getEventType().getName() + " " + e.getString("connection"))
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    // ------------------------------------------------------------------ 10.5

    @RequiredRule
    void required_10_5_aConnectionsLifeIsRecordedInJfrEvents() throws Exception {
        byte[] request = kit.randomBytes(1000);
        Server server = kit.serve(Peer::echo);
        List<RecordedEvent> events = record(kit, () -> {
            try (Connection client = kit.connect(server.localAddress(), ClientOptions.builder()
                    .connection(ConnectionOptions.builder().readTimeout(Kit.scaled(Duration.ofMillis(100))).build())
                    .build())) {
                client.write(ByteBuffer.wrap(request));
                ByteBuffer reply = ByteBuffer.allocate(request.length);
                while (reply.hasRemaining()) {
                    client.read(reply);
                }
                Kit.expectFailure(ErrorKind.READ_TIMEOUT, () -> client.read(ByteBuffer.allocate(1)));
            }
            Kit.eventually("the server's connection is released",
                    () -> kit.transport().metrics().openConnections() == 0);
        });
        List<RecordedEvent> opened = named(events, "corosio.ConnectionOpened");
        assertEquals(2, opened.size(), "one opened event per side:" + describe(events));
        assertTrue(opened.stream().anyMatch(e -> e.getBoolean("serverSide"))
                && opened.stream().anyMatch(e -> !e.getBoolean("serverSide")), "both sides:" + describe(events));
        List<RecordedEvent> closed = named(events, "corosio.ConnectionClosed");
        assertEquals(2, closed.size(), "one closed event per side:" + describe(events));
        for (RecordedEvent e : closed) {
            assertEquals(request.length, e.getLong("bytesRead"), "each side read the request's bytes: " + e);
            assertEquals(request.length, e.getLong("bytesWritten"), "each side wrote them: " + e);
            assertTrue(e.getDuration("lifetime").toNanos() > 0, "a lifetime: " + e);
        }
        List<RecordedEvent> timeouts = named(events, "corosio.Timeout");
        assertEquals(1, timeouts.size(), "the read timeout:" + describe(events));
        assertEquals("READ_TIMEOUT", timeouts.getFirst().getString("kind"));
    }

    @RequiredRule
    void required_10_5_aTlsHandshakeIsRecordedWithItsProtocolAndCipher() throws Exception {
        kit.assumeCapability(Capability.TLS);
        Server server = kit.serve(ServerOptions.builder()
                .tls(TlsConfig.builder(kit.certs().serverContext()).build()).build(), Peer::echo);
        List<RecordedEvent> events = record(kit, () -> {
            try (Connection client = kit.connect(server.localAddress(), ClientOptions.builder()
                    .tls(TlsConfig.builder(kit.certs().clientContext()).serverName(TestCertificates.SERVER_NAME).build())
                    .build())) {
                client.write(ByteBuffer.wrap(new byte[] {1}));
                assertEquals(1, client.read(ByteBuffer.allocate(1)));
            }
            Kit.eventually("the server's connection is released",
                    () -> kit.transport().metrics().openConnections() == 0);
        });
        List<RecordedEvent> handshakes = named(events, "corosio.TlsHandshake");
        assertEquals(2, handshakes.size(), "one handshake event per side:" + describe(events));
        for (RecordedEvent e : handshakes) {
            assertEquals(null, e.getString("failure"), e::toString);
            assertTrue(e.getString("protocol").startsWith("TLSv1."), e::toString);
            assertTrue(e.getString("cipherSuite").startsWith("TLS_"), e::toString);
        }
    }
}
