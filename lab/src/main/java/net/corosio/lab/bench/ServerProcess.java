package net.corosio.lab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.corosio.lab.server.ClassHistogram;
import net.corosio.lab.server.ResourceSnapshot;
import net.corosio.lab.server.ServerMain;
import picocli.CommandLine;

/**
 * The lab's handle on a server under test: in its own JVM (the default, so its resource figures
 * are its own) or in the lab's JVM on pipes. Either way it speaks {@link ServerMain}'s line
 * protocol.
 */
public final class ServerProcess implements ServerHandle, AutoCloseable {

    private static final long START_TIMEOUT_SECONDS = 60;

    private final ObjectMapper json = new ObjectMapper();
    private final Process process;
    private final Thread inProcess;
    private final BufferedReader replies;
    private final PrintWriter commands;
    private final InetSocketAddress address;

    private ServerProcess(Process process, Thread inProcess, BufferedReader replies, PrintWriter commands)
            throws IOException {
        this.process = process;
        this.inProcess = inProcess;
        this.replies = replies;
        this.commands = commands;
        this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), awaitReady());
    }

    /**
     * Starts a server in a new JVM with the lab's class path.
     *
     * @param spec what to run
     * @param log where the server's standard error goes
     * @return the running server
     * @throws IOException if it cannot start or does not become ready
     */
    public static ServerProcess fork(ServerSpec spec, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(spec.jvmArgs());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerMain.class.getName()));
        command.addAll(spec.arguments());
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ServerProcess(process, null,
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8));
    }

    /**
     * Starts a server in this JVM (its resource figures then include the load generator's).
     *
     * @param spec what to run
     * @return the running server
     * @throws IOException if it cannot start
     */
    public static ServerProcess inProcess(ServerSpec spec) throws IOException {
        PipedOutputStream toServer = new PipedOutputStream();
        PipedInputStream serverIn = new PipedInputStream(toServer, 64 * 1024);
        PipedInputStream fromServer = new PipedInputStream(64 * 1024);
        PrintStream serverOut = new PrintStream(new PipedOutputStream(fromServer), true, StandardCharsets.UTF_8);
        ServerMain main = new ServerMain();
        new CommandLine(main).parseArgs(spec.arguments().toArray(String[]::new));
        Thread thread = Thread.ofPlatform().name("corosio-lab-server").daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(serverIn, StandardCharsets.UTF_8))) {
                main.serve(in, serverOut);
            } catch (Exception e) {
                serverOut.println("FAILED " + e);
            } finally {
                serverOut.close();
            }
        });
        return new ServerProcess(null, thread,
                new BufferedReader(new InputStreamReader(fromServer, StandardCharsets.UTF_8)),
                new PrintWriter(toServer, true, StandardCharsets.UTF_8));
    }

    private int awaitReady() throws IOException {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return replies.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String ready;
        try {
            ready = line.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            destroy();
            throw new IOException("the server did not start within " + START_TIMEOUT_SECONDS + " s", e);
        }
        if (ready == null || !ready.startsWith("READY ")) {
            destroy();
            throw new IOException("the server failed to start: " + (ready == null ? "it exited (see its log)" : ready));
        }
        return Integer.parseInt(ready.substring("READY ".length()).trim());
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /** The forked JVM's process id, or -1 in-process. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * Asks the server for its resource counters.
     *
     * @param collectFirst whether it should run a full GC first
     * @return the snapshot
     * @throws IOException if the server does not answer
     */
    @Override
    public synchronized ResourceSnapshot snapshot(boolean collectFirst) throws IOException {
        commands.println(collectFirst ? "SNAPSHOT GC" : "SNAPSHOT");
        String reply = replies.readLine();
        if (reply == null || !reply.startsWith("{")) {
            throw new IOException("the server did not answer SNAPSHOT: " + reply);
        }
        return json.readValue(reply, ResourceSnapshot.class);
    }

    /**
     * Asks the server for its live objects by class (after a full GC).
     *
     * @return the histogram
     * @throws IOException if the server does not answer
     */
    @Override
    public ClassHistogram histogram() throws IOException {
        commands.println("HISTOGRAM");
        String reply = replies.readLine();
        if (reply == null || !reply.startsWith("{")) {
            throw new IOException("the server did not answer HISTOGRAM: " + reply);
        }
        return json.readValue(reply, ClassHistogram.class);
    }

    @Override
    public void close() {
        commands.println("STOP");
        try {
            if (process != null && !process.waitFor(10, TimeUnit.SECONDS)) {
                destroy();
            }
            if (inProcess != null) {
                inProcess.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy();
        }
    }

    private void destroy() {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
