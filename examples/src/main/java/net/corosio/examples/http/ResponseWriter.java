package net.corosio.examples.http;

import java.io.IOException;
import java.util.Map;
import okio.BufferedSink;

/**
 * Writes responses to an Okio sink: an HTTP/1.1 status line, Date, Server, Content-Type,
 * Content-Length, any extra fields and {@code Connection} when it matters, then the body. It only
 * buffers; the connection's flush policy decides when bytes leave.
 */
final class ResponseWriter {

    /** The interim response a client that sent {@code Expect: 100-continue} waits for. */
    static final String CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(200, "OK"),
            Map.entry(400, "Bad Request"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(408, "Request Timeout"),
            Map.entry(413, "Content Too Large"),
            Map.entry(414, "URI Too Long"),
            Map.entry(417, "Expectation Failed"),
            Map.entry(431, "Request Header Fields Too Large"),
            Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"),
            Map.entry(505, "HTTP Version Not Supported"));

    private ResponseWriter() {}

    /**
     * Returns the reason phrase for a status.
     *
     * @param status the status code
     * @return its reason phrase, or an empty string for one this server never sends
     */
    static String reason(int status) {
        return REASONS.getOrDefault(status, "");
    }

    /**
     * Writes one response.
     *
     * @param out where to write
     * @param response what to write
     * @param withBody false for a response to HEAD: every field as for GET, no body
     * @param connection {@code "close"}, {@code "keep-alive"} (for an HTTP/1.0 client that asked),
     *     or {@code null} to leave HTTP/1.1's default
     * @throws IOException if writing fails
     */
    static void write(BufferedSink out, Response response, boolean withBody, String connection) throws IOException {
        out.writeUtf8("HTTP/1.1 ").writeDecimalLong(response.status()).writeByte(' ')
                .writeUtf8(reason(response.status())).writeUtf8("\r\n")
                .writeUtf8("Server: corosio-examples\r\n")
                .writeUtf8("Date: ").writeUtf8(HttpDate.now()).writeUtf8("\r\n")
                .writeUtf8("Content-Type: ").writeUtf8(response.contentType()).writeUtf8("\r\n")
                .writeUtf8("Content-Length: ").writeDecimalLong(response.body().size()).writeUtf8("\r\n");
        for (Header header : response.extraHeaders()) {
            out.writeUtf8(header.name()).writeUtf8(": ").writeUtf8(header.value()).writeUtf8("\r\n");
        }
        if (connection != null) {
            out.writeUtf8("Connection: ").writeUtf8(connection).writeUtf8("\r\n");
        }
        out.writeUtf8("\r\n");
        if (withBody) {
            out.write(response.body());
        }
    }
}
