package net.corosio.lab.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.corosio.examples.Launcher;

/**
 * One server an apps run measures, in its own process: an example on a backend (a JVM forked with
 * the lab's class path, started like its README line), or a reference server (nginx,
 * redis-server). Closing it stops the process: SIGTERM first, which the examples answer with a
 * graceful shutdown, then a kill.
 */
final class ServerUnderTest implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final int port;

    private ServerUnderTest(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
    }

    /**
     * Starts an example's main on a backend in a new JVM, on a free port, and waits for the line
     * it prints once listening.
     *
     * @param mainClass the example's main class
     * @param backend the backend's name
     * @param jvmArgs options for the JVM
     * @param log where its standard error goes
     * @return the running example
     * @throws IOException if it does not start
     */
    static ServerUnderTest example(String mainClass, String backend, List<String> jvmArgs, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass,
                "--backend", backend, "--port", "0"));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String ready;
        try {
            ready = line.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException(backend + ": the example did not start within " + START_TIMEOUT + " (see " + log + ")", e);
        }
        int at = ready == null ? -1 : ready.indexOf(Launcher.LISTENING);
        if (at < 0) {
            process.destroyForcibly();
            throw new IOException(backend + ": the example failed to start (see " + log + "): " + ready);
        }
        String address = ready.substring(at + Launcher.LISTENING.length()).split(" ")[0];
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        return new ServerUnderTest(backend, process, port);
    }

    /**
     * Starts a reference server and waits until it listens on {@code port}.
     *
     * @param name its row's name
     * @param command the command line, which makes it listen on {@code port}
     * @param port the loopback port
     * @param log where its output goes
     * @return the running server
     * @throws IOException if it does not start
     */
    static ServerUnderTest reference(String name, List<String> command, int port, Path log) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            Programs.awaitListening(port, process, START_TIMEOUT);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new IOException(name + ": " + e.getMessage() + " (see " + log + ")", e);
        }
        return new ServerUnderTest(name, process, port);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
