package net.corosio.examples.proxy;

import java.net.InetSocketAddress;
import java.util.List;
import net.corosio.ClientOptions;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportException;
import net.corosio.examples.ExampleArgs;
import net.corosio.examples.ExampleArgs.Option;
import net.corosio.examples.Launcher;

/**
 * A TCP forwarder — a server and a client in one process: every connection it accepts is joined
 * to a new connection to the target, byte for byte, with backpressure end to end, half-close
 * passed on in each direction and resets passed on as resets (see {@link Pump}). It can accept
 * TLS ({@code --tls}) in front of a plain target.
 *
 * <pre>{@code java -cp lab/target/corosio.jar net.corosio.examples.proxy.TcpProxy --backend netty --port 8081 --target 127.0.0.1:8080}</pre>
 */
public final class TcpProxy {

    private static final List<Option> OPTIONS = List.of(
            new Option("--target", "HOST:PORT", "where to forward connections (required)"));

    private TcpProxy() {}

    /**
     * Starts a proxy.
     *
     * @param transport the backend, for both the listening and the outgoing side
     * @param address where to listen
     * @param options how to listen
     * @param target where to forward each connection
     * @param upstreamOptions how to connect to the target
     * @return the running server
     * @throws TransportException if it cannot listen there
     */
    public static Server serve(Transport transport, InetSocketAddress address, ServerOptions options,
            InetSocketAddress target, ClientOptions upstreamOptions) throws TransportException {
        return transport.serve(address, options, new ProxyHandler(transport, target, upstreamOptions));
    }

    /**
     * Runs the proxy; {@code --help} lists the options.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Launcher.main("proxy", 8081, OPTIONS, args, (transport, parsed, options) -> serve(transport,
                parsed.listenAddress(8081), options, target(parsed), ClientOptions.defaults()));
    }

    private static InetSocketAddress target(ExampleArgs parsed) throws ExampleArgs.UsageException {
        String target = parsed.string("--target", null);
        int colon = target == null ? -1 : target.lastIndexOf(':');
        if (colon <= 0) {
            throw new ExampleArgs.UsageException("proxy: --target HOST:PORT is required, e.g. --target 127.0.0.1:8080");
        }
        try {
            int port = Integer.parseInt(target.substring(colon + 1));
            if (port >= 1 && port <= 65535) {
                return InetSocketAddress.createUnresolved(target.substring(0, colon), port);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ExampleArgs.UsageException("proxy: --target needs a port from 1 to 65535, not '" + target + "'");
    }
}
