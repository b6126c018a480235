package net.corosio.lab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The JSON file {@code corosio tck} writes: every rule's outcome on every backend, and the interop
 * matrix. The schema is documented in {@code lab/RESULTS.md}; its version is {@link #SCHEMA}.
 *
 * @param schema the schema's name and version
 * @param command the command that produced it
 * @param started when the run started (ISO-8601, UTC)
 * @param environment the machine, JDK and versions
 * @param properties the backend properties every run was given
 * @param rules the specification's rules, in order
 * @param kit one entry per backend and rule (empty with {@code --no-kit})
 * @param interop one entry per client, server and transport (empty with {@code --no-interop})
 */
public record TckResultsFile(
        String schema, String command, String started, Environment environment, Map<String, String> properties,
        List<Rule> rules, List<KitOutcome> kit, List<InteropOutcome> interop) {

    /** The schema this code writes. */
    public static final String SCHEMA = "corosio-tck/1";

    /**
     * One rule of {@code tck/SPEC.md}.
     *
     * @param id its number, e.g. {@code 5.7}
     * @param level {@code MUST}, {@code SHOULD} or {@code MAY}
     * @param text its statement
     */
    public record Rule(String id, String level, String text) {}

    /**
     * What one backend did with one rule.
     *
     * @param backend the backend
     * @param rule the rule's number
     * @param status {@code pass}, {@code FAIL}, {@code skip}, or {@code none} (no test ran for it)
     * @param detail the failure's message or the skip's reason, or empty
     * @param seconds how long the backend's whole kit took (the same on each of its entries)
     */
    public record KitOutcome(String backend, String rule, String status, String detail, double seconds) {}

    /**
     * One cell of the interop matrix.
     *
     * @param tls whether the pair spoke TLS
     * @param client the client's backend
     * @param server the server's backend
     * @param status {@code ok}, {@code FAIL}, or {@code n/a} (a side cannot do TLS)
     * @param problem what went wrong, or {@code null}
     */
    public record InteropOutcome(boolean tls, String client, String server, String status, String problem) {}

    /**
     * Writes the file.
     *
     * @param path where
     * @throws IOException if it cannot be written
     */
    public void write(Path path) throws IOException {
        JsonFiles.write(path, this);
    }
}
