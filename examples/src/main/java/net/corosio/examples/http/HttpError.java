package net.corosio.examples.http;

/**
 * A request the server refuses: the status to answer with and why. After one, the server answers
 * and closes the connection.
 */
public final class HttpError extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * Creates the error.
     *
     * @param status the response status, 4xx or 5xx
     * @param detail what was wrong, for the response body
     */
    public HttpError(int status, String detail) {
        super(detail, null, false, false); // control flow for bad input: no stack trace to fill
        this.status = status;
    }

    /**
     * Returns the status to answer with.
     *
     * @return the status code
     */
    public int status() {
        return status;
    }
}
