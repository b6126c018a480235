package net.corosio.lab.faults;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.corosio.lab.report.Environment;
import net.corosio.lab.report.JsonFiles;

/**
 * The JSON file {@code corosio faults} writes; the schema, {@value #SCHEMA}, is documented in
 * {@code lab/RESULTS.md}.
 *
 * @param schema the schema's name and version
 * @param command the command line's subcommand and options
 * @param started when the run started (ISO-8601, UTC)
 * @param environment the machine, JDK and versions
 * @param options every knob of the run
 * @param summary the totals
 * @param cells one per variant and scenario (empty with {@code --no-matrix})
 * @param overload the overload scenarios' results (empty unless {@code --overload})
 */
public record FaultsFile(
        String schema, String command, String started, Environment environment, Map<String, Object> options,
        Map<String, Object> summary, List<FaultCell> cells, List<?> overload) {

    /** The schema this code writes. */
    public static final String SCHEMA = "corosio-faults/1";

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
