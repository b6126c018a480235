package net.corosio.examples.http;

import java.util.List;

/**
 * A parsed request line and header section, with what they say about the body and the connection.
 *
 * @param method the method, case-sensitive as HTTP says (GET, not get)
 * @param target the request target as sent (origin-form or absolute-form)
 * @param version {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers the header fields in order
 * @param contentLength the body's length when framed by Content-Length; 0 without a body; -1 when
 *     chunked
 * @param keepAlive whether the connection stays open after the response (HTTP/1.1 unless
 *     {@code Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive})
 * @param expectContinue whether the client waits for {@code 100 Continue} before sending the body
 */
public record RequestHead(
        String method,
        String target,
        String version,
        List<Header> headers,
        long contentLength,
        boolean keepAlive,
        boolean expectContinue) {

    /**
     * Returns the first value of a header field.
     *
     * @param name the field name, in any case
     * @return the value, or {@code null} if absent
     */
    public String header(String name) {
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                return header.value();
            }
        }
        return null;
    }

    /**
     * Returns whether the body is chunked.
     *
     * @return whether Transfer-Encoding is chunked
     */
    public boolean chunked() {
        return contentLength < 0;
    }

    /**
     * Returns whether a body follows the head.
     *
     * @return whether it is chunked or has a positive Content-Length
     */
    public boolean hasBody() {
        return contentLength != 0;
    }

    /**
     * Returns the path: the target without its query, and without scheme and authority when it
     * came in absolute-form.
     *
     * @return the path, starting with {@code /}
     */
    public String path() {
        String path = target;
        int scheme = path.indexOf("://");
        if (!path.startsWith("/") && scheme > 0) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
