package net.corosio.lab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Durations as ISO-8601 ("PT3S"): one form for every reader, and one the command line takes too.
        SimpleModule durations = new SimpleModule("durations").addSerializer(Duration.class, ToStringSerializer.instance);
        new ObjectMapper()
                .registerModule(durations)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(path.toFile(), this);
    }
}
