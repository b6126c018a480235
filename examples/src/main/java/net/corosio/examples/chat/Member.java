package net.corosio.examples.chat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import net.corosio.examples.OkioConnection;
import okio.BufferedSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected client of the room, and the thread that writes to it. Lines for the member wait in
 * a bounded queue; {@link #offer} never blocks, so a slow member never slows the room down, and a
 * full queue is the room's signal to disconnect the member. The writer sends whatever is queued in
 * one flush, so a member that keeps up receives lines in batches when busy.
 */
final class Member {

    private static final Logger LOG = LoggerFactory.getLogger(Member.class);

    /** A queued line; the last one also ends the conversation (its text may be {@code null}). */
    private record Line(String text, boolean last) {}

    private final OkioConnection io;
    private final BlockingQueue<Line> queue;
    private final int capacity;
    private final Thread writer;
    private volatile String name;

    Member(String name, OkioConnection io, int capacity) {
        this.name = name;
        this.io = io;
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity + 1); // + 1: room for the farewell
        this.writer = Thread.ofVirtual().name("chat-writer-" + name).unstarted(this::write);
    }

    String name() {
        return name;
    }

    void rename(String newName) {
        this.name = newName;
    }

    void start() {
        writer.start();
    }

    /**
     * Queues a line for the member without waiting. Only the room calls it, under its lock, and
     * the writer only takes lines away, so the check cannot be overtaken.
     *
     * @return {@code false} if the member is too far behind (its queue is full)
     */
    boolean offer(String line) {
        return queue.size() < capacity && queue.offer(new Line(line, false));
    }

    /** How many lines wait for the member. */
    int backlog() {
        return queue.size();
    }

    /**
     * Ends the conversation: drops what is still queued (when {@code dropBacklog}), sends {@code
     * farewell} if not {@code null}, then closes the connection.
     */
    void finish(String farewell, boolean dropBacklog) {
        if (dropBacklog) {
            queue.clear();
        }
        if (!queue.offer(new Line(farewell, true))) {
            queue.clear(); // full of lines nobody will read in time: the farewell matters more
            queue.offer(new Line(farewell, true));
        }
    }

    /** Waits for the writer to finish, then makes sure the connection is gone. */
    void awaitWriter(Duration bound) throws InterruptedException {
        if (!writer.join(bound)) {
            io.connection().abort();
            writer.join();
        }
    }

    private void write() {
        BufferedSink out = io.sink();
        try {
            while (true) {
                Line line = queue.take();
                do {
                    if (line.text() != null) {
                        out.writeUtf8(line.text()).writeByte('\n');
                    }
                    if (line.last()) {
                        out.flush();
                        io.connection().close();
                        return;
                    }
                    line = queue.poll();
                } while (line != null);
                out.flush();
            }
        } catch (IOException e) {
            LOG.debug("{}: write failed: {}", name, e.getMessage());
            io.connection().abort();
        } catch (InterruptedException e) {
            io.connection().abort();
            Thread.currentThread().interrupt();
        }
    }
}
