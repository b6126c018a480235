package net.corosio.examples;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import net.corosio.Server;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every example's {@code main} does around its own server: parse the command line, open the
 * chosen backend, start the server, print one line saying where it listens, and on SIGINT or
 * SIGTERM shut it down gracefully.
 *
 * <p>The printed line is the mains' only console output, and tools read it: {@code <program>
 * listening on <host>:<port> (backend <name>, plain|TLS)}. Exit codes: 2 for a bad command line,
 * 3 when the server cannot start (no such backend, port in use, unreadable key store).
 */
public final class Launcher {

    /** The prefix tools look for, after the program's name, on standard output. */
    public static final String LISTENING = " listening on ";

    /** How long handlers may take to finish when the process is asked to stop. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private Launcher() {}

    /** Starts one example's server once the transport is open. */
    @FunctionalInterface
    public interface Starter {
        /**
         * Starts the server.
         *
         * @param transport the chosen backend, open
         * @param args the command line
         * @param options {@code --max-connections} and {@code --tls} applied; the starter adds its own
         * @return the running server
         * @throws Exception if it cannot start; usage problems as {@link ExampleArgs.UsageException}
         */
        Server start(Transport transport, ExampleArgs args, ServerOptions options) throws Exception;
    }

    /**
     * Runs an example until the process is told to stop; exits the JVM on a usage or start-up error.
     *
     * @param program the example's name
     * @param defaultPort the port when {@code --port} is absent
     * @param specific the options this example takes besides the common ones
     * @param argv the command line
     * @param starter what to start
     */
    public static void main(String program, int defaultPort, List<ExampleArgs.Option> specific, String[] argv,
            Starter starter) {
        PrintStream console = System.out;
        ExampleArgs args;
        try {
            args = ExampleArgs.parse(program, argv, specific);
            if (args.flag("--help")) {
                console.print(args.usage());
                return;
            }
            args.checkTls();
            args.listenAddress(defaultPort); // a bad address is a usage error before any backend starts
        } catch (ExampleArgs.UsageException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Transport transport = null;
        Server server;
        try {
            transport = Transport.open(args.backend());
            ServerOptions.Builder options = ServerOptions.builder()
                    .maxConnections(args.integer("--max-connections", 0, 0, Integer.MAX_VALUE));
            if (args.flag("--tls")) {
                options.tls(TlsFiles.serverConfig(Path.of(args.string("--keystore", "")),
                        args.string("--password", "").toCharArray()));
            }
            server = starter.start(transport, args, options.build());
        } catch (ExampleArgs.UsageException e) {
            close(transport);
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        } catch (Exception e) {
            close(transport);
            System.err.println(program + ": cannot start: " + e.getMessage());
            LOG.debug("{} failed to start", program, e);
            System.exit(3);
            return;
        }
        InetSocketAddress bound = server.localAddress();
        console.println(program + LISTENING + bound.getAddress().getHostAddress() + ":" + bound.getPort()
                + " (backend " + transport.name() + ", " + (args.flag("--tls") ? "TLS" : "plain") + ")");
        console.flush();
        LOG.info("{} started with {}", program, args.given());
        awaitStop(program, server, transport);
    }

    private static void awaitStop(String program, Server server, Transport transport) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("{} stopping: {}", program, server.shutdown(GRACE));
            transport.close();
            stopped.countDown();
        }, program + "-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Transport transport) {
        if (transport != null) {
            transport.close();
        }
    }
}
