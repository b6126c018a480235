package net.corosio.examples.http;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Reads HTTP/1.1 requests (RFC 9112) from an Okio source, within {@link HttpLimits}. It never
 * buffers more than a limit allows before deciding: a line is looked for within its limit only,
 * and a body's declared length is checked before a byte of it is read.
 *
 * <p>Refusals are {@link HttpError}s with the status to answer: {@code 400} for anything malformed
 * (including obsolete line folding, whitespace before a colon, a missing or repeated Host, both
 * Content-Length and Transfer-Encoding, conflicting lengths, bad chunk framing), {@code 413},
 * {@code 414} and {@code 431} for the size limits, {@code 417} for an expectation other than
 * {@code 100-continue}, {@code 501} for a transfer coding other than chunked, {@code 505} for an
 * HTTP version other than 1.0 and 1.1. A stream that ends inside a request is an {@link
 * EOFException}. Stateless and thread-safe.
 */
public final class RequestParser {

    /** Blank lines tolerated before a request line (RFC 9112 section 2.2 asks for at least one). */
    private static final int MAX_LEADING_EMPTY_LINES = 16;

    /** The longest chunk-size line, extensions included. */
    private static final int MAX_CHUNK_LINE = 1024;

    private final HttpLimits limits;

    /**
     * Creates a parser.
     *
     * @param limits what it accepts
     */
    public RequestParser(HttpLimits limits) {
        this.limits = limits;
    }

