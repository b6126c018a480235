package net.corosio.examples.http;

import java.net.InetSocketAddress;
import java.util.List;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportException;
import net.corosio.examples.ExampleArgs.Option;
import net.corosio.examples.Launcher;

/**
 * An HTTP/1.1 server: keep-alive, pipelining, Content-Length and chunked request bodies, a hello
 * route, a small static route and an echo route (see {@link Routes}), with every limit and timeout
 * of {@link HttpLimits} answered by the right status.
 *
 * <pre>{@code java -cp lab/target/corosio.jar net.corosio.examples.http.HttpServer --backend netty --port 8080}</pre>
 */
public final class HttpServer {

    private static final List<Option> OPTIONS = List.of(
            new Option("--max-request-line", "BYTES", "the longest request line; longer is 414 (default 8k)"),
            new Option("--max-header-bytes", "BYTES", "the largest header section; larger is 431 (default 16k)"),
            new Option("--max-body", "BYTES", "the largest request body; larger is 413 (default 1m)"),
            new Option("--idle-timeout", "DURATION", "how long a kept-alive connection waits for a request (default 30s)"),
            new Option("--header-timeout", "DURATION", "how long a request head may take from its first byte; then 408 (default 10s)"),
            new Option("--read-timeout", "DURATION", "how long a body read waits for a byte; then 408 (default 30s)"));

    private HttpServer() {}

    /**
     * Starts an HTTP server.
     *
     * @param transport the backend
     * @param address where to listen
     * @param options how to listen (TLS, connection limit); its timeouts are replaced by {@code limits}'
     * @param limits what requests it accepts and how long it waits
     * @return the running server
     * @throws TransportException if it cannot listen there
     */
    public static Server serve(Transport transport, InetSocketAddress address, ServerOptions options, HttpLimits limits)
            throws TransportException {
        ServerOptions withTimeouts = options.toBuilder()
                .connection(options.connection().toBuilder()
                        .idleTimeout(limits.idleTimeout())
                        .readTimeout(limits.readTimeout())
                        .build())
                .build();
        return transport.serve(address, withTimeouts, new HttpConnectionHandler(limits, new Routes(StaticFiles.builtIn())));
    }

    /**
     * Runs the HTTP server; {@code --help} lists the options.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Launcher.main("http", 8080, OPTIONS, args, (transport, parsed, options) -> {
            HttpLimits defaults = HttpLimits.defaults();
            HttpLimits limits = defaults
                    .withHeadLimits(parsed.size("--max-request-line", defaults.maxRequestLine()),
                            parsed.size("--max-header-bytes", defaults.maxHeaderBytes()))
                    .withMaxBody(parsed.size("--max-body", defaults.maxBody()))
                    .withTimeouts(parsed.duration("--idle-timeout", defaults.idleTimeout()),
                            parsed.duration("--header-timeout", defaults.headerTimeout()),
                            parsed.duration("--read-timeout", defaults.readTimeout()));
            return serve(transport, parsed.listenAddress(8080), options, limits);
        });
    }
}
