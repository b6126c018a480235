package net.corosio.lab.faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.corosio.HandlerExecutors;
import net.corosio.TransportConfig;
import net.corosio.lab.bench.Subject;

/**
 * One configuration of a backend under test: its name, its properties (a Netty I/O mode is one),
 * and the handler executor its servers use. The lab's dimensions — backend, I/O mode, executor —
 * are all here, so a new executor mode is one more value of {@link #executor}, not new code paths.
 *
 * @param backend the backend's name
 * @param properties backend properties, e.g. {@code netty.io=epoll}
 * @param executor {@code virtual}, {@code loop} (handlers carried by the backend's event loops) or
 *     {@code platform:N}
 */
public record Variant(String backend, Map<String, String> properties, String executor) {

    /** The property that selects Netty's I/O mode. */
    public static final String NETTY_IO = "netty.io";

    /** Copies the properties and checks the executor. */
    public Variant {
        properties = Map.copyOf(new LinkedHashMap<>(properties));
        if (!executor.equals("virtual") && !executor.equals("loop") && !executor.matches("platform:[1-9][0-9]*")) {
            throw new IllegalArgumentException("executor must be virtual, loop or platform:N: " + executor);
        }
    }

    /**
     * Names the variant for tables: {@code loom}, {@code netty/epoll}, {@code nio@platform:4}.
     *
     * @return the label
     */
    public String label() {
        String label = backend;
        if (properties.containsKey(NETTY_IO)) {
            label += "/" + properties.get(NETTY_IO);
        }
        return executor.equals("virtual") ? label : label + "@" + executor;
    }

    /**
     * Returns the transport settings.
     *
     * @return the configuration
     */
    public TransportConfig config() {
        return new TransportConfig(0, properties);
    }

    /**
     * Creates the handler executor; a platform pool is an {@link ExecutorService} that the caller
     * shuts down when done.
     *
     * @return the executor
     */
    public Executor newHandlerExecutor() {
        if (executor.equals("virtual")) {
            return HandlerExecutors.virtualThreads();
        }
        if (executor.equals("loop")) {
            return HandlerExecutors.eventLoop();
        }
        int size = Integer.parseInt(executor.substring("platform:".length()));
        return Executors.newFixedThreadPool(size, Thread.ofPlatform().name("fault-handler-", 0).daemon().factory());
    }

    /**
     * Expands backends × Netty I/O modes × executors into variants.
     *
     * @param backends backend names
     * @param nettyModes the I/O modes the {@code netty} backend runs in (empty: its default only)
     * @param executors the executors
     * @param properties properties for every variant
     * @return the variants, backend by backend
     */
    public static List<Variant> expand(List<String> backends, List<String> nettyModes, List<String> executors,
            Map<String, String> properties) {
        List<Variant> variants = new ArrayList<>();
        for (String backend : backends) {
            List<Map<String, String>> settings = new ArrayList<>();
            if (backend.equals("netty") && !nettyModes.isEmpty() && !properties.containsKey(NETTY_IO)) {
                for (String mode : nettyModes) {
                    Map<String, String> withMode = new LinkedHashMap<>(properties);
                    withMode.put(NETTY_IO, mode);
                    settings.add(withMode);
                }
            } else {
                settings.add(properties);
            }
            for (Map<String, String> setting : settings) {
                for (String executor : executors) {
                    if (Subject.supports(backend, executor)) { // loop: only where the backend carries handlers
                        variants.add(new Variant(backend, setting, executor));
                    }
                }
            }
        }
        return variants;
    }
}
