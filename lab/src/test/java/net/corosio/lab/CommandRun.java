package net.corosio.lab;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code corosio} command line in this JVM and keeps what it printed, for the command tests. */
final class CommandRun {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /**
     * Runs the command.
     *
     * @param args the arguments
     * @return its exit code
     */
    int run(String... args) {
        CommandLine command = Corosio.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }

    /** Both streams, for a failure message. */
    String both() {
        return out + "\n" + err;
    }
}
