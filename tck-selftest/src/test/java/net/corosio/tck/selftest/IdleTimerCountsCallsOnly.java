package net.corosio.tck.selftest;

import java.nio.ByteBuffer;
import java.time.Duration;
import net.corosio.ClientOptions;
import net.corosio.Connection;
import net.corosio.ConnectionOptions;
import net.corosio.ErrorKind;
import net.corosio.ServerOptions;
import net.corosio.Transport;
import net.corosio.TransportException;

/**
 * Broken: the idle timeout is reset only when a call starts or ends, never by bytes moving on the
 * socket, so one long write draining steadily to a slow peer is closed as idle (7.5). The idle
 * timer of the working backend is off; this one aborts the connection and makes later calls fail
 * with {@code IDLE_TIMEOUT}.
 */
final class IdleTimerCountsCallsOnly extends ForwardingTransport {

    IdleTimerCountsCallsOnly(Transport delegate) {
        super(delegate);
    }

    private Duration serverIdle = Duration.ZERO;
    private Duration clientIdle = Duration.ZERO;

    @Override
    protected ServerOptions serverOptions(ServerOptions asked) {
        serverIdle = asked.connection().idleTimeout();
        return asked.toBuilder().connection(withoutIdle(asked.connection())).build();
    }

    @Override
    protected ClientOptions clientOptions(ClientOptions asked) {
        clientIdle = asked.connection().idleTimeout();
        return asked.toBuilder().connection(withoutIdle(asked.connection())).build();
    }

    @Override
    protected Connection accepted(Connection connection) {
        return serverIdle.isZero() ? connection : new Watched(connection, serverIdle);
    }

    @Override
    protected Connection client(Connection connection) {
        return clientIdle.isZero() ? connection : new Watched(connection, clientIdle);
    }

    private static ConnectionOptions withoutIdle(ConnectionOptions o) {
        return o.toBuilder().idleTimeout(Duration.ZERO).build();
    }

    private static final class Watched extends ForwardingConnection {
        private final long idleNanos;
        private volatile long lastCall = System.nanoTime();
        private volatile boolean timedOut;
        private final Thread watcher;

        Watched(Connection delegate, Duration idle) {
            super(delegate);
            this.idleNanos = idle.toNanos();
            this.watcher = Thread.ofVirtual().name("broken-idle-timer").start(this::watch);
        }

        private void watch() {
            try {
                while (delegate.isOpen()) {
                    long left = lastCall + idleNanos - System.nanoTime();
                    if (left <= 0) {
                        timedOut = true;
                        delegate.abort();
                        return;
                    }
                    Thread.sleep(Duration.ofNanos(left));
                }
            } catch (InterruptedException e) {
                // closed
            }
        }

        private interface Call<T> {
            T run() throws TransportException;
        }

        private <T> T call(Call<T> call) throws TransportException {
            if (timedOut) {
                throw new TransportException(ErrorKind.IDLE_TIMEOUT, "idle (broken timer)");
            }
            lastCall = System.nanoTime();
            try {
                return call.run();
            } catch (TransportException e) {
                if (timedOut) {
                    throw new TransportException(ErrorKind.IDLE_TIMEOUT, "idle (broken timer)", e);
                }
                throw e;
            } finally {
                lastCall = System.nanoTime();
            }
        }

        @Override
        public int read(ByteBuffer dst) throws TransportException {
            return call(() -> delegate.read(dst));
        }

        @Override
        public void write(ByteBuffer src) throws TransportException {
            call(() -> {
                delegate.write(src);
                return null;
            });
        }

        @Override
        public void write(ByteBuffer... srcs) throws TransportException {
            call(() -> {
                delegate.write(srcs);
                return null;
            });
        }

        @Override
        public void shutdownOutput() throws TransportException {
            call(() -> {
                delegate.shutdownOutput();
                return null;
            });
        }

        @Override
        public void close() {
            watcher.interrupt();
            delegate.close();
        }

        @Override
        public void abort() {
            watcher.interrupt();
            delegate.abort();
        }
    }
}
