package net.corosio.examples.resp;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads client commands in RESP2 from an Okio source: arrays of bulk strings (what every client
 * library, redis-cli and redis-benchmark send) and inline commands (a line of words, what a person
 * types into telnet; double and single quotes as Redis parses them).
 *
 * <p>Every length is checked against {@link RespLimits} before a byte of what it announces is
 * read, so memory per connection stays bounded whatever is sent. Malformed input is a {@link
 * RespProtocolError} worded as Redis words it; a stream that ends inside a command is an {@link
 * EOFException}. Stateless and thread-safe.
 */
public final class RespReader {

    /** Redis's limit for the {@code *N} and {@code $N} lines. */
    private static final int MAX_LENGTH_LINE = 64 * 1024;

    /** Bytes each argument costs beyond its length, for the per-command budget. */
    private static final int ARGUMENT_OVERHEAD = 16;

    private final RespLimits limits;

    /**
     * Creates a reader.
     *
     * @param limits what it accepts
     */
    public RespReader(RespLimits limits) {
        this.limits = limits;
    }

    /**
     * Reads one command.
     *
     * @param in the connection's input
     * @return the command's arguments, the name first; empty for an empty inline line or a
     *     {@code *0} array (which Redis ignores); {@code null} if the stream ended cleanly between
     *     commands
     * @throws RespProtocolError if the input is not RESP or exceeds a limit
     * @throws EOFException if the stream ends inside a command
     * @throws IOException if reading fails
     */
    public List<ByteString> read(BufferedSource in) throws IOException, RespProtocolError {
        if (!in.request(1)) {
            return null;
        }
        return in.getBuffer().getByte(0) == '*' ? readArray(in) : readInline(in);
    }

    private List<ByteString> readArray(BufferedSource in) throws IOException, RespProtocolError {
        long count = parseLength(readLine(in, MAX_LENGTH_LINE, "too big mbulk count string"), 1);
        if (count == Long.MIN_VALUE || count > limits.maxArgs()) {
            throw new RespProtocolError("invalid multibulk length");
        }
        if (count <= 0) {
            return List.of();
        }
        List<ByteString> args = new ArrayList<>((int) Math.min(count, 64));
        long budget = limits.maxCommandBytes();
        for (long i = 0; i < count; i++) {
            if (!in.request(1)) {
                throw new EOFException("stream ended inside a command");
            }
            byte type = in.getBuffer().getByte(0);
            if (type != '$') {
                throw new RespProtocolError("expected '$', got '" + printable(type) + "'");
            }
            long length = parseLength(readLine(in, MAX_LENGTH_LINE, "too big bulk count string"), 1);
            if (length < 0 || length > limits.maxBulk()) {
                throw new RespProtocolError("invalid bulk length");
            }
            budget -= length + ARGUMENT_OVERHEAD;
            if (budget < 0) {
                throw new RespProtocolError("command larger than " + limits.maxCommandBytes() + " bytes");
            }
            in.require(length + 2);
            args.add(in.readByteString(length));
            if (in.readByte() != '\r' || in.readByte() != '\n') {
                throw new RespProtocolError("bulk string not followed by CRLF");
            }
        }
        return args;
    }

    private List<ByteString> readInline(BufferedSource in) throws IOException, RespProtocolError {
        String line = readLine(in, limits.maxInline(), "too big inline request");
        List<ByteString> args = InlineSplitter.split(line);
        if (args.size() > limits.maxArgs()) { // the same bound as for arrays, whichever way a command comes
            throw new RespProtocolError("too many arguments in inline request");
        }
        return args;
    }

    /**
     * Reads a line ending in LF (a CR before it is dropped) of at most {@code max} bytes; only that
     * many are ever looked at.
     */
    private static String readLine(BufferedSource in, int max, String tooLong) throws IOException, RespProtocolError {
        long newline = in.indexOf((byte) '\n', 0, max + 1L);
        if (newline < 0) {
            if (in.getBuffer().size() > max) {
                throw new RespProtocolError(tooLong);
            }
            throw new EOFException("stream ended inside a line");
        }
        Buffer buffer = in.getBuffer();
        long end = newline > 0 && buffer.getByte(newline - 1) == '\r' ? newline - 1 : newline;
        String line = buffer.readString(end, StandardCharsets.ISO_8859_1);
        buffer.skip(newline + 1 - end);
        return line;
    }

    /**
     * Parses the number after a one-character type marker strictly as Redis does (no sign but a
     * leading minus, no leading zeros, no spaces).
     *
     * @return the number, or {@link Long#MIN_VALUE} if it is not one
     */
    private static long parseLength(String line, int from) {
        return Integers.parse(line, from, line.length());
    }

    private static String printable(byte b) {
        return b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
