package net.corosio.lab.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import net.corosio.Transport;
import net.corosio.lab.Corosio;
import net.corosio.lab.report.ConsoleTable;
import net.corosio.spi.TransportProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code corosio backends}: the providers found, their versions and capabilities. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List the backends found on the class path, with versions, capabilities and IO modes.")
public final class BackendsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<TransportProvider> providers = Transport.available();
        if (providers.isEmpty()) {
            spec.commandLine().getErr().println("no backend found on the class path");
            return Corosio.ENVIRONMENT;
        }
        ConsoleTable table = new ConsoleTable("name", "priority", "capabilities", "description").left(2, 3);
        for (TransportProvider provider : providers) {
            table.row(provider.name(), Integer.toString(provider.priority()),
                    provider.capabilities().toString(), provider.description());
        }
        table.row("netty-native", "-", "baseline", "echo/sink server written directly on Netty (not through the API)");
        table.row("jetty-native", "-", "baseline", "echo/sink server written directly on jetty-io (not through the API)");
        out.print(table);
        out.println("Backend knobs are properties: --prop netty.io=nio|epoll|io_uring, --prop netty.tls=jdk|openssl.");
        return Corosio.OK;
    }
}