    /**
     * Reads a request line and header section.
     *
     * @param in the connection's input
     * @return the head, or {@code null} if the stream ended cleanly before a request began
     * @throws HttpError if the request is refused
     * @throws EOFException if the stream ends inside the head
     * @throws IOException if reading fails
     */
    public RequestHead readHead(BufferedSource in) throws IOException, HttpError {
        if (!skipEmptyLines(in)) {
            return null;
        }
        String requestLine = readLine(in, limits.maxRequestLine(), 414, "request line");
        int sp1 = requestLine.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : requestLine.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || sp2 == sp1 + 1 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
            throw new HttpError(400, "malformed request line");
        }
        String method = requestLine.substring(0, sp1);
        String target = requestLine.substring(sp1 + 1, sp2);
        String version = requestLine.substring(sp2 + 1);
        if (!isToken(method)) {
            throw new HttpError(400, "malformed method");
        }
        checkTarget(target);
        checkVersion(version);
        List<Header> headers = readFields(in, "header section");
        return interpret(method, target, version, headers);
    }

    /**
     * Reads the body that {@code head} announces, entirely: the limit keeps it small.
     *
     * @param in the connection's input, just after the head
     * @param head the request's head
     * @return the body (empty if there is none)
     * @throws HttpError {@code 413} if a chunked body grows beyond the limit, {@code 400} for bad
     *     chunk framing, {@code 431} for an oversized trailer section
     * @throws EOFException if the stream ends inside the body
     * @throws IOException if reading fails
     */
    public Buffer readBody(BufferedSource in, RequestHead head) throws IOException, HttpError {
        Buffer body = new Buffer();
        if (!head.chunked()) {
            in.readFully(body, head.contentLength());
            return body;
        }
        while (true) {
            long size = chunkSize(readLine(in, MAX_CHUNK_LINE, 400, "chunk size line"));
            if (size == 0) {
                break;
            }
            if (size > limits.maxBody() - body.size()) {
                throw new HttpError(413, "chunked body larger than " + limits.maxBody() + " bytes");
            }
            in.readFully(body, size);
            if (!in.request(1)) {
                throw new EOFException("body cut short after a chunk");
            }
            byte next = in.getBuffer().getByte(0);
            if (next == '\r' && in.request(2) && in.getBuffer().getByte(1) == '\n') {
                in.skip(2);
            } else if (next == '\n') {
                in.skip(1);
            } else if (next == '\r' && !in.request(2)) {
                throw new EOFException("body cut short after a chunk");
            } else {
                throw new HttpError(400, "chunk data not followed by CRLF");
            }
        }
        readFields(in, "trailer section"); // read and dropped: no route here needs trailers
        return body;
    }

    /** Skips blank lines before a request; false when the stream ends before anything else. */
    private static boolean skipEmptyLines(BufferedSource in) throws IOException, HttpError {
        for (int skipped = 0; ; skipped++) {
            if (!in.request(1)) {
                if (skipped == 0) {
                    return false;
                }
                throw new EOFException("stream ended after blank lines");
            }
            byte first = in.getBuffer().getByte(0);
            if (first != '\r' && first != '\n') {
                return true;
            }
            if (skipped == MAX_LEADING_EMPTY_LINES) {
                throw new HttpError(400, "too many blank lines before the request line");
            }
            if (first == '\n') {
                in.skip(1);
            } else if (!in.request(2)) {
                throw new EOFException("stream ended inside a blank line");
            } else if (in.getBuffer().getByte(1) == '\n') {
                in.skip(2);
            } else {
                throw new HttpError(400, "bare CR before the request line");
            }
        }
    }

    /**
     * Reads one line ending in CRLF (or a bare LF, which RFC 9112 lets a recipient accept) of at
     * most {@code max} bytes before its end; only {@code max + 2} bytes are ever looked at.
     */
    private static String readLine(BufferedSource in, long max, int tooLong, String what)
            throws IOException, HttpError {
        long newline = in.indexOf((byte) '\n', 0, max + 2);
        if (newline < 0) {
            if (in.getBuffer().size() >= max + 2) {
                throw new HttpError(tooLong, what + " longer than " + max + " bytes");
            }
            throw new EOFException("stream ended inside the " + what);
        }
        long end = newline > 0 && in.getBuffer().getByte(newline - 1) == '\r' ? newline - 1 : newline;
        if (end > max) {
            throw new HttpError(tooLong, what + " longer than " + max + " bytes");
        }
        String line = in.readString(end, StandardCharsets.ISO_8859_1);
        in.skip(newline + 1 - end);
        return line;
    }

    /** Reads field lines up to the blank line, within the header limits. */
    private List<Header> readFields(BufferedSource in, String what) throws IOException, HttpError {
        List<Header> fields = new ArrayList<>();
        long budget = limits.maxHeaderBytes();
        while (true) {
            String line = readLine(in, Math.max(0, budget - 2), 431, what);
            budget -= line.length() + 2;
            if (line.isEmpty()) {
                return fields;
            }
            if (fields.size() == limits.maxHeaderCount()) {
                throw new HttpError(431, "more than " + limits.maxHeaderCount() + " fields in the " + what);
            }
            char first = line.charAt(0);
            if (first == ' ' || first == '\t') {
                throw new HttpError(400, "obsolete line folding in the " + what);
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new HttpError(400, "malformed field name in the " + what);
            }
            String value = trimWhitespace(line.substring(colon + 1));
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    throw new HttpError(400, "control character in a field value");
                }
            }
            fields.add(new Header(line.substring(0, colon), value));
        }
    }

    /** Derives the body's framing and the connection's fate from the fields. */
    private RequestHead interpret(String method, String target, String version, List<Header> headers)
            throws HttpError {
        boolean http11 = version.equals("HTTP/1.1");
        int hosts = 0;
        long contentLength = -1;
        List<String> codings = new ArrayList<>();
        boolean close = false;
        boolean keepAlive = false;
        boolean expectContinue = false;
        for (Header header : headers) {
            switch (header.name().toLowerCase(Locale.ROOT)) {
                case "host" -> hosts++;
                case "content-length" -> {
                    for (String element : header.value().split(",", -1)) {
                        long length = contentLength(trimWhitespace(element));
                        if (contentLength >= 0 && length != contentLength) {
                            throw new HttpError(400, "conflicting Content-Length values");
                        }
                        contentLength = length;
                    }
                }
                case "transfer-encoding" -> {
                    for (String coding : header.value().split(",", -1)) {
                        String trimmed = trimWhitespace(coding).toLowerCase(Locale.ROOT);
                        if (!trimmed.isEmpty()) {
                            codings.add(trimmed);
                        }
                    }
                }
                case "connection" -> {
                    for (String option : header.value().split(",", -1)) {
                        String trimmed = trimWhitespace(option);
                        close |= trimmed.equalsIgnoreCase("close");
                        keepAlive |= trimmed.equalsIgnoreCase("keep-alive");
                    }
                }
                case "expect" -> {
                    if (!header.value().equalsIgnoreCase("100-continue")) {
                        throw new HttpError(417, "unsupported expectation");
                    }
                    expectContinue = http11; // RFC 9110: an HTTP/1.0 request's expectation is ignored
                }
                default -> {
                    // not this server's business
                }
            }
        }
        if (http11 ? hosts != 1 : hosts > 1) {
            throw new HttpError(400, hosts == 0 ? "missing Host header" : "more than one Host header");
        }
        long framing;
        if (!codings.isEmpty()) {
            if (!http11) {
                throw new HttpError(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (contentLength >= 0) {
                // Two framings for one body is how requests are smuggled past proxies: refuse it.
                throw new HttpError(400, "both Content-Length and Transfer-Encoding");
            }
            if (!codings.get(codings.size() - 1).equals("chunked")) {
                throw new HttpError(400, "request body's final transfer coding is not chunked");
            }
            if (codings.size() > 1) {
                throw new HttpError(501, "unsupported transfer coding " + codings.get(0));
            }
            framing = -1;
        } else {
            framing = Math.max(0, contentLength);
            if (framing > limits.maxBody()) {
                throw new HttpError(413, "body of " + framing + " bytes; the limit is " + limits.maxBody());
            }
        }
        boolean persistent = http11 ? !close : keepAlive && !close;
        return new RequestHead(method, target, version, List.copyOf(headers), framing, persistent,
                expectContinue && framing != 0);
    }

    private long contentLength(String digits) throws HttpError {
        if (digits.isEmpty()) {
            throw new HttpError(400, "empty Content-Length");
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new HttpError(400, "malformed Content-Length");
            }
        }
        String significant = stripLeadingZeros(digits);
        if (significant.length() > 18) {
            throw new HttpError(413, "Content-Length beyond any limit");
        }
        return significant.isEmpty() ? 0 : Long.parseLong(significant);
    }

    private static long chunkSize(String line) throws HttpError {
        int end = line.indexOf(';');
        String hex = trimWhitespace(end < 0 ? line : line.substring(0, end));
        if (hex.isEmpty()) {
            throw new HttpError(400, "missing chunk size");
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                throw new HttpError(400, "malformed chunk size");
            }
        }
        String significant = stripLeadingZeros(hex);
        if (significant.length() > 15) {
            throw new HttpError(413, "chunk size beyond any limit");
        }
        return significant.isEmpty() ? 0 : Long.parseLong(significant, 16);
    }

    private static void checkTarget(String target) throws HttpError {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new HttpError(400, "invalid character in the request target");
            }
        }
        if (!target.startsWith("/") && !target.equals("*") && !target.regionMatches(true, 0, "http://", 0, 7)
                && !target.regionMatches(true, 0, "https://", 0, 8)) {
            throw new HttpError(400, "request target is neither a path nor an absolute URI");
        }
    }

    private static void checkVersion(String version) throws HttpError {
        if (version.equals("HTTP/1.1") || version.equals("HTTP/1.0")) {
            return;
        }
        if (version.length() == 8 && version.startsWith("HTTP/") && isDigit(version.charAt(5))
                && version.charAt(6) == '.' && isDigit(version.charAt(7))) {
            throw new HttpError(505, "HTTP version " + version.substring(5) + " is not supported");
        }
        throw new HttpError(400, "malformed HTTP version");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** RFC 9110 token: one or more tchar. */
    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    private static String trimWhitespace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        return text.substring(start, end);
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }
}
