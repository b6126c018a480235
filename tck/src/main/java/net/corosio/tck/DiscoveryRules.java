package net.corosio.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import java.io.BufferedReader;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import net.corosio.Connection;
import net.corosio.ErrorKind;
import net.corosio.Server;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.spi.TransportProvider;

/** The rules of SPEC.md section 1, discovery and lifecycle. */
public abstract class DiscoveryRules extends RuleGroup {

    private static final String SERVICE_FILE = "META-INF/services/" + TransportProvider.class.getName();

    /**
     * Binds the group to its kit.
     *
     * @param owner the backend's kit
     */
    protected DiscoveryRules(TransportKit owner) {
        super(owner);
    }

    @RequiredRule
    void required_1_1_providerIsACheapFactoryNamedLikeItsTransport() throws Exception {
        Class<? extends TransportProvider> type = kit.provider().getClass();
        LeakCheck before = LeakCheck.baseline();
        TransportProvider fresh = type.getConstructor().newInstance();
        assertEquals(List.of(), before.leaks(), "constructing a provider must start nothing");
        assertTrue(fresh.name().matches("[a-z][a-z0-9-]*"), () -> "name must be lower case: '" + fresh.name() + "'");
        assertEquals(fresh.name(), kit.transport().name());
        assertEquals(fresh.capabilities(), kit.transport().capabilities());
    }

