package net.corosio.examples.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import okio.ByteString;

/**
 * A response to write: status, content type, body and any extra header fields. The writer adds
 * Date, Server, Content-Length and Connection.
 *
 * @param status the status code
 * @param contentType the body's media type
 * @param body the body (sent even for errors, so a person with curl sees why)
 * @param extraHeaders more fields, such as {@code Allow} for a 405
 */
public record Response(int status, String contentType, ByteString body, List<Header> extraHeaders) {

    /** The media type of every text body this server makes. */
    public static final String TEXT = "text/plain; charset=utf-8";

    /**
     * A response with a body and no extra fields.
     *
     * @param status the status code
     * @param contentType the body's media type
     * @param body the body
     * @return the response
     */
    public static Response of(int status, String contentType, ByteString body) {
        return new Response(status, contentType, body, List.of());
    }

    /**
     * A plain-text response: for errors, the status line's words and the detail.
     *
     * @param status the status code
     * @param text the body, without its final newline
     * @return the response
     */
    public static Response text(int status, String text) {
        return of(status, TEXT, ByteString.encodeString(text + "\n", StandardCharsets.UTF_8));
    }
}
