package net.corosio.lab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import net.corosio.lab.apps.AppsRun;

/**
 * The JSON file {@code corosio apps} writes: one example application on every backend under a real
 * client, and the reference server beside them. The schema is documented in {@code lab/RESULTS.md};
 * its version is {@link #SCHEMA}.
 *
 * @param schema the schema's name and version
 * @param command the command that produced it
 * @param started when the run started (ISO-8601, UTC)
 * @param environment the machine, JDK and versions
 * @param app {@code http} or {@code resp}
 * @param description how the client drove each server
 * @param settings the run's settings
 * @param rows one per server: its figures, or why it has none
 */
public record AppsResultsFile(
        String schema, String command, String started, Environment environment, String app, String description,
        AppsRun.Settings settings, List<AppsRun.Row> rows) {

    /** The schema this code writes. */
    public static final String SCHEMA = "corosio-apps/1";

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
