package net.corosio.lab.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.corosio.HandlerExecutors;
import net.corosio.Server;
import net.corosio.ConnectionOptions;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportConfig;
import net.corosio.TransportException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The server under test, in its own JVM so that its CPU, memory, GC and allocation are its own.
 * It prints {@code READY <port>} once listening, then answers commands on standard input, one per
 * line: {@code SNAPSHOT} or {@code SNAPSHOT GC} print a {@link ResourceSnapshot} as one JSON line;
 * {@code HISTOGRAM} prints the live objects by class ({@link ClassHistogram}) as one JSON line;
 * {@code STOP} (or the end of input) shuts down. Its standard output carries only this protocol.
 */
@Command(name = "corosio-server", mixinStandardHelpOptions = true, description = "The lab's server under test.")
public final class ServerMain implements Callable<Integer> {

    /** Implementations that are not backends: servers written directly on the libraries. */
    public static final String NETTY_NATIVE = "netty-native";

    /** The Jetty baseline's name. */
    public static final String JETTY_NATIVE = "jetty-native";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--impl", required = true, description = "A backend name, or netty-native / jetty-native.")
    String impl;

    @Option(names = "--app", defaultValue = "ECHO", description = "ECHO, SINK or FANOUT.")
    ServerApp app;

    @Option(names = "--message-size", defaultValue = "64", description = "Fanout message size in bytes.")
    int messageSize;

    @Option(names = "--io-threads", defaultValue = "0", description = "I/O threads (0: the backend's default).")
    int ioThreads;

    @Option(names = "--executor", defaultValue = "virtual",
            description = "virtual, loop (carried by the backend's event loops), or platform:N for a pool of N.")
    String executor;

    @Option(names = "--reads", defaultValue = "lend",
            description = "How the API's apps read: lend (receive(): the transport's buffers) or copy"
                    + " (read(ByteBuffer) into a 16 KiB buffer per connection).")
    String reads;

    @Option(names = "--inbound-limit", defaultValue = "0", description = "Connections' inbound limit in bytes; 0 = the API's default.")
    int inboundLimit;

    @Option(names = "--handshake-timeout", description = "The TLS handshake timeout; default the API's.")
    Duration handshakeTimeout;

    @Option(names = "--idle-timeout", description = "The connections' idle timeout; default none.")
    Duration idleTimeout;

    @Option(names = "--backlog", defaultValue = "0", description = "The listen backlog; 0 = the API's default.")
    int backlog;

    @Option(names = "--socket-buffer", defaultValue = "0",
            description = "The connections' kernel send and receive buffers in bytes; 0 = the system's.")
    int socketBuffer;

    @Option(names = "--prop", description = "A backend property, key=value.")
    Map<String, String> properties = Map.of();

    @Option(names = "--tls-keystore", description = "A PKCS12 key store with the server's key: serve TLS.")
    String tlsKeyStore;

    @Option(names = "--tls-password", defaultValue = "", description = "The key store's password.")
    String tlsPassword;

    private ConnectionOptions connectionOptions() {
        ConnectionOptions.Builder connection = ConnectionOptions.builder();
        if (inboundLimit > 0) {
            connection.inboundLimit(inboundLimit);
        }
        if (handshakeTimeout != null) {
            connection.tlsHandshakeTimeout(handshakeTimeout);
        }
        if (idleTimeout != null) {
            connection.idleTimeout(idleTimeout);
        }
        if (socketBuffer > 0) {
            connection.socket(net.corosio.SocketOptions.defaults().withReceiveBufferSize(socketBuffer)
                    .withSendBufferSize(socketBuffer));
        }
        return connection.build();
    }

    /**
     * Runs the server until told to stop.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ServerMain())
                .registerConverter(Duration.class, new net.corosio.lab.cli.DurationConverter())
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try (BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            serve(commands, System.out);
        }
        return 0;
    }

    /**
     * Starts the server, answers commands until {@code STOP} or the end of input, then stops it.
     * The lab calls this directly, on pipes, when it runs the server in its own JVM.
     *
     * @param commands where commands come from
     * @param out where {@code READY} and the answers go
     * @throws Exception if the server cannot start
     */
    public void serve(BufferedReader commands, PrintStream out) throws Exception {
        try (Running running = start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            out.println("READY " + running.address().getPort());
            out.flush();
            String line;
            while ((line = commands.readLine()) != null && !line.equals("STOP")) {
                out.println(answer(line, running.counters()));
                out.flush();
            }
        }
    }

