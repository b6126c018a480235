package net.corosio.examples;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.TlsConfig;
import net.corosio.Transport;

/**
 * An example server running in the test's JVM on one backend, on a free loopback port; closing it
 * shuts the server down and closes the transport.
 *
 * @param transport the backend
 * @param server the example's server
 */
public record Running(Transport transport, Server server) implements AutoCloseable {

    /** Starts an example's server. */
    @FunctionalInterface
    public interface Starter {
        /**
         * Starts the server.
         *
         * @param transport the backend
         * @param address a free loopback address
         * @param options plain or TLS
         * @return the server
         * @throws Exception if it cannot start
         */
        Server start(Transport transport, InetSocketAddress address, ServerOptions options) throws Exception;
    }

    /**
     * Opens a backend and starts an example on it.
     *
     * @param backend the backend's name
     * @param tls the server's TLS settings, or {@code null} for plain TCP
     * @param starter what to start
     * @return the running example
     * @throws Exception if it cannot start
     */
    public static Running start(String backend, TlsConfig tls, Starter starter) throws Exception {
        Transport transport = Transport.open(backend);
        try {
            ServerOptions options = ServerOptions.builder().tls(tls).build();
            return new Running(transport, starter.start(transport,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), options));
        } catch (Exception | Error e) {
            transport.close();
            throw e;
        }
    }

    /**
     * Returns where the example listens.
     *
     * @return the address
     */
    public InetSocketAddress address() {
        return server.localAddress();
    }

    /**
     * Returns the port it listens on.
     *
     * @return the port
     */
    public int port() {
        return server.localAddress().getPort();
    }

    /**
     * Returns a plain HTTP URL on the example.
     *
     * @param path the path, starting with {@code /}
     * @return the URL
     */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(2));
        transport.close();
    }
}
