package net.corosio.internal.jfr;

import javax.net.ssl.SSLSession;
import net.corosio.ErrorKind;

/**
 * Emits the transport's JFR events. Each method costs one check of whether its event type is
 * enabled (the event object is not allocated otherwise, once the JIT has seen it), so the calls
 * sit on the connection paths of every backend; a connection's label is built only for an event
 * that is recorded. The events are named {@code corosio.*}; {@code jfr
 * summary} and JDK Mission Control list them under "net-corosio".
 */
public final class Events {

    private Events() {}

    /**
     * A connection was made or accepted.
     *
     * @param connection the connection, or its label: its {@code toString()}, taken only when the
     *     event is recorded
     * @param backend the backend's name
     * @param serverSide whether it was accepted
     */
    public static void opened(Object connection, String backend, boolean serverSide) {
        ConnectionOpenedEvent event = new ConnectionOpenedEvent();
        if (event.shouldCommit()) {
            event.connection = String.valueOf(connection);
            event.backend = backend;
            event.serverSide = serverSide;
            event.commit();
        }
    }

    /**
     * A connection released its socket.
     *
     * @param connection the connection, or its label: its {@code toString()}, taken only when the
     *     event is recorded
     * @param backend the backend's name
     * @param lifetimeNanos how long it lived
     * @param bytesRead application bytes read
     * @param bytesWritten application bytes written
     * @param failure the kind it failed with, or {@code null}
     */
    public static void closed(Object connection, String backend, long lifetimeNanos, long bytesRead,
            long bytesWritten, ErrorKind failure) {
        ConnectionClosedEvent event = new ConnectionClosedEvent();
        if (event.shouldCommit()) {
            event.connection = String.valueOf(connection);
            event.backend = backend;
            event.lifetime = lifetimeNanos;
            event.bytesRead = bytesRead;
            event.bytesWritten = bytesWritten;
            event.failure = failure == null ? null : failure.name();
            event.commit();
        }
    }

    /**
     * A TLS handshake ended.
     *
     * @param connection the connection, or its label: its {@code toString()}, taken only when the
     *     event is recorded
     * @param nanos from the connection's start to the handshake's end
     * @param session the agreed session, or {@code null} when it failed
     * @param failure why it failed, or {@code null}
     */
    public static void handshake(Object connection, long nanos, SSLSession session, String failure) {
        TlsHandshakeEvent event = new TlsHandshakeEvent();
        if (event.shouldCommit()) {
            event.connection = String.valueOf(connection);
            event.handshakeTime = nanos;
            if (session != null) {
                event.protocol = session.getProtocol();
                event.cipherSuite = session.getCipherSuite();
            }
            event.failure = failure;
            event.commit();
        }
    }

    /**
     * Reading was paused or resumed for backpressure.
     *
     * @param connection the connection, or its label: its {@code toString()}, taken only when the
     *     event is recorded
     * @param paused whether reading stopped (else resumed)
     * @param queued the bytes received and not read
     */
    public static void readInterest(Object connection, boolean paused, long queued) {
        if (paused) {
            ReadPausedEvent event = new ReadPausedEvent();
            if (event.shouldCommit()) {
                event.connection = String.valueOf(connection);
                event.queued = queued;
                event.commit();
            }
        } else {
            ReadResumedEvent event = new ReadResumedEvent();
            if (event.shouldCommit()) {
                event.connection = String.valueOf(connection);
                event.queued = queued;
                event.commit();
            }
        }
    }

    /**
     * A timeout fired.
     *
     * @param connection the connection, or its label: its {@code toString()}, taken only when the
     *     event is recorded
     * @param kind {@code READ_TIMEOUT}, {@code WRITE_TIMEOUT}, {@code IDLE_TIMEOUT} or {@code
     *     TLS_HANDSHAKE}
     */
    public static void timeout(Object connection, ErrorKind kind) {
        TimeoutEvent event = new TimeoutEvent();
        if (event.shouldCommit()) {
            event.connection = String.valueOf(connection);
            event.kind = kind.name();
            event.commit();
        }
    }
}
