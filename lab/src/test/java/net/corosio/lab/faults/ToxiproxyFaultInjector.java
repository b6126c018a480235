package net.corosio.lab.faults;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import net.corosio.tck.faults.Direction;
import net.corosio.tck.faults.FaultInjector;
import net.corosio.tck.faults.FaultProxy;
import net.corosio.tck.faults.ProxyCounters;
import net.corosio.tck.faults.Toxic;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.Testcontainers;
import org.testcontainers.toxiproxy.ToxiproxyContainer;

/**
 * The {@link FaultInjector} seam on a real Toxiproxy in a container started by Testcontainers, so
 * the kit's scenarios can be checked against the tool whose vocabulary they borrow. Needs a Docker
 * engine ({@link #dockerAvailable()}). The container reaches the lab's servers on the host through
 * Testcontainers' host access. Toxiproxy counts nothing the lab can read, so {@link
 * FaultProxy#counters()} is empty, and it resets on time only, so {@link Toxic.ResetPeer} after a
 * byte count is not supported. A path that is "down" is not comparable either: Docker's port
 * forwarding accepts the connect before Toxiproxy refuses it.
 */
final class ToxiproxyFaultInjector implements FaultInjector {

    /** The Toxiproxy image. */
    static final String IMAGE = "ghcr.io/shopify/toxiproxy:2.5.0";

    /** The container's ports for proxies, as the Testcontainers module exposes them. */
    private static final int FIRST_PORT = 8666;
    private static final int LAST_PORT = 8697;

    private final ToxiproxyContainer container;
    private final ToxiproxyClient client;
    private final Map<String, Proxy> proxies = new ConcurrentHashMap<>();
    private int nextPort = FIRST_PORT;

    /** Starts the container. */
    ToxiproxyFaultInjector() {
        container = new ToxiproxyContainer(IMAGE).withAccessToHost(true);
        container.start();
        client = new ToxiproxyClient(container.getHost(), container.getControlPort());
    }

    /**
     * Returns whether a Docker engine answers here.
     *
     * @return whether Testcontainers can start a container
     */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "toxiproxy";
    }

    @Override
    public synchronized FaultProxy proxy(String name, InetSocketAddress upstream) throws IOException {
        if (nextPort > LAST_PORT) {
            throw new IllegalStateException("the Toxiproxy container has no proxy port left (" + FIRST_PORT + "-" + LAST_PORT + ")");
        }
        int port = nextPort++;
        Testcontainers.exposeHostPorts(upstream.getPort());
        Proxy proxy = client.createProxy(name, "0.0.0.0:" + port, "host.testcontainers.internal:" + upstream.getPort());
        proxies.put(name, proxy);
        InetSocketAddress listen = new InetSocketAddress(container.getHost(), container.getMappedPort(port));
        return new ToxiproxyProxy(proxy, listen);
    }

    @Override
    public boolean supports(Toxic toxic) {
        return !(toxic instanceof Toxic.ResetPeer reset && reset.afterBytes() >= 0);
    }

    @Override
    public void close() {
        for (Proxy proxy : List.copyOf(proxies.values())) {
            try {
                proxy.delete();
            } catch (IOException e) {
                // the container goes next
            }
        }
        container.stop();
    }

    /** One Toxiproxy proxy behind the seam. */
    private final class ToxiproxyProxy implements FaultProxy {
        private final Proxy proxy;
        private final InetSocketAddress listen;

        ToxiproxyProxy(Proxy proxy, InetSocketAddress listen) {
            this.proxy = proxy;
            this.listen = listen;
        }

        @Override
        public String name() {
            return proxy.getName();
        }

        @Override
        public InetSocketAddress listenAddress() {
            return listen;
        }

        @Override
        public void addToxic(String toxicName, Direction direction, Toxic toxic) {
            if (!supports(toxic)) {
                throw new UnsupportedOperationException("Toxiproxy resets on time only, not after " + toxic);
            }
            ToxicDirection way = direction == Direction.UPSTREAM ? ToxicDirection.UPSTREAM : ToxicDirection.DOWNSTREAM;
            try {
                switch (toxic) {
                    case Toxic.Latency l -> proxy.toxics().latency(toxicName, way, l.latency().toMillis())
                            .setJitter(l.jitter().toMillis());
                    // Toxiproxy's rate is in KB/s.
                    case Toxic.Bandwidth b -> proxy.toxics().bandwidth(toxicName, way, Math.max(1, b.bytesPerSecond() / 1000));
                    case Toxic.Slicer s -> proxy.toxics().slicer(toxicName, way, s.averageSize(), s.delay().toNanos() / 1000)
                            .setSizeVariation(s.sizeVariation());
                    case Toxic.LimitData l -> proxy.toxics().limitData(toxicName, way, l.bytes());
                    case Toxic.ResetPeer r -> proxy.toxics().resetPeer(toxicName, way, r.after().toMillis());
                    case Toxic.Timeout t -> proxy.toxics().timeout(toxicName, way, t.timeout().toMillis());
                    case Toxic.SlowClose s -> proxy.toxics().slowClose(toxicName, way, s.delay().toMillis());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Toxiproxy refused " + toxic, e);
            }
        }

        @Override
        public void removeToxic(String toxicName) {
            try {
                proxy.toxics().get(toxicName).remove();
            } catch (IOException e) {
                // not there
            }
        }

        @Override
        public void disable() {
            try {
                proxy.disable();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void enable() {
            try {
                proxy.enable();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Optional<ProxyCounters> counters() {
            return Optional.empty();
        }

        @Override
        public void close() {
            try {
                proxy.delete();
            } catch (IOException e) {
                // deleted with the container
            }
            proxies.remove(proxy.getName());
        }
    }
}
