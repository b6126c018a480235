package net.corosio.tck.selftest;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.Server;
import net.corosio.ServerMetrics;
import net.corosio.ServerOptions;
import net.corosio.ShutdownOutcome;
import net.corosio.Transport;

/**
 * Broken: where a conversation failed, the server ends the connection with a clean close (FIN)
 * instead of aborting it (RST) — after a handler threw (9.3), when a forced shutdown gives up on a
 * handler (9.5, 9.6), and when the executor rejects a handler (9.8). Its peer takes a truncated
 * response for a complete one. Everything else (counting, outcomes, timing) is right.
 */
final class EndsFailedConversationsCleanly extends ForwardingTransport {

    /** Set on the thread that runs a handler the caller's executor rejected. */
    private static final ThreadLocal<Boolean> REJECTED = ThreadLocal.withInitial(() -> false);

    private final Set<Connection> live = ConcurrentHashMap.newKeySet();
    private final AtomicLong rejected = new AtomicLong();

    EndsFailedConversationsCleanly(Transport delegate) {
        super(delegate);
    }

    @Override
    protected ServerOptions serverOptions(ServerOptions asked) {
        Executor executor = asked.handlerExecutor();
        Executor catching = task -> {
            try {
                executor.execute(task);
            } catch (RejectedExecutionException e) {
                rejected.incrementAndGet();
                Thread.ofVirtual().start(() -> {
                    REJECTED.set(true);
                    task.run();
                });
            }
        };
        return asked.toBuilder().handlerExecutor(catching).build();
    }

    @Override
    protected void handle(ConnectionHandler handler, Connection connection) throws Exception {
        if (REJECTED.get()) {
            connection.close(); // the bug: should be aborted
            return;
        }
        live.add(connection);
        try {
            handler.handle(connection);
        } catch (Exception | Error e) {
            connection.close(); // the bug: the server would abort it, but it is closed already
            throw e;
        } finally {
            live.remove(connection);
        }
    }

    @Override
    protected Server server(Server server) {
        return new ForwardingServer(server) {
            private final CompletableFuture<ShutdownOutcome> outcome = new CompletableFuture<>();
            private final AtomicLong calls = new AtomicLong();

            @Override
            public ServerMetrics metrics() {
                ServerMetrics m = delegate.metrics();
                return new ServerMetrics(m.accepted(), m.active(), m.rejected() + rejected.get(), m.handlerFailures(),
                        m.tlsHandshakeFailures(), m.bytesRead(), m.bytesWritten());
            }

            @Override
            public ShutdownOutcome shutdown(Duration grace) {
                if (calls.getAndIncrement() > 0) {
                    return outcome.join();
                }
                long deadline = System.nanoTime() + grace.toNanos();
                while (delegate.metrics().active() > 0 && System.nanoTime() < deadline) {
                    pause();
                }
                boolean forced = delegate.metrics().active() > 0;
                if (forced) {
                    live.forEach(Connection::close); // the bug: should be aborted
                }
                delegate.shutdown(Duration.ofSeconds(5));
                outcome.complete(forced ? ShutdownOutcome.FORCED : ShutdownOutcome.GRACEFUL);
                return outcome.join();
            }

            @Override
            public void close() {
                if (calls.get() == 0) {
                    shutdown(Duration.ZERO);
                }
                delegate.close();
            }
        };
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
