package net.corosio.lab.overload;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.corosio.lab.report.ConsoleTable;

/** The overload results as a console table. */
public final class OverloadTables {

    private OverloadTables() {}

    /**
     * One row per backend and scenario: status, the scenario's figures, the server's peak and
     * what remained after.
     *
     * @param results the results
     * @return the table
     */
    public static String table(List<OverloadResult> results) {
        ConsoleTable table = new ConsoleTable("scenario", "backend", "status", "peak heap", "peak RSS", "peak fds",
                "peak thr", "after fds", "after thr", "figures").left(1, 2, 9);
        for (OverloadResult r : results) {
            Map<String, Long> peak = r.server().getOrDefault("peak", Map.of());
            Map<String, Long> after = r.server().getOrDefault("after", Map.of());
            Map<String, Long> before = r.server().getOrDefault("before", Map.of());
            String figures = r.status().equals("environment") ? r.reason()
                    : r.figures().entrySet().stream().map(e -> e.getKey() + "=" + format(e.getValue()))
                            .collect(Collectors.joining(" "));
            table.row(r.scenario(), r.backend(), r.status(),
                    peak.containsKey("heapBytes") ? ConsoleTable.bytes(peak.get("heapBytes")) : "-",
                    peak.containsKey("rssBytes") ? ConsoleTable.bytes(peak.get("rssBytes")) : "-",
                    peak.containsKey("fds") ? Long.toString(peak.get("fds")) : "-",
                    peak.containsKey("threads") ? Long.toString(peak.get("threads")) : "-",
                    after.containsKey("fds") ? after.get("fds") + " (" + before.get("fds") + ")" : "-",
                    after.containsKey("threads") ? after.get("threads") + " (" + before.get("threads") + ")" : "-",
                    figures);
        }
        return table.toString();
    }

    private static String format(Object value) {
        if (value instanceof Double d) {
            return String.format(java.util.Locale.ROOT, d >= 100 ? "%.0f" : "%.2f", d);
        }
        return String.valueOf(value);
    }
}
