package net.corosio.examples.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import net.corosio.Connection;
import net.corosio.ConnectionHandler;
import net.corosio.ErrorKind;
import net.corosio.TransportException;
import net.corosio.examples.OkioConnection;
import okio.Buffer;
import okio.BufferedSink;
import okio.BufferedSource;
import okio.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves HTTP/1.1 on one connection: requests one after another (keep-alive), answered in order
 * (pipelining: every request already received is answered before the server waits for more, and
 * the answers leave together), until the client closes, asks to close, times out or sends
 * something the server refuses.
 *
 * <p>The three waits are bounded separately. Between requests, only the connection's idle timeout
 * applies, and an idle connection is closed quietly. From the first byte of a request head to its
 * blank line, a deadline applies however slowly the bytes trickle in (slowloris): when it passes
 * the server answers {@code 408} and closes. While a body arrives, each read waits at most the
 * read timeout: then {@code 408} too.
 */
final class HttpConnectionHandler implements ConnectionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnectionHandler.class);

    private static final ByteString CONTINUE = ByteString.encodeString(ResponseWriter.CONTINUE, StandardCharsets.US_ASCII);

    private final HttpLimits limits;
    private final RequestParser parser;
    private final Routes routes;
    private final ByteString headTimeoutNotice;

    HttpConnectionHandler(HttpLimits limits, Routes routes) {
        this.limits = limits;
        this.parser = new RequestParser(limits);
        this.routes = routes;
        Buffer notice = new Buffer();
        try {
            ResponseWriter.write(notice, Response.text(408, "408 Request Timeout: the request head came too slowly"),
                    true, "close");
        } catch (IOException e) {
            throw new IllegalStateException("writing to a Buffer cannot fail", e);
        }
        this.headTimeoutNotice = notice.readByteString();
    }

    @Override
    public void handle(Connection connection) throws IOException {
        OkioConnection io = OkioConnection.of(connection, OkioConnection.FlushPolicy.BEFORE_READ);
        BufferedSource in = io.source();
        BufferedSink out = io.sink();
        boolean inBody = false;
        try {
            while (true) {
                if (!awaitRequest(in)) {
                    break;
                }
                RequestHead head = readHead(in, io);
                if (head == null) {
                    break;
                }
                if (head.expectContinue()) {
                    out.write(CONTINUE);
                    out.flush();
                }
                inBody = true;
                Buffer body = parser.readBody(in, head);
                inBody = false;
                Response response = routes.respond(head, body);
                String connectionField = !head.keepAlive() ? "close"
                        : head.version().equals("HTTP/1.0") ? "keep-alive" : null;
                ResponseWriter.write(out, response, !head.method().equals("HEAD"), connectionField);
                if (!head.keepAlive()) {
                    break;
                }
            }
        } catch (HttpError e) {
            refuse(out, e.status(), e.getMessage());
        } catch (InterruptedIOException e) {
            // The head deadline has answered 408 and closed already; a body read timeout has not;
            // an idle timeout between requests closes quietly.
            if (inBody) {
                refuse(out, 408, "the request body came too slowly");
            }
            LOG.debug("{}", e.getMessage());
        } catch (EOFException e) {
            // The client stopped in the middle of a request; it may still be reading.
            refuse(out, 400, "the request was cut short");
        } catch (TransportException e) {
            LOG.debug("connection ended: {}", e.getMessage());
            return;
        }
        flushQuietly(out);
    }

    /**
     * Waits for the first byte of the next request. Only the idle timeout ends this wait: a read
     * timeout, which leaves the connection usable, is about stalled bodies, so here it is retried.
     *
     * @return {@code false} if the client ended the connection
     */
    private static boolean awaitRequest(BufferedSource in) throws IOException {
        while (true) {
            try {
                return !in.exhausted();
            } catch (SocketTimeoutException e) {
                if (!(e.getCause() instanceof TransportException t && t.kind() == ErrorKind.READ_TIMEOUT)) {
                    throw e;
                }
            }
        }
    }

    /** Reads a head within the head deadline, which starts at its first byte (already buffered). */
    private RequestHead readHead(BufferedSource in, OkioConnection io) throws IOException, HttpError {
        if (limits.headerTimeout().isZero()) {
            return parser.readHead(in);
        }
        in.timeout().deadline(limits.headerTimeout().toNanos(), TimeUnit.NANOSECONDS);
        io.timeoutNotice(headTimeoutNotice);
        try {
            return parser.readHead(in);
        } finally {
            io.timeoutNotice(null);
            in.timeout().clearDeadline();
        }
    }

    private static void refuse(BufferedSink out, int status, String detail) {
        try {
            ResponseWriter.write(out, Response.text(status, status + " " + ResponseWriter.reason(status) + ": " + detail),
                    true, "close");
        } catch (IOException e) {
            LOG.debug("could not answer {}: {}", status, e.getMessage());
        }
    }

    private static void flushQuietly(BufferedSink out) {
        try {
            out.flush();
        } catch (IOException e) {
            LOG.debug("could not flush the last response: {}", e.getMessage());
        }
    }
}
