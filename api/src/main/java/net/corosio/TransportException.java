package net.corosio;

import java.io.IOException;
import java.util.Objects;

/**
 * The only checked exception that leaves the API. It carries an {@link ErrorKind} that is the same
 * on every backend, and the backend's native exception as its cause, for diagnosis only.
 *
 * <p>Code should branch on {@link #kind()}, never on the message or the cause's type.
 */
public final class TransportException extends IOException {

    private static final long serialVersionUID = 1L;

    private final ErrorKind kind;

    /**
     * Creates an exception of the given kind.
     *
     * @param kind what happened
     * @param message a human-readable description, naming the operation and the connection
     * @param cause the backend's native exception, or {@code null}
     */
    public TransportException(ErrorKind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(kind, "kind") + ": " + message, cause);
        this.kind = kind;
    }

    /**
     * Creates an exception of the given kind without a native cause.
     *
     * @param kind what happened
     * @param message a human-readable description, naming the operation and the connection
     */
    public TransportException(ErrorKind kind, String message) {
        this(kind, message, null);
    }

    /**
     * Returns what happened.
     *
     * @return the kind; never {@code null}
     */
    public ErrorKind kind() {
        return kind;
    }
}
