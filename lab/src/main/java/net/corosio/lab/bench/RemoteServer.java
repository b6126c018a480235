package net.corosio.lab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import net.corosio.lab.server.ClassHistogram;
import net.corosio.lab.server.ControlPort;
import net.corosio.lab.server.ResourceSnapshot;

/**
 * A server started elsewhere by {@code corosio serve}, driven at its address and asked for its
 * figures through its {@link ControlPort}.
 */
final class RemoteServer implements ServerHandle, AutoCloseable {

    /** How long the control port may take to answer; a full GC on a big heap takes a while. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final ObjectMapper json = new ObjectMapper();
    private final InetSocketAddress target;
    private final Socket socket;
    private final BufferedReader replies;
    private final PrintWriter commands;
    private final JsonNode info;

    /**
     * Connects to the control port and reads what it serves.
     *
     * @param target where the load goes
     * @param control the control port
     * @throws IOException if the control port cannot be reached or does not answer INFO
     */
    RemoteServer(InetSocketAddress target, InetSocketAddress control) throws IOException {
        this.target = target;
        this.socket = new Socket();
        try {
            socket.connect(control, (int) ANSWER_TIMEOUT.toMillis());
            socket.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
            this.replies = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            this.commands = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true);
            this.info = json.readTree(ask("INFO"));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw new IOException("the control port " + control + " did not answer: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the served implementation's name.
     *
     * @return e.g. {@code netty}
     */
    String impl() {
        return info.path("impl").asText("unknown");
    }

    /**
     * Returns the served app.
     *
     * @return {@code ECHO}, {@code SINK} or {@code FANOUT}
     */
    String app() {
        return info.path("app").asText("ECHO");
    }

    @Override
    public InetSocketAddress address() {
        return target;
    }

    @Override
    public ResourceSnapshot snapshot(boolean collectFirst) throws IOException {
        String reply = ask(collectFirst ? "SNAPSHOT GC" : "SNAPSHOT");
        if (!reply.startsWith("{")) {
            throw new IOException("the control port did not answer SNAPSHOT: " + reply);
        }
        return json.readValue(reply, ResourceSnapshot.class);
    }

    @Override
    public ClassHistogram histogram() throws IOException {
        String reply = ask("HISTOGRAM");
        if (!reply.startsWith("{")) {
            throw new IOException("the control port did not answer HISTOGRAM: " + reply);
        }
        return json.readValue(reply, ClassHistogram.class);
    }

    private String ask(String command) throws IOException {
        commands.println(command);
        String reply = replies.readLine();
        if (reply == null) {
            throw new IOException("the control port closed the connection");
        }
        return reply;
    }

    @Override
    public void close() throws IOException {
        commands.println("QUIT");
        socket.close();
    }
}
