package net.corosio.lab.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
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

    @Option(names = "--prop", description = "A backend property, key=value.")
    Map<String, String> properties = Map.of();

    @Option(names = "--tls-keystore", description = "A PKCS12 key store with the server's key: serve TLS.")
    String tlsKeyStore;

    @Option(names = "--tls-password", defaultValue = "", description = "The key store's password.")
    String tlsPassword;

    /**
     * Runs the server until told to stop.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ServerMain()).execute(args));
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
        ObjectMapper json = new ObjectMapper();
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        // 0 means each library's own default for the baselines too, as for the backends built on
        // them: a baseline held to one thread against a backend with four would flatter the API.
        ExecutorService pool = null;
        AutoCloseable running;
        InetSocketAddress bound;
        if (impl.equals(NETTY_NATIVE)) {
            NettyNativeServer server = new NettyNativeServer(any, app, ioThreads);
            running = server;
            bound = server.localAddress();
        } else if (impl.equals(JETTY_NATIVE)) {
            JettyNativeServer server = new JettyNativeServer(any, app, ioThreads);
            running = server;
            bound = server.localAddress();
        } else {
            TransportConfig config = new TransportConfig(ioThreads, properties);
            Transport transport = Transport.open(impl, config);
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
            if (inboundLimit > 0) {
                options.connection(ConnectionOptions.builder().inboundLimit(inboundLimit).build());
            }
            if (tlsKeyStore != null) {
                options.tls(LabTls.serverConfig(tlsKeyStore, tlsPassword.toCharArray()));
            }
            if (!reads.equals("lend") && !reads.equals("copy")) {
                transport.close();
                throw new IllegalArgumentException("--reads must be lend or copy, not " + reads);
            }
            Server server = transport.serve(any, options.build(), ApiApps.handler(app, messageSize, reads.equals("copy")));
            running = () -> {
                server.shutdown(Duration.ofSeconds(1));
                transport.close();
            };
            bound = server.localAddress();
        }
        out.println("READY " + bound.getPort());
        out.flush();
        try {
            String line;
            while ((line = commands.readLine()) != null && !line.equals("STOP")) {
                if (line.startsWith("SNAPSHOT")) {
                    out.println(json.writeValueAsString(ResourceSnapshot.take(line.endsWith("GC"))));
                } else if (line.equals("HISTOGRAM")) {
                    out.println(json.writeValueAsString(ClassHistogram.take()));
                } else {
                    out.println("ERROR unknown command: " + line);
                }
                out.flush();
            }
        } finally {
            running.close();
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }
}
