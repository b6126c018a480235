package net.corosio.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.corosio.Transport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A tiny smoke run of {@code corosio apps}: one backend, a second of load, no reference row. */
class AppsCommandTest {

    @TempDir
    Path workDir;

    private final CommandRun command = new CommandRun();

    private int run(String... args) {
        return command.run(args);
    }

    private static void requireProgram(String name, String debianPackage) {
        boolean found = List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir.isEmpty() ? "." : dir, name)));
        Assumptions.assumeTrue(found, name + " is not installed (apt-get install " + debianPackage + "; .ci/run installs it)");
    }

    @Test
    void httpPrintsARowForTheBackendUnderWrk() {
        requireProgram("wrk", "wrk");
        String backend = Transport.available().get(0).name();
        int code = run("apps", "--app", "http", "--backends", backend, "--duration", "1s", "--warmup", "0",
                "--connections", "4", "--no-reference", "--work-dir", workDir.toString());
        assertEquals(Corosio.OK, code, command::both);
        assertTrue(command.out().contains("requests/s") && command.out().lines().anyMatch(l -> l.startsWith(backend + " ")),
                command::out);
    }

    @Test
    void respPrintsARowForTheBackendUnderRedisBenchmark() {
        requireProgram("redis-benchmark", "redis-tools");
        String backend = Transport.available().get(0).name();
        int code = run("apps", "--app", "resp", "--backends", backend, "--requests", "2000", "--warmup", "0",
                "--connections", "4", "--no-reference", "--work-dir", workDir.toString());
        assertEquals(Corosio.OK, code, command::both);
        assertTrue(command.out().contains("SET req/s") && command.out().lines().anyMatch(l -> l.startsWith(backend + " ")),
                command::out);
    }

    @Test
    void anUnknownAppIsAUsageError() {
        assertEquals(CommandLine.ExitCode.USAGE, run("apps", "--app", "ftp"));
        assertTrue(command.err().contains("http") && command.err().contains("resp"), command::err);
    }
}
