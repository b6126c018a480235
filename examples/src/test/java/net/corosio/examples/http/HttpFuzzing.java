package net.corosio.examples.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import net.corosio.examples.MemoryConnection;
import okio.Buffer;

/**
 * What fuzzing checks of the HTTP side, for {@code net.corosio.examples.ProtocolFuzzTest}.
 *
 * <p>The properties: the parser only ever refuses with an {@link HttpError} whose status is one
 * this server sends, or reports a truncated request, and what it accepts respects every limit; the
 * handler, fed the same bytes in small reads, never throws and never answers without bound, and
 * whatever it writes starts with an HTTP/1.1 status line.
 */
public final class HttpFuzzing {

    private static final HttpLimits LIMITS = HttpLimits.defaults().withMaxBody(64 * 1024).withHeadLimits(512, 2048);
    private static final RequestParser PARSER = new RequestParser(LIMITS);
    private static final HttpConnectionHandler HANDLER =
            new HttpConnectionHandler(LIMITS, new Routes(StaticFiles.builtIn()));
    private static final Set<Integer> STATUSES = Set.of(400, 413, 414, 417, 431, 501, 505);

    private HttpFuzzing() {}

    /**
     * Checks the parser and the handler on one input.
     *
     * @param input the bytes a client sends
     * @throws Exception if a property does not hold
     */
    public static void check(byte[] input) throws Exception {
        parseEverything(input);
        MemoryConnection connection = new MemoryConnection(input, 1 + (input.length % 7), 16L * input.length + 4096);
        HANDLER.handle(connection);
        Buffer output = connection.output();
        if (output.size() > 0) {
            String start = output.readString(Math.min(12, output.size()), StandardCharsets.ISO_8859_1);
            assertTrue(start.matches("HTTP/1\\.1 [1-5]\\d\\d.*"), () -> "output starts with " + start);
        }
    }

    private static void parseEverything(byte[] input) throws Exception {
        Buffer in = new Buffer().write(input);
        try {
            RequestHead head;
            while ((head = PARSER.readHead(in)) != null) {
                assertTrue(RequestParser.isToken(head.method()), head::method);
                assertTrue(head.target().length() <= LIMITS.maxRequestLine(), "target within its limit");
                assertTrue(head.headers().size() <= LIMITS.maxHeaderCount(), "header count within its limit");
                assertTrue(head.contentLength() <= LIMITS.maxBody(), "declared body within its limit");
                assertTrue(head.path().startsWith("/") || head.target().equals("*"), head::target);
                Buffer body = PARSER.readBody(in, head);
                assertTrue(body.size() <= LIMITS.maxBody(), "body within its limit");
            }
        } catch (HttpError e) {
            assertTrue(STATUSES.contains(e.status()), () -> "unexpected status " + e.status() + ": " + e.getMessage());
        } catch (EOFException e) {
            // a truncated request: the handler answers 400
        }
    }
}
