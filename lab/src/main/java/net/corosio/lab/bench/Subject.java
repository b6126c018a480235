package net.corosio.lab.bench;

import java.util.Objects;
import net.corosio.Capability;
import net.corosio.Transport;
import net.corosio.lab.server.ServerMain;

/**
 * What one run measures: an implementation and, for a backend, the handler executor it runs its
 * handlers on. Its label names both: {@code netty} for the default executor ({@code virtual}),
 * {@code netty@loop} or {@code nio@platform:4} otherwise; a native baseline or an external target
 * has no executor of ours.
 *
 * @param impl a backend name, a native baseline, or {@code target:host:port}
 * @param executor {@code virtual}, {@code loop} or {@code platform:N}; {@code null} for a baseline
 *     or an external target
 */
public record Subject(String impl, String executor) {

    /** The default handler executor, left out of labels. */
    public static final String DEFAULT_EXECUTOR = "virtual";

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
     * Reads a label: {@code impl} (run with {@code defaultExecutor}) or {@code impl@executor}.
     *
     * @param label what a command was given
     * @param defaultExecutor the executor for a label without one
     * @return the subject
     * @throws IllegalArgumentException if the executor is unknown, or given to a baseline
     */
    public static Subject parse(String label, String defaultExecutor) {
        int at = label.indexOf('@');
        String impl = at < 0 ? label : label.substring(0, at);
        String executor = at < 0 ? defaultExecutor : label.substring(at + 1);
        if (isBaseline(impl) || impl.startsWith(BenchRunner.EXTERNAL)) {
            if (at >= 0) {
                throw new IllegalArgumentException("'" + label + "': " + impl
                        + " runs no handlers of ours, so it takes no executor");
            }
            return new Subject(impl, null);
        }
        return new Subject(impl, executor);
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
     * @return {@code impl}, or {@code impl@executor} for an executor other than the default
     */
    public String label() {
        return executor == null || executor.equals(DEFAULT_EXECUTOR) ? impl : impl + "@" + executor;
    }

    @Override
    public String toString() {
        return label();
    }
}
