package net.corosio.examples.resp;

/**
 * Input that is not RESP: answered with {@code -ERR Protocol error: ...} in Redis's words, then the
 * connection is closed, because the server can no longer tell where the next command starts.
 */
public final class RespProtocolError extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param detail Redis's wording after {@code Protocol error: }
     */
    public RespProtocolError(String detail) {
        super("Protocol error: " + detail, null, false, false); // control flow for bad input: no stack trace
    }
}
