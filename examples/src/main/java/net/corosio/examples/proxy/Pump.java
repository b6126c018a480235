package net.corosio.examples.proxy;

import java.io.IOException;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.examples.OkioConnection;
import okio.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of a proxied conversation: bytes from one connection to the other, as they come.
 *
 * <p><b>Backpressure</b> is end to end because the pump holds at most one read's worth of bytes:
 * it reads again only once the write of the last bytes has returned, and a write returns only once
 * the destination has room. A destination that stops reading therefore stops this pump, whose
 * source then stops reading, whose sender's writes then block — memory in the proxy stays bounded
 * by the connections' own limits.
 *
 * <p><b>Half-close</b>: when the source ends its side, the pump half-closes the destination
 * ({@code shutdownOutput}) and ends; the other direction carries on.
 *
 * <p><b>Failures</b> end the whole conversation as abruptly as they started it: a reset from either
 * peer, or any other failure, aborts both connections, so each peer sees a reset — never a clean
 * end-of-stream that would pass a truncated conversation off as complete.
 */
final class Pump implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Pump.class);

    /** The most bytes held in flight by one direction. */
    static final long CHUNK = 16 * 1024;

    private final String direction;
    private final OkioConnection from;
    private final OkioConnection to;

    Pump(String direction, OkioConnection from, OkioConnection to) {
        this.direction = direction;
        this.from = from;
        this.to = to;
    }

    @Override
    public void run() {
        Buffer inFlight = new Buffer();
        try {
            while (from.source().read(inFlight, CHUNK) != -1) {
                to.sink().write(inFlight, inFlight.size());
                to.sink().flush();
            }
            to.sink().close(); // flushes (nothing is buffered) and half-closes the destination
            LOG.debug("{}: end of stream passed on", direction);
        } catch (IOException e) {
            // Whatever broke — a reset, a timeout, the other pump's abort (CLOSED) — both peers
            // learn that the conversation failed.
            boolean echo = e instanceof TransportException t && t.kind() == ErrorKind.CLOSED;
            if (!echo) {
                LOG.debug("{}: {}; aborting both sides", direction, e.getMessage());
            }
            from.connection().abort();
            to.connection().abort();
        }
    }
}
