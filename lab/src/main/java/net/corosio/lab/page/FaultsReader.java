package net.corosio.lab.page;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code corosio faults} results file into a fault × backend matrix. This is the only class
 * that knows the faults file's shape, so it is the one to adapt when that schema settles.
 *
 * <p>It accepts any JSON document whose {@code schema} starts with {@code corosio-faults}, and takes
 * its entries from the first array among {@code results}, {@code faults}, {@code scenarios} and
 * {@code matrix}. In each entry the row is the first of {@code fault}, {@code scenario}, {@code
 * name}, {@code case}; the column the first of {@code impl}, {@code backend}, {@code target}; the
 * verdict the first of {@code status}, {@code outcome}, {@code verdict}, {@code result}; the detail
 * the first of {@code detail}, {@code reason}, {@code observed}, {@code error}.
 */
final class FaultsReader {

    private static final List<String> ARRAYS = List.of("results", "faults", "scenarios", "matrix");
    private static final List<String> ROW = List.of("fault", "scenario", "name", "case");
    private static final List<String> COLUMN = List.of("impl", "backend", "target");
    private static final List<String> VERDICT = List.of("status", "outcome", "verdict", "result");
    private static final List<String> DETAIL = List.of("detail", "reason", "observed", "error");

    private FaultsReader() {}

    /**
     * A fault × backend matrix.
     *
     * @param file where it came from
     * @param command the command that wrote it, if recorded
     * @param columns the backends, in order
     * @param cells by fault, then by backend: the verdict
     * @param details what went wrong in a cell that did not pass, as "fault on backend: detail"
     */
    record Matrix(Path file, String command, List<String> columns, Map<String, Map<String, String>> cells,
            List<String> details) {

        /**
         * Returns whether a verdict counts as the backend behaving as specified.
         *
         * @param verdict the cell
         * @return whether it passed
         */
        static boolean passed(String verdict) {
            return List.of("ok", "pass", "passed", "as-specified", "expected").contains(verdict.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Returns whether a document is a faults results file.
     *
     * @param root the document
     * @return whether its schema names it one
     */
    static boolean accepts(JsonNode root) {
        return root.path("schema").asText("").startsWith("corosio-faults");
    }

    /**
     * Reads the matrix.
     *
     * @param root the document
     * @param file where it came from
     * @return the matrix (empty when no entry could be read)
     */
    static Matrix read(JsonNode root, Path file) {
        JsonNode entries = null;
        for (String name : ARRAYS) {
            if (root.path(name).isArray()) {
                entries = root.get(name);
                break;
            }
        }
        List<String> columns = new ArrayList<>();
        Map<String, Map<String, String>> cells = new LinkedHashMap<>();
        List<String> details = new ArrayList<>();
        if (entries != null) {
            for (JsonNode entry : entries) {
                String row = first(entry, ROW);
                String column = first(entry, COLUMN);
                String verdict = first(entry, VERDICT);
                if (row == null || column == null || verdict == null) {
                    continue;
                }
                if (!columns.contains(column)) {
                    columns.add(column);
                }
                cells.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(column, verdict);
                String detail = first(entry, DETAIL);
                if (!Matrix.passed(verdict) && detail != null) {
                    details.add(row + " on " + column + ": " + detail);
                }
            }
        }
        return new Matrix(file, root.path("command").asText(null), columns, cells, details);
    }

    private static String first(JsonNode entry, List<String> names) {
        for (String name : names) {
            JsonNode value = entry.get(name);
            if (value != null && !value.isNull() && !value.isContainerNode()) {
                return value.asText();
            }
        }
        return null;
    }
}
