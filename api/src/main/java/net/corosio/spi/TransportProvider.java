package net.corosio.spi;

import java.util.Set;
import net.corosio.Capability;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.TransportException;

/**
 * A backend, as {@link java.util.ServiceLoader} finds it. The provider is a cheap factory: it has
 * a public no-argument constructor that does nothing, and all real work (threads, selectors,
 * native libraries) happens in {@link #create}.
 *
 * <p>Register an implementation twice, so it is found on the module path and on the class path:
 * {@code provides net.corosio.spi.TransportProvider with ...} in {@code module-info.java}, and the
 * class name in {@code META-INF/services/net.corosio.spi.TransportProvider}. The kit checks that
 * the two agree.
 *
 * <p>Implementations must be thread-safe.
 */
public interface TransportProvider {

    /**
     * Returns the name users select the backend by ({@code "netty"}, {@code "loom"}): lower case,
     * unique among providers, and stable across releases.
     *
     * @return the backend's name
     */
    String name();

    /**
     * Returns the priority used when several providers are present and none is asked for by name;
     * the highest wins and a tie at the top is an error.
     *
     * @return the priority
     */
    int priority();

    /**
     * Returns the optional features this backend supports; the kit tests exactly these.
     *
     * @return the capabilities
     */
    Set<Capability> capabilities();

    /**
     * Returns a one-line description of the backend and the library version it runs on, for
     * reports.
     *
     * @return the description, e.g. {@code "Netty 4.2.18.Final (epoll)"}
     */
    default String description() {
        return name();
    }

    /**
     * Creates a transport instance, starting whatever threads the backend needs.
     *
     * @param config the instance's settings
     * @return a new transport, owned by the caller, who must close it
     * @throws TransportException if the backend cannot start (for example a native IO mode that is
     *     asked for but unavailable)
     * @throws IllegalArgumentException if a property has a value the backend does not accept
     */
    Transport create(TransportConfig config) throws TransportException;
}