    @RequiredRule
    void required_1_2_providerIsRegisteredInModuleInfoAndServiceFile() throws Exception {
        Class<?> type = kit.provider().getClass();
        assumeFalse(ModuleLayers.locationOf(type).equals(ModuleLayers.locationOf(Spec.class)),
                "the backend was repackaged together with the kit (a shaded jar, as in the lab's): "
                        + "its packaging is checked on the backend's own jar, by its own build");
        ModuleReference module = ModuleLayers.moduleAt(ModuleLayers.locationOf(type))
                .orElseThrow(() -> new AssertionError("no module at " + ModuleLayers.locationOf(type)));
        ModuleDescriptor descriptor = module.descriptor();
        assertFalse(descriptor.isAutomatic(), () -> descriptor.name() + " has no module-info");
        Set<String> provided = descriptor.provides().stream()
                .filter(p -> p.service().equals(TransportProvider.class.getName()))
                .flatMap(p -> p.providers().stream())
                .collect(Collectors.toSet());
        assertTrue(provided.contains(type.getName()),
                () -> "module-info of " + descriptor.name() + " provides " + provided + ", not " + type.getName());
        Set<String> listed;
        try (ModuleReader reader = module.open()) {
            Optional<InputStream> file = reader.open(SERVICE_FILE);
            assertTrue(file.isPresent(), () -> SERVICE_FILE + " is missing from " + descriptor.name());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(file.get(), StandardCharsets.UTF_8))) {
                listed = lines.lines()
                        .map(line -> line.replaceAll("#.*", "").strip())
                        .filter(line -> !line.isEmpty())
                        .collect(Collectors.toSet());
            }
        }
        assertEquals(provided, listed, "module-info provides and " + SERVICE_FILE + " must name the same classes");
    }

    @RequiredRule
    void required_1_3_providerIsFoundOnClassPathAndModulePath() throws Exception {
        Class<?> type = kit.provider().getClass();
        Set<String> onClassPath = ServiceLoader.load(TransportProvider.class).stream()
                .map(p -> p.type().getName())
                .collect(Collectors.toSet());
        assertTrue(onClassPath.contains(type.getName()), () -> "class path ServiceLoader found " + onClassPath);

        ModuleReference module = ModuleLayers.moduleAt(ModuleLayers.locationOf(type)).orElseThrow();
        ModuleLayer layer = ModuleLayers.layerFor(module);
        Class<?> service = layer.findLoader(module.descriptor().name()).loadClass(TransportProvider.class.getName());
        assertTrue(service.getModule().isNamed(), "the SPI must come from the module layer");
        String found = null;
        for (Object provider : ServiceLoader.load(layer, service)) {
            if (provider.getClass().getName().equals(type.getName())) {
                found = (String) service.getMethod("name").invoke(provider);
            }
        }
        assertEquals(kit.provider().name(), found, "the module-path ServiceLoader must find the provider");
    }

    @RequiredRule
    void required_1_4_openByNameSelectsTheBackendAndAnUnknownNameFailsClearly() throws Exception {
        try (Transport named = Transport.open(kit.provider().name(), TransportConfig.defaults())) {
            assertEquals(kit.provider().name(), named.name());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Transport.open("no-such-backend"));
        assertTrue(e.getMessage().contains("no-such-backend"), e::getMessage);
        assertTrue(e.getMessage().contains(kit.provider().name()), () -> "must list what was found: " + e.getMessage());
    }

    @RequiredRule
    void required_1_5_closingTheTransportClosesEverythingItMade() throws Exception {
        Transport transport = kit.transport();
        CountDownLatch handlerReading = new CountDownLatch(1);
        Server server = kit.serve(c -> {
            handlerReading.countDown();
            c.read(ByteBuffer.allocate(1));
        });
        Connection client = kit.connect(server.localAddress());
        Future<Integer> blockedRead = kit.fork("blocked-read", () -> client.read(ByteBuffer.allocate(1)));
        assertTrue(handlerReading.await(Kit.defaultWait().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));

        transport.close();

        Kit.expectFailure(ErrorKind.CLOSED, () -> Kit.await(blockedRead));
        assertFalse(client.isOpen());
        assertFalse(server.isAccepting());
        assertThrows(ConnectException.class, () -> {
            try (Socket s = new Socket()) {
                s.connect(server.localAddress(), (int) Kit.defaultWait().toMillis());
            }
        });
        IllegalStateException serve = assertThrows(IllegalStateException.class,
                () -> transport.serve(new InetSocketAddress(Kit.LOOPBACK, 0), net.corosio.ServerOptions.defaults(), c -> {}));
        assertTrue(serve.getMessage().contains(transport.name()), serve::getMessage);
        assertThrows(IllegalStateException.class, () -> transport.connect(server.localAddress()));
        transport.close();
        assertEquals(0, transport.metrics().openConnections());
        assertEquals(0, transport.metrics().openServers());
    }

    @RequiredRule
    void required_1_6_nothingLeaksOnceConnectionsServersAndTransportAreClosed() throws Exception {
        LeakCheck before = LeakCheck.baseline();
        Transport transport = kit.provider().create(TransportConfig.defaults());
        try {
            Server server = transport.serve(new InetSocketAddress(Kit.LOOPBACK, 0),
                    kit.inKitMode(net.corosio.ServerOptions.defaults()), Peer::echo);
            for (int i = 0; i < 20; i++) {
                try (Connection c = transport.connect(server.localAddress())) {
                    c.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                    ByteBuffer one = ByteBuffer.allocate(1);
                    assertEquals(1, c.read(one));
                    assertEquals((byte) i, one.get(0));
                }
            }
            Kit.eventually("the server's handlers to finish", () -> server.metrics().active() == 0);
            server.close();
            Kit.eventually("the transport to count nothing open", () ->
                    transport.metrics().openConnections() == 0 && transport.metrics().openServers() == 0);
        } finally {
            transport.close();
        }
        Kit.eventually("no socket, descriptor or thread to remain: " + before.leaks(), () -> before.leaks().isEmpty());
    }

    @RequiredRule
    void required_1_7_misuseFailsClearlyAndLeavesTheConnectionUsable() throws Exception {
        Server server = kit.serve(Peer::echo);
        Connection c = kit.connect(server.localAddress());
        ByteBuffer readOnly = ByteBuffer.allocate(4).asReadOnlyBuffer();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.read(readOnly));
        assertTrue(e.getMessage().contains("read-only"), e::getMessage);
        assertEquals(0, c.read(ByteBuffer.allocate(0)), "a buffer with no room reads 0");

        c.write(ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)));
        byte[] echoed = Peer.readExactly(c, 2, kit.random());
        assertEquals("ok", new String(echoed, StandardCharsets.US_ASCII));
        assertTrue(c.isOpen());
        assertNotNull(c.remoteAddress());
    }
}
