package net.corosio.examples.http;

import java.time.Duration;

/**
 * What the HTTP server accepts, and how long it waits. Every limit is answered with its own status
 * and the connection is then closed, because after an oversized or unreadable request the server
 * no longer knows where the next one starts.
 *
 * @param maxRequestLine the longest request line, without its CRLF; longer is {@code 414}
 * @param maxHeaderBytes the largest header section (every field line with its CRLF); larger, or a
 *     trailer section beyond it, is {@code 431}
 * @param maxHeaderCount the most header fields; more is {@code 431}
 * @param maxBody the largest request body, sent with Content-Length or chunked; larger is {@code 413}
 * @param idleTimeout how long a kept-alive connection may wait for its next request (the
 *     connection's idle timeout); then it is closed quietly
 * @param headerTimeout how long a request head may take from its first byte to its blank line,
 *     however slowly its bytes trickle in (slowloris); then {@code 408} and close
 * @param readTimeout how long a body read may wait for the next byte; then {@code 408} and close
 */
public record HttpLimits(
        int maxRequestLine,
        int maxHeaderBytes,
        int maxHeaderCount,
        int maxBody,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration readTimeout) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if a limit is not positive or a timeout is negative
     */
    public HttpLimits {
        if (maxRequestLine < 16 || maxHeaderBytes < 16 || maxHeaderCount < 1 || maxBody < 0) {
            throw new IllegalArgumentException("limits too small: request line " + maxRequestLine + ", header bytes "
                    + maxHeaderBytes + ", header count " + maxHeaderCount + ", body " + maxBody);
        }
        for (Duration timeout : new Duration[] {idleTimeout, headerTimeout, readTimeout}) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("negative timeout: " + timeout);
            }
        }
    }

    /**
     * Returns the defaults: an 8 KiB request line, 16 KiB and 100 header fields, a 1 MiB body, 30
     * seconds idle, 10 seconds for a request head, 30 seconds between body bytes.
     *
     * @return the defaults
     */
    public static HttpLimits defaults() {
        return new HttpLimits(8192, 16 * 1024, 100, 1024 * 1024,
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }

    /**
     * Returns a copy with another body limit.
     *
     * @param bytes the largest body
     * @return the new limits
     */
    public HttpLimits withMaxBody(int bytes) {
        return new HttpLimits(maxRequestLine, maxHeaderBytes, maxHeaderCount, bytes, idleTimeout, headerTimeout,
                readTimeout);
    }

    /**
     * Returns a copy with other size limits for the head.
     *
     * @param requestLine the longest request line
     * @param headerBytes the largest header section
     * @return the new limits
     */
    public HttpLimits withHeadLimits(int requestLine, int headerBytes) {
        return new HttpLimits(requestLine, headerBytes, maxHeaderCount, maxBody, idleTimeout, headerTimeout,
                readTimeout);
    }

    /**
     * Returns a copy with other timeouts.
     *
     * @param idle the keep-alive idle timeout
     * @param header the request head deadline
     * @param read the body read timeout
     * @return the new limits
     */
    public HttpLimits withTimeouts(Duration idle, Duration header, Duration read) {
        return new HttpLimits(maxRequestLine, maxHeaderBytes, maxHeaderCount, maxBody, idle, header, read);
    }
}