    /**
     * Answers one command of the protocol: {@code SNAPSHOT} or {@code SNAPSHOT GC} with a {@link
     * ResourceSnapshot} as one JSON line, anything else with {@code ERROR unknown command: ...}.
     *
     * @param command the command line
     * @param counters the running server's own counters, for the snapshot
     * @return the answer, one line
     */
    public static String answer(String command, ServerCounters counters) {
        if (command.equals("SNAPSHOT") || command.equals("SNAPSHOT GC")) {
            try {
                return JSON.writeValueAsString(ResourceSnapshot.take(command.endsWith("GC"), counters.connections(),
                        counters.tlsHandshakeFailures()));
            } catch (JsonProcessingException e) {
                return "ERROR " + e.getMessage();
            }
        }
        if (command.equals("HISTOGRAM")) {
            try {
                return JSON.writeValueAsString(ClassHistogram.take());
            } catch (JsonProcessingException e) {
                return "ERROR " + e.getMessage();
            }
        }
        return "ERROR unknown command: " + command;
    }

    /**
     * Starts the server on {@code bind}.
     *
     * @param bind where to listen (port 0 for any free port)
     * @return the running server; closing it stops the server
     * @throws Exception if the server cannot start
     */
    public Running start(InetSocketAddress bind) throws Exception {
        // 0 means each library's own default for the baselines too, as for the backends built on
        // them: a baseline held to one thread against a backend with four would flatter the API.
        if (impl.equals(NETTY_NATIVE)) {
            NettyNativeServer server = new NettyNativeServer(bind, app, ioThreads);
            return new Running(server.localAddress(), server, ServerCounters.NONE);
        }
        if (impl.equals(JETTY_NATIVE)) {
            JettyNativeServer server = new JettyNativeServer(bind, app, ioThreads);
            return new Running(server.localAddress(), server, ServerCounters.NONE);
        }
        TransportConfig config = new TransportConfig(ioThreads, properties);
        Transport transport = Transport.open(impl, config);
        ExecutorService pool = null;
        ServerOptions.Builder options = ServerOptions.builder();
        if (executor.startsWith("platform:")) {
            int size = Integer.parseInt(executor.substring("platform:".length()));
            pool = Executors.newFixedThreadPool(size, Thread.ofPlatform().name("handler-", 0).daemon().factory());
            options.handlerExecutor(pool);
        } else if (executor.equals("loop")) {
            options.handlerExecutor(HandlerExecutors.eventLoop());
        } else if (!executor.equals("virtual")) {
            transport.close();
            throw new IllegalArgumentException("--executor must be virtual, loop or platform:N, not " + executor);
        } else {
            options.handlerExecutor(HandlerExecutors.virtualThreads());
        }
        options.connection(connectionOptions());
        if (backlog > 0) {
            options.backlog(backlog);
        }
        if (tlsKeyStore != null) {
            options.tls(LabTls.serverConfig(tlsKeyStore, tlsPassword.toCharArray()));
        }
        if (!reads.equals("lend") && !reads.equals("copy")) {
            transport.close();
            throw new IllegalArgumentException("--reads must be lend or copy, not " + reads);
        }
        Server server;
        try {
            server = transport.serve(bind, options.build(), ApiApps.handler(app, messageSize, reads.equals("copy")));
        } catch (TransportException | RuntimeException e) {
            transport.close(); // refused (a busy port, a mode the JVM does not allow): nothing left running
            if (pool != null) {
                pool.shutdownNow();
            }
            throw e;
        }
        ExecutorService handlers = pool;
        Server served = server;
        ServerCounters counters = new ServerCounters() {
            @Override
            public long connections() {
                return transport.metrics().openConnections();
            }

            @Override
            public long tlsHandshakeFailures() {
                return served.metrics().tlsHandshakeFailures();
            }
        };
        return new Running(server.localAddress(), () -> {
            server.shutdown(Duration.ofSeconds(1));
            transport.close();
            if (handlers != null) {
                handlers.shutdownNow();
            }
        }, counters);
    }

    /**
     * A server that runs until closed.
     *
     * @param address where it listens
     * @param stop stops it
     * @param counters its transport's and server's counters, for snapshots
     */
    public record Running(InetSocketAddress address, AutoCloseable stop, ServerCounters counters) implements AutoCloseable {
        /**
         * Stops the server.
         *
         * @throws IOException if it did not stop cleanly (interrupted: the flag is set again)
         */
        @Override
        public void close() throws IOException {
            try {
                stop.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping the server", e);
            } catch (Exception e) {
                throw new IOException("the server did not stop cleanly", e);
            }
        }
    }
}
