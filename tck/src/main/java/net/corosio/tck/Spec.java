package net.corosio.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code SPEC.md} as data: its numbered rules, read from the copy inside the kit's jar, and the
 * mapping from a kit test method to the rule it proves. Used by the kit's own coverage check and
 * by the lab's rule × backend matrix.
 */
public final class Spec {

    /** A rule's level: MUST rules are required, SHOULD and MAY rules are optional. */
    public enum Level {
        MUST,
        SHOULD,
        MAY;

        /**
         * Returns whether tests of this level are tagged {@code required}.
         *
         * @return {@code true} for MUST
         */
        public boolean isRequired() {
            return this == MUST;
        }
    }

    /**
     * One rule.
     *
     * @param id the rule's number, {@code "3.4"}
     * @param level its level
     * @param negated whether the key word is negated ({@code MUST NOT}, {@code SHOULD NOT})
     * @param capabilities the capabilities it needs, in the order written; empty if none
     * @param text its statement
     */
    public record Rule(String id, Level level, boolean negated, List<String> capabilities, String text) {

        /** Copies the capabilities. */
        public Rule {
            capabilities = List.copyOf(capabilities);
        }

        /**
         * Returns the key word as written: {@code "MUST NOT"}, {@code "MAY"}...
         *
         * @return the key word
         */
        public String keyword() {
            return negated ? level + " NOT" : level.name();
        }

        /**
         * Returns whether the rule is withdrawn (its statement begins with {@code *withdrawn*}): it
         * keeps its number but needs no test.
         *
         * @return whether withdrawn
         */
        public boolean withdrawn() {
            return text.startsWith("*withdrawn*");
        }
    }

    /**
     * A kit test's reference to a rule, parsed from its method name.
     *
     * @param required whether the name starts with {@code required_}
     * @param ruleId the rule's number
     */
    public record Citation(boolean required, String ruleId) {}

    /**
     * A line that starts a rule: (a list item) whose bold lead begins with a number. Every such line
     * must match {@link #RULE}, or the spec does not parse.
     */
    private static final Pattern RULE_START = Pattern.compile("^(?:[-*+]\\s+)?\\*\\*\\s*\\d+\\.\\d+.*");
    private static final Pattern RULE = Pattern.compile("^- \\*\\*(\\d+\\.\\d+) (MUST NOT|MUST|SHOULD NOT|SHOULD|MAY)"
            + "((?: \\[[A-Z0-9_]+(?:, [A-Z0-9_]+)*])*)\\*\\* (\\S.*)$");
    private static final Pattern CAPABILITY = Pattern.compile("[A-Z0-9_]+");
    private static final Pattern TEST_NAME = Pattern.compile("^(required|optional)_(\\d+)_(\\d+)_[A-Za-z0-9]+$");

    private Spec() {}

    /**
     * Reads the rules from the kit's copy of {@code SPEC.md}.
     *
     * @return the rules by number, in document order
     */
    public static Map<String, Rule> rules() {
        try (InputStream in = Spec.class.getResourceAsStream("SPEC.md")) {
            if (in == null) {
                throw new IllegalStateException("SPEC.md is missing from the kit's jar (net/corosio/tck/SPEC.md)");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SPEC.md", e);
        }
    }

    /**
     * Parses rules from the text of a spec. A rule is a list item that starts with its number,
     * key word ({@code MUST}, {@code MUST NOT}, {@code SHOULD}, {@code SHOULD NOT}, {@code MAY})
     * and capabilities in brackets, all in bold: {@code - **8.14 MUST [TLS, TLS_ALPN]** Text.}
     *
     * @param markdown the spec
     * @return the rules by number, in document order
     * @throws IllegalStateException naming the line, if a line that starts a rule does not parse
     *     or a number appears twice
     */
    public static Map<String, Rule> parse(String markdown) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        String[] lines = markdown.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!RULE_START.matcher(line).matches()) {
                continue;
            }
            Matcher m = RULE.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("SPEC.md line " + (i + 1) + " starts a rule but does not parse (expected "
                        + "'- **N.M MUST|MUST NOT|SHOULD|SHOULD NOT|MAY [CAPABILITY, ...]** text'): " + line);
            }
            List<String> capabilities = new ArrayList<>();
            Matcher capability = CAPABILITY.matcher(m.group(3));
            while (capability.find()) {
                capabilities.add(capability.group());
            }
            String keyword = m.group(2);
            Rule rule = new Rule(m.group(1), Level.valueOf(keyword.split(" ")[0]), keyword.endsWith(" NOT"),
                    capabilities, m.group(4));
            if (rules.put(rule.id(), rule) != null) {
                throw new IllegalStateException("SPEC.md line " + (i + 1) + ": rule " + rule.id() + " appears twice");
            }
        }
        return rules;
    }

    /**
     * Parses a kit test's method name.
     *
     * @param methodName e.g. {@code required_3_4_writesFromManyThreadsAreAtomic}
     * @return the citation, or empty if the name does not follow the pattern
     */
    public static Optional<Citation> citation(String methodName) {
        Matcher m = TEST_NAME.matcher(methodName);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Citation(m.group(1).equals("required"), m.group(2) + "." + m.group(3)));
    }

    /**
     * Lists the kit's test methods: those annotated {@link RequiredRule} or {@link OptionalRule}
     * in the rule groups of {@link TransportKit}.
     *
     * @return the methods
     */
    public static List<Method> kitTests() {
        List<Method> tests = new ArrayList<>();
        for (Class<?> nested : TransportKit.class.getDeclaredClasses()) {
            for (Class<?> c = nested; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method method : c.getDeclaredMethods()) {
                    if (method.isAnnotationPresent(RequiredRule.class) || method.isAnnotationPresent(OptionalRule.class)) {
                        tests.add(method);
                    }
                }
            }
        }
        return tests;
    }
}
