package net.corosio.lab.bench;

import java.util.Objects;
import net.corosio.Capability;
import net.corosio.Transport;
import net.corosio.lab.server.ServerMain;

/**
 * What one run measures: an implementation and, for a backend, the handler executor it runs its
 * handlers on and how the server's apps read. Its label names all three: {@code netty} for the
 * default executor ({@code virtual}) and lent reads; {@code netty@loop} or {@code nio@platform:4}
 * for another executor; a {@code +copy} suffix ({@code netty+copy}, {@code nio@loop+copy}) for apps
 * that read with {@code read(ByteBuffer)} into a buffer of their own instead of receiving the
 * transport's buffers ({@code receive()}). A native baseline or an external target has neither.
 *
 * @param impl a backend name, a native baseline, or {@code target:host:port}
 * @param executor {@code virtual}, {@code loop} or {@code platform:N}; {@code null} for a baseline
 *     or an external target
 * @param copying whether the API's apps copy into buffers of their own ({@code read(ByteBuffer)})
 *     rather than lend ({@code receive()}); always {@code false} for a baseline
 */
public record Subject(String impl, String executor, boolean copying) {

    /** The default handler executor, left out of labels. */
    public static final String DEFAULT_EXECUTOR = "virtual";

    /** The label suffix of apps that read with {@code read(ByteBuffer)}. */
    public static final String COPY_SUFFIX = "+copy";

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the executor is not one the lab knows
     */
    public Subject {
        Objects.requireNonNull(impl, "impl");
        if (executor != null) {
            BenchOptions.checkExecutor(executor);
        }
    }

    /**
     * A subject whose apps lend.
     *
     * @param impl the implementation
     * @param executor the executor, or {@code null}
     */
    public Subject(String impl, String executor) {
        this(impl, executor, false);
    }

    /**
     * Reads a label: {@code impl} (run with {@code defaultExecutor}) or {@code impl@executor},
     * either with {@code +copy}.
     *
     * @param label what a command was given
     * @param defaultExecutor the executor for a label without one
     * @return the subject
     * @throws IllegalArgumentException if the executor is unknown, or a baseline is given an
     *     executor or {@code +copy}
     */
    public static Subject parse(String label, String defaultExecutor) {
        boolean copying = label.endsWith(COPY_SUFFIX);
        String rest = copying ? label.substring(0, label.length() - COPY_SUFFIX.length()) : label;
        int at = rest.indexOf('@');
        String impl = at < 0 ? rest : rest.substring(0, at);
        String executor = at < 0 ? defaultExecutor : rest.substring(at + 1);
        if (isBaseline(impl) || impl.startsWith(BenchRunner.EXTERNAL)) {
            if (at >= 0 || copying) {
                throw new IllegalArgumentException("'" + label + "': " + impl
                        + " runs no handlers of ours, so it takes no executor and no " + COPY_SUFFIX);
            }
            return new Subject(impl, null);
        }
        return new Subject(impl, executor, copying);
    }

    /**
     * Returns whether the implementation can run its handlers on {@code executor}: {@code loop}
     * needs a backend that declares {@link Capability#EVENT_LOOP_HANDLERS}; a baseline runs on
     * none of ours.
     *
     * @param impl an implementation name, without {@code @executor}
     * @param executor a handler executor
     * @return whether a run would not be refused for the executor
     */
    public static boolean supports(String impl, String executor) {
        if (isBaseline(impl) || impl.startsWith(BenchRunner.EXTERNAL)) {
            return true; // it ignores the executor
        }
        if (!executor.equals("loop")) {
            return true;
        }
        return Transport.available().stream()
                .anyMatch(p -> p.name().equals(impl) && p.capabilities().contains(Capability.EVENT_LOOP_HANDLERS));
    }

    /**
     * Returns whether {@code impl} is a native baseline, written without the API.
     *
     * @param impl an implementation name
     * @return whether it is {@code netty-native} or {@code jetty-native}
     */
    public static boolean isBaseline(String impl) {
        return impl.equals(ServerMain.NETTY_NATIVE) || impl.equals(ServerMain.JETTY_NATIVE);
    }

    /**
     * Returns the label tables and results use.
     *
     * @return {@code impl}, with {@code @executor} for an executor other than the default, and
     *     {@code +copy} for apps that copy
     */
    public String label() {
        String label = executor == null || executor.equals(DEFAULT_EXECUTOR) ? impl : impl + "@" + executor;
        return copying ? label + COPY_SUFFIX : label;
    }

    @Override
    public String toString() {
        return label();
    }
}
