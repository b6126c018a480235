package net.corosio.lab.overload;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import net.corosio.lab.bench.ServerProcess;
import net.corosio.lab.server.ResourceSnapshot;

/**
 * Samples the server JVM's resources while a scenario runs (without forcing a GC) and keeps the
 * highest reading of each.
 */
final class ServerSampler implements AutoCloseable {

    private static final long PERIOD_MILLIS = 250;

    private final ServerProcess server;
    private final Thread thread;
    private volatile boolean running = true;
    private long heap;
    private long rss;
    private long fds;
    private long threads;
    private long connections;

    ServerSampler(ServerProcess server) {
        this.server = server;
        this.thread = Thread.ofPlatform().name("corosio-overload-sampler").daemon().start(this::run);
    }

    private void run() {
        while (running) {
            try {
                record(server.snapshot(false));
                Thread.sleep(PERIOD_MILLIS); // a sampling period, not a wait for an event
            } catch (IOException e) {
                return; // the server is gone; the scenario reports it
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    synchronized void record(ResourceSnapshot s) {
        heap = Math.max(heap, s.heapUsedBytes());
        rss = Math.max(rss, s.rssBytes());
        fds = Math.max(fds, s.fds());
        threads = Math.max(threads, s.threads());
        connections = Math.max(connections, s.connections());
    }

    synchronized Map<String, Long> peak() {
        Map<String, Long> peak = new LinkedHashMap<>();
        peak.put("heapBytes", heap);
        peak.put("rssBytes", rss);
        peak.put("fds", fds);
        peak.put("threads", threads);
        peak.put("connections", connections);
        return peak;
    }

    static Map<String, Long> figures(ResourceSnapshot s) {
        Map<String, Long> figures = new LinkedHashMap<>();
        figures.put("heapBytes", s.heapUsedBytes());
        figures.put("rssBytes", s.rssBytes());
        figures.put("fds", s.fds());
        figures.put("threads", (long) s.threads());
        figures.put("connections", s.connections());
        figures.put("tlsHandshakeFailures", s.tlsHandshakeFailures());
        return figures;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
