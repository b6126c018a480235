package net.corosio;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import net.corosio.internal.ProviderSelection;
import net.corosio.spi.TransportProvider;

/**
 * A TCP transport: one backend instance that makes client connections and runs servers. Obtain
 * one with {@link #open()}; close it when done, which closes every server and connection it made.
 * Thread-safe.
 *
 * <h2>Which backend {@code open} picks</h2>
 *
 * Providers are found with {@link java.util.ServiceLoader} on the module path and the class path. A
 * provider that fails to load is logged (through {@link System.Logger}, name {@code
 * net.corosio.Transport}) and skipped. Then, in this order:
 *
 * <ol>
 *   <li>the name passed to {@link #open(String)} or {@link #open(String, TransportConfig)};
 *   <li>otherwise the system property {@value #PROVIDER_PROPERTY};
 *   <li>otherwise the only provider found;
 *   <li>otherwise the provider with the highest {@link TransportProvider#priority()}.
 * </ol>
 *
 * If none is found, the name matches no provider, or two providers tie at the top, {@code open}
 * throws {@link IllegalStateException} naming what was searched and what was found.
 */
public interface Transport extends AutoCloseable {

    /** The system property that names the backend when {@link #open()} is given none. */
    String PROVIDER_PROPERTY = "corosio.transport";

    /**
     * Opens the backend chosen by the documented order, with default settings.
     *
     * @return a new transport, owned by the caller
     * @throws IllegalStateException if no backend can be chosen (the message says why)
     * @throws TransportException if the chosen backend cannot start
     */
    static Transport open() throws TransportException {
        return open(null, TransportConfig.defaults());
    }

    /**
     * Opens the named backend with default settings.
     *
     * @param name the provider's name, or {@code null} to choose by the documented order
     * @return a new transport, owned by the caller
     * @throws IllegalStateException if no provider has that name (the message lists those found)
     * @throws TransportException if the backend cannot start
     */
    static Transport open(String name) throws TransportException {
        return open(name, TransportConfig.defaults());
    }

    /**
     * Opens the named backend with the given settings.
     *
     * @param name the provider's name, or {@code null} to choose by the documented order
     * @param config the instance's settings
     * @return a new transport, owned by the caller
     * @throws IllegalStateException if no backend can be chosen (the message says why)
     * @throws TransportException if the backend cannot start
     */
    static Transport open(String name, TransportConfig config) throws TransportException {
        return ProviderSelection.select(name, ProviderSelection.discover()).create(config);
    }

    /**
     * Lists the providers found, highest priority first. Providers that fail to load are logged
     * and left out.
     *
     * @return the providers; possibly empty
     */
    static List<TransportProvider> available() {
        return ProviderSelection.discover();
    }

    /**
     * Returns the backend's name, as its provider gives it.
     *
     * @return the name
     */
    String name();

    /**
     * Returns the optional features this backend supports.
     *
     * @return the capabilities
     */
    Set<Capability> capabilities();

    /**
     * Starts a server listening on {@code address} that runs {@code handler} for every accepted
     * connection. Returns once the server is listening.
     *
     * @param address where to listen; port 0 picks a free port (see {@link Server#localAddress()})
     * @param options how to listen and serve
     * @param handler what to run for each connection
     * @return the running server
     * @throws TransportException {@link ErrorKind#ADDRESS_IN_USE} if the address is taken, {@link
     *     ErrorKind#UNRESOLVED} if its host cannot be resolved, {@link ErrorKind#IO} otherwise
     * @throws IllegalStateException if this transport is closed
     */
    Server serve(InetSocketAddress address, ServerOptions options, ConnectionHandler handler)
            throws TransportException;

    /**
     * Connects to {@code address}, suspending until the connection (and, with TLS, its handshake)
     * is complete.
     *
     * @param address where to connect; an unresolved address is resolved first
     * @param options how to connect
     * @return the open connection, owned by the caller
     * @throws TransportException {@link ErrorKind#REFUSED}, {@link ErrorKind#UNRESOLVED}, {@link
     *     ErrorKind#CONNECT_TIMEOUT}, {@link ErrorKind#TLS_HANDSHAKE}, or {@link
     *     ErrorKind#CANCELLED} if the thread is interrupted
     * @throws IllegalStateException if this transport is closed
     */
    Connection connect(InetSocketAddress address, ClientOptions options) throws TransportException;

    /**
     * Connects with {@link ClientOptions#defaults()}.
     *
     * @param address where to connect
     * @return the open connection, owned by the caller
     * @throws TransportException as for {@link #connect(InetSocketAddress, ClientOptions)}
     */
    default Connection connect(InetSocketAddress address) throws TransportException {
        return connect(address, ClientOptions.defaults());
    }

    /**
     * Returns what this transport holds open.
     *
     * @return a snapshot of the counts
     */
    TransportMetrics metrics();

    /**
     * Closes every server (with no grace) and every connection this transport made, then stops its
     * threads. Idempotent; never throws.
     */
    @Override
    void close();
}
