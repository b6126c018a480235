package net.corosio.examples.proxy;

import java.io.IOException;
import net.corosio.BufferLease;
import net.corosio.Connection;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of a proxied conversation: bytes from one connection to the other, as they come,
 * without a copy — each buffer the source connection lends ({@link Connection#receive()}) is handed
 * as it is to the destination's write ({@link Connection#write(BufferLease)}), which gives it back
 * to the source's transport once sent.
 *
 * <p><b>Backpressure</b> is end to end because the pump receives again only once the write of the
 * last lease has returned, and a write returns only once the destination's queue is below its high
 * water mark. A destination that stops reading therefore stops this pump, whose source then stops
 * reading, whose sender's writes then block — memory in the proxy stays bounded by the connections'
 * own limits.
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

    private final String direction;
    private final Connection from;
    private final Connection to;

    Pump(String direction, Connection from, Connection to) {
        this.direction = direction;
        this.from = from;
        this.to = to;
    }

    @Override
    public void run() {
        try {
            BufferLease lease;
            while ((lease = from.receive()) != null) {
                to.write(lease); // takes the lease over, whatever happens
            }
            to.shutdownOutput();
            LOG.debug("{}: end of stream passed on", direction);
        } catch (IOException e) {
            // Whatever broke — a reset, a timeout, the other pump's abort (CLOSED) — both peers
            // learn that the conversation failed.
            boolean echo = e instanceof TransportException t && t.kind() == ErrorKind.CLOSED;
            if (!echo) {
                LOG.debug("{}: {}; aborting both sides", direction, e.getMessage());
            }
            from.abort();
            to.abort();
        }
    }
}
