package net.corosio.examples.resp;

import java.io.IOException;
import java.util.List;
import okio.BufferedSink;
import okio.ByteString;

/**
 * Writes RESP2 replies to an Okio sink. It only buffers: the connection flushes before it waits
 * for the next command, so a pipelined batch of replies leaves in one write.
 */
final class RespWriter {

    private RespWriter() {}

    /** {@code +OK}-style status reply; the text must hold no CR or LF. */
    static void simple(BufferedSink out, String text) throws IOException {
        out.writeByte('+').writeUtf8(text).writeUtf8("\r\n");
    }

    /**
     * An error reply, e.g. {@code -ERR unknown command}. Line breaks in the message (which may
     * quote what the client sent) become spaces, as Redis does, so the reply stays one line.
     */
    static void error(BufferedSink out, String message) throws IOException {
        out.writeByte('-').writeUtf8(message.replace('\r', ' ').replace('\n', ' ')).writeUtf8("\r\n");
    }

    /** {@code :N} */
    static void integer(BufferedSink out, long value) throws IOException {
        out.writeByte(':').writeDecimalLong(value).writeUtf8("\r\n");
    }

    /** {@code $N} and the bytes, or the null bulk string {@code $-1} for {@code null}. */
    static void bulk(BufferedSink out, ByteString value) throws IOException {
        if (value == null) {
            out.writeUtf8("$-1\r\n");
            return;
        }
        out.writeByte('$').writeDecimalLong(value.size()).writeUtf8("\r\n").write(value).writeUtf8("\r\n");
    }

    /** {@code *N}, to be followed by N replies. */
    static void arrayHeader(BufferedSink out, int count) throws IOException {
        out.writeByte('*').writeDecimalLong(count).writeUtf8("\r\n");
    }

    /** An array of bulk strings, {@code null} elements as null bulk strings. */
    static void bulkArray(BufferedSink out, List<ByteString> values) throws IOException {
        arrayHeader(out, values.size());
        for (ByteString value : values) {
            bulk(out, value);
        }
    }
}
