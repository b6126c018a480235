package net.corosio.lab.cli;

import java.util.ArrayList;
import java.util.List;
import net.corosio.Transport;
import net.corosio.lab.bench.Subject;
import net.corosio.lab.server.ServerMain;
import net.corosio.spi.TransportProvider;

/** Which implementations a command runs: the backends found, plus the native baselines. */
final class Implementations {

    /** The order tables list backends in, so runs are easy to compare. */
    private static final List<String> ORDER = List.of("loom", "nio", "netty", "jetty");

    private Implementations() {}

    /**
     * Returns the implementations asked for (each may carry {@code @executor}, see {@link
     * Subject}), checked, or every one found.
     *
     * @param requested the names given, or {@code null} for all
     * @param withBaselines whether "all" includes the native baselines
     * @return the labels to run
     * @throws IllegalArgumentException naming an unknown backend or executor
     */
    static List<String> resolve(List<String> requested, boolean withBaselines) {
        if (requested != null && !requested.isEmpty()) {
            List<String> known = all(true);
            for (String label : requested) {
                Subject subject = Subject.parse(label, Subject.DEFAULT_EXECUTOR);
                if (!known.contains(subject.impl())) {
                    throw new IllegalArgumentException("unknown backend '" + subject.impl() + "'; found " + known);
                }
            }
            return requested;
        }
        return all(withBaselines);
    }

    /**
     * Runs each backend on each of {@code executors} it supports ({@code loop} needs {@link
     * Capability#EVENT_LOOP_HANDLERS}); baselines and labels that name an executor stay as they are.
     *
     * @param labels implementations, from {@link #resolve}
     * @param executors the executors, e.g. {@code virtual,loop}
     * @return the labels, backend by backend
     */
    static List<String> withExecutors(List<String> labels, List<String> executors) {
        List<String> expanded = new ArrayList<>();
        for (String label : labels) {
            if (label.contains("@") || Subject.isBaseline(label)) {
                expanded.add(label);
                continue;
            }
            Subject subject = Subject.parse(label, Subject.DEFAULT_EXECUTOR);
            for (String executor : executors) {
                if (Subject.supports(subject.impl(), executor)) {
                    expanded.add(new Subject(subject.impl(), executor, subject.copying()).label());
                }
            }
        }
        return expanded;
    }

    private static List<String> all(boolean withBaselines) {
        List<String> names = new ArrayList<>();
        List<String> found = Transport.available().stream().map(TransportProvider::name).toList();
        ORDER.stream().filter(found::contains).forEach(names::add);
        found.stream().filter(n -> !ORDER.contains(n)).sorted().forEach(names::add);
        if (withBaselines) {
            names.add(ServerMain.NETTY_NATIVE);
            names.add(ServerMain.JETTY_NATIVE);
        }
        return names;
    }
}
