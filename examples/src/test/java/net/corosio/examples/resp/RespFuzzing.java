package net.corosio.examples.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import net.corosio.examples.MemoryConnection;
import okio.Buffer;
import okio.ByteString;

/**
 * What fuzzing checks of the RESP side, for {@code net.corosio.examples.ProtocolFuzzTest}.
 *
 * <p>The properties: the reader only ever refuses with a {@link RespProtocolError} or reports a
 * truncated command, and what it accepts respects every limit; the handler, fed the same bytes in
 * small reads against a fresh store, never throws, and everything it writes is a sequence of
 * well-formed RESP2 replies.
 */
public final class RespFuzzing {

    private static final RespLimits LIMITS = RespLimits.defaults().withProtocolLimits(4096, 64, 16 * 1024)
            .withMaxMemory(256 * 1024);
    private static final RespReader READER = new RespReader(LIMITS);

    private RespFuzzing() {}

    /**
     * Checks the reader and the handler on one input.
     *
     * @param input the bytes a client sends
     * @throws Exception if a property does not hold
     */
    public static void check(byte[] input) throws Exception {
        readEverything(input);
        Commands commands = new Commands(new KeyValueStore(LIMITS.maxMemory()), LIMITS);
        MemoryConnection connection = new MemoryConnection(input, 1 + (input.length % 5), 64L * input.length + (1 << 20));
        new RespConnectionHandler(READER, commands).handle(connection);
        Buffer output = connection.output();
        while (!output.exhausted()) {
            readReply(output);
        }
    }

    private static void readEverything(byte[] input) throws IOException {
        Buffer in = new Buffer().write(input);
        try {
            List<ByteString> args;
            while ((args = READER.read(in)) != null) {
                assertTrue(args.size() <= LIMITS.maxArgs(), "argument count within its limit");
                for (ByteString arg : args) {
                    assertTrue(arg.size() <= Math.max(LIMITS.maxBulk(), LIMITS.maxInline()), "argument within its limit");
                }
            }
        } catch (RespProtocolError | EOFException e) {
            // refused in Redis's words, or cut short
        }
    }

    /** Consumes one RESP2 reply, failing if it is not well formed. */
    private static void readReply(Buffer out) throws IOException {
        byte type = out.readByte();
        String line = out.readUtf8LineStrict();
        switch (type) {
            case '+', '-' -> assertTrue(line.indexOf('\r') < 0, line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                long length = Long.parseLong(line);
                if (length >= 0) {
                    out.skip(length);
                    assertEquals("", out.readUtf8LineStrict(), "bulk string followed by CRLF");
                } else {
                    assertEquals(-1, length);
                }
            }
            case '*' -> {
                long count = Long.parseLong(line);
                for (long i = 0; i < count; i++) {
                    readReply(out);
                }
            }
            default -> throw new AssertionError("not a RESP reply type: " + (char) type);
        }
    }
}
