package net.corosio;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import net.corosio.internal.Checks;

/**
 * Settings for a whole transport instance, handed to the backend when it is created. Immutable and
 * thread-safe.
 *
 * <p>Backend-specific knobs travel as namespaced properties ({@code netty.io=epoll}). A property
 * not set here is looked up among the JVM's system properties, so {@code -Dnetty.io=epoll} works
 * without code.
 *
 * @param ioThreads the number of I/O threads (event loops, selectors) for backends that have them,
 *     or 0 for the backend's default; backends without I/O threads ignore it
 * @param properties backend-specific settings, keyed {@code <backend>.<name>}
 */
public record TransportConfig(int ioThreads, Map<String, String> properties) {

    private static final TransportConfig DEFAULTS = new TransportConfig(0, Map.of());

    /**
     * Checks and copies the values.
     *
     * @throws IllegalArgumentException if {@code ioThreads} is negative
     */
    public TransportConfig {
        Checks.nonNegative("ioThreads", ioThreads);
        properties = Map.copyOf(properties);
    }

    /**
     * Returns the defaults: backend-chosen I/O threads and no properties.
     *
     * @return the default configuration
     */
    public static TransportConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a copy with the given I/O thread count.
     *
     * @param threads the I/O threads, or 0 for the backend's default
     * @return a new instance
     */
    public TransportConfig withIoThreads(int threads) {
        return new TransportConfig(threads, properties);
    }

    /**
     * Returns a copy with one more property (replacing an earlier value for the key).
     *
     * @param key the property's name, {@code <backend>.<name>}
     * @param value its value
     * @return a new instance
     */
    public TransportConfig withProperty(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(properties);
        copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return new TransportConfig(ioThreads, copy);
    }

    /**
     * Looks a property up here, then among the system properties.
     *
     * @param key the property's name
     * @return its value, if set in either place
     */
    public Optional<String> property(String key) {
        String value = properties.get(key);
        return Optional.ofNullable(value != null ? value : System.getProperty(key));
    }
}
