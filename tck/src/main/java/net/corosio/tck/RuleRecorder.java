package net.corosio.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Records how each kit test ended on a backend, when {@value #PROPERTY} names a directory, so that
 * coverage counts the rules that ran rather than the tests that exist. One file per kit class
 * ({@code <directory>/<KitClass>.tsv}, e.g. {@code NioLoopConformanceTest.tsv}), rewritten after
 * every test. Unset, nothing is written. The build sets it for every module's tests; tck-selftest's
 * {@code RulesRanTest}, which Maven runs after the backends, reads the records.
 *
 * <p>The format, UTF-8 text: header lines {@code # kit <class>}, {@code # backend <name>} and
 * {@code # selection <the rule selection, or nothing>}, then one line per test with four
 * tab-separated fields: the test method's name, its rule, {@code pass}, {@code FAIL}, {@code skip}
 * (an assumption failed: the reason follows) or {@code disabled} (not selected), and the reason or
 * failure, on one line.
 */
public final class RuleRecorder implements TestWatcher {

    /** The property naming the directory the records go to. */
    public static final String PROPERTY = "corosio.tck.record";

    /** The outcomes so far, by kit class, then by test. */
    private static final Map<Class<?>, Map<String, String>> RUNS = new ConcurrentHashMap<>();

    private static final Map<Class<?>, String> BACKENDS = new ConcurrentHashMap<>();

    /** Created by JUnit, for {@link RuleGroup}. */
    public RuleRecorder() {}

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, "pass", "");
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, "skip", String.valueOf(cause == null ? "" : cause.getMessage()));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, "FAIL", String.valueOf(cause));
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, "disabled", reason.orElse(""));
    }

    private static void record(ExtensionContext context, String status, String detail) {
        String directory = System.getProperty(PROPERTY, "").strip();
        Optional<Class<?>> kit = kitClass(context);
        if (directory.isEmpty() || kit.isEmpty() || context.getTestMethod().isEmpty()) {
            return;
        }
        String test = context.getTestMethod().get().getName();
        String rule = Spec.citation(test).map(Spec.Citation::ruleId).orElse("?");
        context.getTestInstances()
                .flatMap(instances -> instances.findInstance(TransportKit.class))
                .ifPresent(instance -> BACKENDS.computeIfAbsent(kit.get(), k -> instance.provider().name()));
        Map<String, String> outcomes = RUNS.computeIfAbsent(kit.get(), k -> new TreeMap<>());
        synchronized (outcomes) {
            outcomes.put(test, String.join("\t", test, rule, status, oneLine(detail)));
            write(Path.of(directory), kit.get(), outcomes);
        }
    }

    /** The concrete kit class (a backend's conformance test) the test belongs to. */
    private static Optional<Class<?>> kitClass(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<Class<?>> type = c.get().getTestClass();
            if (type.isPresent() && TransportKit.class.isAssignableFrom(type.get())) {
                return type;
            }
        }
        return Optional.empty();
    }

    private static void write(Path directory, Class<?> kit, Map<String, String> outcomes) {
        StringBuilder text = new StringBuilder()
                .append("# kit ").append(kit.getName()).append('\n')
                .append("# backend ").append(BACKENDS.getOrDefault(kit, "?")).append('\n')
                .append("# selection ").append(System.getProperty(RuleSelection.PROPERTY, "").strip()).append('\n');
        outcomes.values().forEach(line -> text.append(line).append('\n'));
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(kit.getSimpleName() + ".tsv");
            Path next = directory.resolve(kit.getSimpleName() + ".tsv.next");
            Files.writeString(next, text);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the kit's outcomes in " + directory, e);
        }
    }

    private static String oneLine(String text) {
        String flat = text.replaceAll("[\\t\\r\\n]+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 297) + "..." : flat;
    }
}
