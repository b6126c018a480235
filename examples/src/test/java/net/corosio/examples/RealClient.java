package net.corosio.examples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs real client programs (curl, wrk, redis-cli, redis-benchmark, openssl) with a deadline. A
 * test whose program is not installed is skipped, saying which program and how to get it — never
 * passed.
 */
public final class RealClient {

    private static final List<String> DIRECTORIES = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    /** What a finished program left. */
    public record Result(int exitCode, String out, String err) {
        /**
         * Returns both outputs, for assertion messages.
         *
         * @return standard output then standard error
         */
        public String both() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private RealClient() {}

    /**
     * Finds a program on the PATH (or the usual system directories).
     *
     * @param program the name
     * @return its path, or {@code null}
     */
    public static Path find(String program) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(DIRECTORIES);
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Finds a program or skips the test.
     *
     * @param program the name
     * @param debianPackage the package that brings it
     * @return its path
     */
    public static Path require(String program, String debianPackage) {
        Path found = find(program);
        Assumptions.assumeTrue(found != null, program + " is not installed (apt-get install " + debianPackage
                + "; .ci/run installs it)");
        return found;
    }

    /**
     * Runs a program to completion, failing the test if it outlives the deadline (it is then
     * killed).
     *
     * @param timeout the deadline
     * @param stdin what to write to its standard input (then closed), or {@code null} for nothing
     * @param command the program and its arguments
     * @return its exit code and output
     */
    public static Result run(Duration timeout, byte[] stdin, List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        try {
            Thread feeder = Thread.ofVirtual().start(() -> {
                try (OutputStream in = process.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin);
                    }
                } catch (IOException e) {
                    // the program may exit without reading everything
                }
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread outReader = Thread.ofVirtual().start(() -> copy(process.getInputStream(), out));
            Thread errReader = Thread.ofVirtual().start(() -> copy(process.getErrorStream(), err));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                outReader.join(1000);
                errReader.join(1000);
                fail(command.get(0) + " did not finish within " + timeout + ": " + String.join(" ", command)
                        + "\n--- stdout\n" + out.toString(StandardCharsets.UTF_8) + "\n--- stderr\n"
                        + err.toString(StandardCharsets.UTF_8));
            }
            feeder.join(1000);
            outReader.join(5000);
            errReader.join(5000);
            return new Result(process.exitValue(), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    /**
     * Runs a program with no input.
     *
     * @param timeout the deadline
     * @param command the program and its arguments
     * @return its exit code and output
     */
    public static Result run(Duration timeout, String... command) {
        return run(timeout, null, List.of(command));
    }

    private static void copy(InputStream from, ByteArrayOutputStream to) {
        try (from) {
            from.transferTo(to);
        } catch (IOException e) {
            // the process was killed
        }
    }
}
