package net.corosio.lab.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The side port of {@code corosio serve}: a line protocol over TCP through which a load generator
 * on another machine reads the server's resource figures, so its results get the same server
 * columns as a run the lab started itself. UTF-8, one command per line, one answer line each:
 *
 * <ul>
 *   <li>{@code INFO} — a JSON object: {@code impl}, {@code app}, {@code address} (host:port of the
 *       server under test), {@code executor}, {@code ioThreads}, {@code pid}, {@code cores}, {@code
 *       jdk};
 *   <li>{@code SNAPSHOT} / {@code SNAPSHOT GC} — a {@link ResourceSnapshot} as JSON (with {@code GC},
 *       after a full collection), the same answer the lab's forked servers give;
 *   <li>{@code QUIT} — closes this control connection (the server keeps running);
 *   <li>anything else — {@code ERROR unknown command: ...}.
 * </ul>
 *
 * <p>It never stops the server: that is for whoever started it. Each connection is served on its
 * own virtual thread; closing the port closes every connection.
 */
public final class ControlPort implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPort.class);

    private final ServerSocket listener;
    private final String info;
    private final ServerCounters counters;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    /**
     * Opens the port and starts answering.
     *
     * @param bind where to listen (port 0 for any free port)
     * @param info what {@code INFO} answers: names and values, written as one JSON object
     * @param counters the served server's own counters, for {@code SNAPSHOT}
     * @throws IOException if it cannot listen there
     */
    public ControlPort(InetSocketAddress bind, Map<String, Object> info, ServerCounters counters) throws IOException {
        this.counters = counters;
        this.listener = new ServerSocket();
        listener.bind(bind);
        this.info = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(info);
        this.acceptor = Thread.ofVirtual().name("corosio-control-acceptor").start(this::accept);
    }

    /**
     * Returns where it listens.
     *
     * @return the bound address
     */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                open.add(socket);
                Thread.ofVirtual().name("corosio-control").start(() -> converse(socket));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    LOG.warn("control port: accept failed", e);
                }
            }
        }
    }

    private void converse(Socket socket) {
        try (socket;
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter out = new PrintWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null && !line.strip().equals("QUIT")) {
                String command = line.strip();
                out.println(command.equals("INFO") ? info : ServerMain.answer(command, counters));
            }
        } catch (IOException e) {
            LOG.debug("control port: connection ended", e);
        } finally {
            open.remove(socket);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
