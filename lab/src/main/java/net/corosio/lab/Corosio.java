package net.corosio.lab;

import java.time.Duration;
import net.corosio.lab.cli.AppsCommand;
import net.corosio.lab.cli.BackendsCommand;
import net.corosio.lab.cli.BenchCommand;
import net.corosio.lab.cli.CompareCommand;
import net.corosio.lab.cli.DurationConverter;
import net.corosio.lab.cli.ReportCommand;
import net.corosio.lab.cli.ServeCommand;
import net.corosio.lab.cli.FaultsCommand;
import net.corosio.lab.cli.SoakCommand;
import net.corosio.lab.cli.TckCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code corosio} command: the lab's entry point.
 *
 * <p>Exit codes: 0 — everything ran and passed; 1 — a run failed or a rule failed; 2 — bad usage
 * (picocli's own); 3 — the environment cannot run it (no backend found, a server would not start).
 */
@Command(
        name = "corosio",
        mixinStandardHelpOptions = true,
        versionProvider = Corosio.Version.class,
        description = "Measure JVM networking backends side by side: throughput, latency, memory, conformance.",
        subcommands = {
            CompareCommand.class,
            BenchCommand.class,
            TckCommand.class,
            FaultsCommand.class,
            SoakCommand.class,
            BackendsCommand.class,
            AppsCommand.class,
            ReportCommand.class,
            ServeCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Corosio {

    /** Everything ran and passed. */
    public static final int OK = 0;

    /** A benchmark run or a conformance rule failed. */
    public static final int FAILED = 1;

    /** The environment cannot run the command. */
    public static final int ENVIRONMENT = 3;

    Corosio() {}

    /**
     * Runs the command line.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        // The kit's handlers fail on purpose and servers log every aborted handler: keep the
        // terminal for results unless the user asks for more.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * Builds the command line with its subcommands and the lab's one {@link Duration} converter, so
     * that every duration option takes the same forms ({@code 500ms}, {@code 5s}, {@code 2m}, {@code
     * 1h}, ISO-8601).
     *
     * @return a new command line, ready to execute
     */
    public static CommandLine commandLine() {
        return new CommandLine(new Corosio()).registerConverter(Duration.class, new DurationConverter());
    }

    /** Reports the lab's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Corosio.class.getPackage().getImplementationVersion();
            return new String[] {"corosio " + (version == null ? "(development build)" : version)
                    + " on JDK " + Runtime.version()};
        }
    }
}
