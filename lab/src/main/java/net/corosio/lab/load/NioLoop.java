package net.corosio.lab.load;

import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load generator's event loop: one thread, one {@link Selector}, written directly on JDK NIO —
 * not through the API and not on any backend under test — so it is the same instrument for every
 * run. Each registered channel's attachment is a {@link Ready} callback.
 */
final class NioLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NioLoop.class);

    /** What a registered channel does when it is ready. */
    interface Ready {
        void ready(SelectionKey key) throws IOException;

        /** Called when {@link #ready} threw: close the channel and record the error. */
        void failed(SelectionKey key, IOException e);
    }

    private final Selector selector;
    private final Thread thread;
    private final List<Runnable> tasks = new ArrayList<>();
    private volatile boolean running = true;
    private LongUnaryOperator pacer = now -> Long.MAX_VALUE;

    NioLoop(String name) throws IOException {
        selector = Selector.open();
        thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    }

    Selector selector() {
        return selector;
    }

    /**
     * Sets the open-loop pacer: called every iteration with the current time, it sends what is due
     * and returns when it next needs to run ({@link Long#MAX_VALUE} for never). Set before start.
     */
    void pacer(LongUnaryOperator pacer) {
        this.pacer = pacer;
    }

    /** Runs {@code task} on the loop thread (before its next select). */
    void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
        }
        selector.wakeup();
    }

    void start() {
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                runTasks();
                long now = System.nanoTime();
                long next = pacer.applyAsLong(now);
                long waitNanos = next == Long.MAX_VALUE ? Long.MAX_VALUE : next - System.nanoTime();
                if (waitNanos == Long.MAX_VALUE) {
                    selector.select(this::dispatch, 100);
                } else if (waitNanos < 1_000_000) {
                    // Within a millisecond of the next send: select() cannot wait less than 1 ms,
                    // so poll instead of oversleeping (the lab records this loop's CPU as the generator's).
                    selector.selectNow(this::dispatch);
                } else {
                    selector.select(this::dispatch, waitNanos / 1_000_000);
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                LOG.error("load generator loop failed", e);
            }
        }
    }

    private void runTasks() {
        List<Runnable> batch;
        synchronized (tasks) {
            if (tasks.isEmpty()) {
                return;
            }
            batch = new ArrayList<>(tasks);
            tasks.clear();
        }
        batch.forEach(Runnable::run);
    }

    private void dispatch(SelectionKey key) {
        Ready ready = (Ready) key.attachment();
        try {
            if (key.isValid()) {
                ready.ready(key);
            }
        } catch (IOException e) {
            ready.failed(key, e);
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            try {
                key.channel().close();
            } catch (IOException ignored) {
                // closing the generator's own sockets at the end of a run
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }
}
