package net.corosio.examples.resp;

import java.net.InetSocketAddress;
import java.util.List;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportException;
import net.corosio.examples.ExampleArgs.Option;
import net.corosio.examples.Launcher;

/**
 * A key-value server speaking RESP2, enough for redis-cli and redis-benchmark (see {@link
 * Commands}), with pipelining and Redis's error replies, within {@link RespLimits}.
 *
 * <pre>{@code java -cp lab/target/corosio.jar net.corosio.examples.resp.RespServer --backend netty --port 6379}</pre>
 */
public final class RespServer {

    private static final List<Option> OPTIONS = List.of(
            new Option("--max-bulk", "BYTES", "the longest key or value (default 8m)"),
            new Option("--max-args", "N", "the most arguments in one command (default 1048576)"),
            new Option("--max-command", "BYTES", "the most bytes in one command (default 16m)"),
            new Option("--max-memory", "BYTES", "the most the store may hold; then -OOM (default 256m)"),
            new Option("--idle-timeout", "DURATION", "disconnect clients silent this long (default 0: never)"));

    private RespServer() {}

    /**
     * Starts a RESP server with an empty store.
     *
     * @param transport the backend
     * @param address where to listen
     * @param options how to listen (TLS, connection limit); its idle timeout is replaced by {@code limits}'
     * @param limits what clients may send and the store may hold
     * @return the running server
     * @throws TransportException if it cannot listen there
     */
    public static Server serve(Transport transport, InetSocketAddress address, ServerOptions options, RespLimits limits)
            throws TransportException {
        KeyValueStore store = new KeyValueStore(limits.maxMemory());
        ServerOptions withTimeout = options.toBuilder()
                .connection(options.connection().toBuilder().idleTimeout(limits.idleTimeout()).build())
                .build();
        return transport.serve(address, withTimeout,
                new RespConnectionHandler(new RespReader(limits), new Commands(store, limits)));
    }

    /**
     * Runs the RESP server; {@code --help} lists the options.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Launcher.main("resp", 6379, OPTIONS, args, (transport, parsed, options) -> {
            RespLimits defaults = RespLimits.defaults();
            RespLimits limits = defaults
                    .withProtocolLimits(parsed.size("--max-bulk", defaults.maxBulk()),
                            parsed.integer("--max-args", defaults.maxArgs(), 1, Integer.MAX_VALUE),
                            parsed.size("--max-command", (int) defaults.maxCommandBytes()))
                    .withMaxMemory(parsed.size("--max-memory", (int) defaults.maxMemory()))
                    .withIdleTimeout(parsed.duration("--idle-timeout", defaults.idleTimeout()));
            return serve(transport, parsed.listenAddress(6379), options, limits);
        });
    }
}
