package net.corosio.examples.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import net.corosio.BufferLease;
import net.corosio.Connection;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportException;
import net.corosio.examples.Launcher;

/**
 * The smallest server: it sends back every byte it receives, as soon as it arrives, until the peer
 * ends its side; then the server closes the connection (after the last echoed byte). Plain or TLS.
 *
 * <pre>{@code java -cp lab/target/corosio.jar net.corosio.examples.echo.EchoServer --backend netty --port 7000}</pre>
 */
public final class EchoServer {

    private EchoServer() {}

    /**
     * Starts an echo server.
     *
     * @param transport the backend
     * @param address where to listen
     * @param options how to listen (TLS, limits)
     * @return the running server
     * @throws TransportException if it cannot listen there
     */
    public static Server serve(Transport transport, InetSocketAddress address, ServerOptions options)
            throws TransportException {
        return transport.serve(address, options, EchoServer::echo);
    }

    /**
     * Echoes one connection: the handler. Each buffer the transport lends goes straight back out —
     * the write takes it over and gives it back once sent — so nothing is copied, and a connection
     * waiting for its next bytes holds no buffer.
     *
     * @param connection the accepted connection
     * @throws IOException if the connection fails
     */
    static void echo(Connection connection) throws IOException {
        BufferLease lease;
        while ((lease = connection.receive()) != null) { // waits for the next bytes; null at end-of-stream
            connection.write(lease);
        }
    }

    /**
     * Runs the echo server: {@code --backend NAME --port N [--tls --keystore FILE --password P]}.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Launcher.main("echo", 7000, List.of(), args,
                (transport, parsed, options) -> serve(transport, parsed.listenAddress(7000), options));
    }
}
