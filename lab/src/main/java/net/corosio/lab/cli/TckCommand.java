package net.corosio.lab.cli;

import java.util.concurrent.Callable;
import net.corosio.lab.Corosio;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code corosio tck}: the rule × backend matrix (placeholder until the launcher integration lands). */
@Command(name = "tck", mixinStandardHelpOptions = true,
        description = "Run the compatibility kit on each backend and print the rule x backend matrix.")
public final class TckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("tck: not implemented yet");
        return Corosio.ENVIRONMENT;
    }
}
