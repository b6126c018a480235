package net.corosio.lab.page;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.corosio.lab.bench.BenchResult;
import net.corosio.lab.report.AppsResultsFile;
import net.corosio.lab.report.ResultsFile;
import net.corosio.lab.report.TckResultsFile;

/**
 * The results files a report is made from, read and sorted by kind (their {@code schema}):
 * benchmark runs from {@code compare} and {@code bench}, kit and interop outcomes from {@code
 * tck}, example applications from {@code apps}, and fault scenarios from {@code faults} (through
 * {@link FaultsReader}, the one place that knows that schema).
 *
 * @param files every file read, in order
 * @param commands the command that wrote each benchmark file
 * @param bench every benchmark run, knobs made explicit, medians of repeats
 * @param environment the environment of the first file that records one, or {@code null}
 * @param tck the last kit file given, or {@code null}
 * @param apps every apps file
 * @param faults the last faults file given, or {@code null}
 * @param problems files that could not be read, and why
 */
record ReportInputs(List<Path> files, List<String> commands, BenchRuns bench, JsonNode environment, TckResultsFile tck,
        List<AppsResultsFile> apps, FaultsReader.Matrix faults, List<String> problems) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * Reads the files; one that cannot be read is named in {@link #problems()}, not fatal.
     *
     * @param files results files of any kind
     * @return what they hold
     */
    static ReportInputs read(List<Path> files) {
        List<String> commands = new ArrayList<>();
        List<BenchResult> runs = new ArrayList<>();
        List<AppsResultsFile> apps = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        JsonNode environment = null;
        TckResultsFile tck = null;
        FaultsReader.Matrix faults = null;
        for (Path file : files) {
            try {
                JsonNode root = JSON.readTree(file.toFile());
                String schema = root.path("schema").asText("");
                if (environment == null && root.has("environment")) {
                    environment = root.get("environment");
                }
                if (schema.equals(ResultsFile.SCHEMA)) {
                    commands.add(root.path("command").asText("?"));
                    @SuppressWarnings("unchecked")
                    Map<String, Object> options = JSON.convertValue(root.path("options"), Map.class);
                    for (JsonNode result : root.path("results")) {
                        runs.add(BenchRuns.normalize(JSON.treeToValue(result, BenchResult.class),
                                options == null ? Map.of() : options));
                    }
                } else if (schema.equals(TckResultsFile.SCHEMA)) {
                    tck = JSON.treeToValue(root, TckResultsFile.class);
                } else if (schema.equals(AppsResultsFile.SCHEMA)) {
                    apps.add(JSON.treeToValue(root, AppsResultsFile.class));
                } else if (FaultsReader.accepts(root)) {
                    faults = FaultsReader.read(root, file);
                } else {
                    problems.add(file + ": not a corosio results file (schema '" + schema + "')");
                }
            } catch (IOException | RuntimeException e) {
                problems.add(file + ": " + e.getMessage());
            }
        }
        return new ReportInputs(List.copyOf(files), commands, new BenchRuns(runs), environment, tck, apps, faults,
                problems);
    }
}
