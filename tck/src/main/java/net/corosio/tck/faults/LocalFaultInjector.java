package net.corosio.tck.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kit's own fault-injecting proxy: plain JDK socket channels, blocking, each connection served
 * by four virtual threads (a reader and a writer each way) — written on the JDK alone, so it is
 * never one of the backends it tests. It listens on the loopback address only and is bounded: at
 * most {@code maxConnections} connections per proxy (more are reset at once) and {@value
 * ToxicPipe#QUEUE_BYTES} bytes queued each way per connection (the sender is then held back by TCP,
 * as on a real path). Every toxic of {@link Toxic} is supported.
 */
public final class LocalFaultInjector implements FaultInjector {

    /** The connection limit of {@link #LocalFaultInjector()}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    private final int maxConnections;
    private final Map<String, LocalFaultProxy> proxies = new ConcurrentHashMap<>();

    /** Creates an injector whose proxies hold at most {@value #DEFAULT_MAX_CONNECTIONS} connections. */
    public LocalFaultInjector() {
        this(DEFAULT_MAX_CONNECTIONS);
    }

    /**
     * Creates an injector.
     *
     * @param maxConnections the most connections each proxy holds at once
     * @throws IllegalArgumentException if it is not positive
     */
    public LocalFaultInjector(int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections < 1: " + maxConnections);
        }
        this.maxConnections = maxConnections;
    }

    @Override
    public String name() {
        return "built-in";
    }

    @Override
    public FaultProxy proxy(String name, InetSocketAddress upstream) throws IOException {
        LocalFaultProxy proxy = new LocalFaultProxy(name, upstream, maxConnections, proxies::remove);
        if (proxies.putIfAbsent(name, proxy) != null) {
            proxy.close();
            throw new IllegalArgumentException("a proxy named '" + name + "' exists already");
        }
        return proxy;
    }

    @Override
    public boolean supports(Toxic toxic) {
        return true;
    }

    @Override
    public void close() {
        List.copyOf(proxies.values()).forEach(LocalFaultProxy::close);
    }

    @Override
    public String toString() {
        return "LocalFaultInjector[" + proxies.keySet() + "]";
    }
}
