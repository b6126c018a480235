package net.corosio.lab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import net.corosio.lab.bench.BenchOptions;
import net.corosio.lab.bench.BenchResult;

/**
 * The JSON file a run writes: everything needed to read and reproduce its numbers. The schema is
 * documented in {@code lab/RESULTS.md}; its version is {@link #SCHEMA}.
 *
 * @param schema the schema's name and version
 * @param command the command that produced it
 * @param started when the run started (ISO-8601, UTC)
 * @param environment the machine, JDK and versions
 * @param options every knob of the run
 * @param results one entry per scenario and implementation
 */
public record ResultsFile(
        String schema, String command, String started, Environment environment, BenchOptions options,
        List<BenchResult> results) {

    /** The schema this code writes. */
    public static final String SCHEMA = "corosio-results/1";

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
