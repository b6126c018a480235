package net.corosio.lab.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import net.corosio.lab.Corosio;
import net.corosio.lab.bench.ServerSpec;
import net.corosio.lab.server.ControlPort;
import net.corosio.lab.server.ServerApp;
import net.corosio.lab.server.ServerMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code corosio serve}: one backend's lab server (or a native baseline) on a chosen address, with
 * a control port that reports its resource figures, so {@code bench --target HOST:PORT --control
 * HOST:PORT} on a second machine gets the same server columns as a run the lab starts itself.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve one backend's lab server (echo, sink or fanout), or a native baseline, on a chosen address, "
                + "with a control port that answers INFO and SNAPSHOT, so that `corosio bench --target HOST:PORT --control "
                + "HOST:PORT` on another machine reports the server's CPU, memory, GC and allocation.",
                "This JVM is the server: start it with -Djdk.virtualThreadScheduler.parallelism=N "
                        + "(java -D... -jar lab/target/corosio.jar serve ...) to choose its carriers."})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--impl", required = true, description = "A backend (loom, nio, netty, jetty) or netty-native / jetty-native.")
    String impl;

    @Option(names = "--app", defaultValue = "echo", description = "echo, sink or fanout (default ${DEFAULT-VALUE}).")
    String app;

    @Option(names = "--listen", defaultValue = "127.0.0.1:7000", description = "host:port of the server (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--control", description = "host:port of the control port (default: the same host, the next port).")
    String control;

    @Option(names = "--executor", defaultValue = "virtual",
            description = "Handler executor: virtual, loop (carried by the backend's event loops; the JVM needs "
                    + "--add-opens java.base/java.lang=ALL-UNNAMED, which the lab's jar opens), or platform:N.")
    String executor;

    @Option(names = "--io-threads", defaultValue = "0", description = "I/O threads; 0 = the backend's default.")
    int ioThreads;

    @Option(names = "--inbound-limit", defaultValue = "0", description = "Connections' inbound limit in bytes; 0 = the API's default.")
    int inboundLimit;

    @Option(names = "--message-size", defaultValue = "64", description = "Fanout message size (default ${DEFAULT-VALUE}).")
    int messageSize;

    @Option(names = "--prop", description = "A backend property, key=value (e.g. netty.io=epoll).")
    Map<String, String> properties = Map.of();

    @Option(names = "--for", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 10m); default: until interrupted (Ctrl-C).")
    Duration lifetime;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ServerApp serverApp = parseApp();
        InetSocketAddress server = address(listen, "--listen");
        InetSocketAddress side = control != null ? address(control, "--control")
                : new InetSocketAddress(server.getHostString(), server.getPort() == 0 ? 0 : server.getPort() + 1);
        ServerMain main = new ServerMain();
        new CommandLine(main).parseArgs(new ServerSpec(impl, serverApp, messageSize, ioThreads, executor, false, inboundLimit,
                properties, null, null, List.of()).arguments().toArray(String[]::new));
        CountDownLatch stopped = new CountDownLatch(1);
        try (ServerMain.Running running = main.start(server);
                ControlPort port = new ControlPort(side, info(serverApp, running.address()), running.counters())) {
            Thread hook = Thread.ofPlatform().unstarted(stopped::countDown);
            Runtime.getRuntime().addShutdownHook(hook);
            String host = running.address().getHostString();
            out.printf("serving %s (%s) on %s:%d; control port %s:%d (INFO, SNAPSHOT, SNAPSHOT GC, HISTOGRAM, QUIT)%n", impl,
                    serverApp.name().toLowerCase(Locale.ROOT), host, running.address().getPort(),
                    port.address().getHostString(), port.address().getPort());
            out.printf("from the load machine: ./corosio bench --scenario echo --target %s:%d --control %s:%d%n", host,
                    running.address().getPort(), port.address().getHostString(), port.address().getPort());
            out.flush();
            if (lifetime != null) {
                stopped.await(lifetime.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                Runtime.getRuntime().removeShutdownHook(hook);
            } else {
                stopped.await();
            }
        }
        out.println("stopped");
        out.flush();
        return Corosio.OK;
    }

    private ServerApp parseApp() {
        try {
            return ServerApp.valueOf(app.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--app must be echo, sink or fanout, not " + app);
        }
    }

    private Map<String, Object> info(ServerApp serverApp, InetSocketAddress bound) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("impl", impl);
        info.put("app", serverApp.name());
        info.put("address", bound.getHostString() + ":" + bound.getPort());
        info.put("executor", executor);
        info.put("ioThreads", ioThreads);
        info.put("pid", ProcessHandle.current().pid());
        info.put("cores", Runtime.getRuntime().availableProcessors());
        info.put("jdk", Runtime.version().toString());
        info.put("jvmArgs", ManagementFactory.getRuntimeMXBean().getInputArguments());
        return info;
    }

    private InetSocketAddress address(String hostPort, String option) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || !hostPort.substring(colon + 1).matches("[0-9]{1,5}")) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be host:port, not " + hostPort);
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
