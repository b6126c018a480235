package net.corosio.lab.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import net.corosio.lab.bench.BenchResult;
import net.corosio.lab.bench.HeapShare;
import net.corosio.lab.bench.Latency;
import net.corosio.lab.bench.Medians;
import net.corosio.lab.bench.ServerUsage;

/** Turns results into the tables the commands print. */
public final class ResultTables {

    private ResultTables() {}

    /**
     * One scenario, one row per implementation, every figure.
     *
     * @param results the scenario's results
     * @return the table
     */
    public static String scenario(List<BenchResult> results) {
        if (results.isEmpty()) {
            return "";
        }
        boolean idle = results.getFirst().scenario().equals("idle");
        ConsoleTable table = idle
                ? new ConsoleTable("impl", "conns", "heap/conn", "RSS/conn", "heap", "RSS", "threads", "status").left(7)
                : new ConsoleTable("impl", results.getFirst().unit(), "p50 µs", "p99 µs", "p99.9 µs", "errors",
                        "srv CPU%", "CPU µs/op", "csw/op v+i", "alloc B/op", "GC ms", "heap", "RSS", "status").left(13);
        for (BenchResult r : results) {
            ServerUsage s = r.server();
            String status = r.ok() ? "ok" : r.status() + ": " + r.reason();
            if (r.ok() && s == null) {
                Latency l = r.latency();
                table.row(r.label(), ConsoleTable.si(r.throughput()), l == null ? "-" : micros(l.p50()),
                        l == null ? "-" : micros(l.p99()), l == null ? "-" : micros(l.p999()), Long.toString(r.errors()),
                        "-", "-", "-", "-", "-", "-", "-", "ok (external: no server figures)");
                continue;
            }
            if (!r.ok()) {
                table.row(idle ? new String[] {r.label(), "-", "-", "-", "-", "-", "-", status}
                        : new String[] {r.label(), "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", status});
            } else if (idle) {
                table.row(r.label(), ConsoleTable.si(r.throughput()), ConsoleTable.bytes(s.heapBytesPerConnection()),
                        ConsoleTable.bytes(s.rssBytesPerConnection()), ConsoleTable.bytes(s.heapUsedBytes()),
                        ConsoleTable.bytes(s.rssBytes()), Integer.toString(s.threads()), status);
            } else {
                Latency l = r.latency();
                table.row(r.label(), ConsoleTable.si(r.throughput()),
                        l == null ? "-" : micros(l.p50()), l == null ? "-" : micros(l.p99()),
                        l == null ? "-" : micros(l.p999()), Long.toString(r.errors()),
                        String.format(Locale.ROOT, "%.0f", s.cpuPercent()), micros(s.cpuMicrosPerOp()),
                        switches(r), ConsoleTable.si(s.allocatedBytesPerOp()), Long.toString(s.gcMillis()),
                        ConsoleTable.bytes(s.heapUsedBytes()), ConsoleTable.bytes(s.rssBytes()), status);
            }
        }
        return table.toString();
    }

    /**
     * Where an idle connection's heap goes: for each idle result with a breakdown, its largest
     * classes, in live bytes and objects per connection.
     *
     * @param results the idle scenario's results
     * @return one small table per implementation, or an empty string if none has a breakdown
     */
    public static String heapBreakdown(List<BenchResult> results) {
        StringBuilder out = new StringBuilder();
        for (BenchResult r : results) {
            if (!r.ok() || r.server() == null || r.server().heapByClass() == null || r.server().heapByClass().isEmpty()) {
                continue;
            }
            ConsoleTable table = new ConsoleTable(r.impl(), "bytes/conn", "objects/conn");
            for (HeapShare share : r.server().heapByClass()) {
                table.row(javaName(share.className()), ConsoleTable.bytes(share.bytesPerConnection()),
                        String.format(Locale.ROOT, "%.2f", share.instancesPerConnection()));
            }
            out.append(out.isEmpty() ? "where an idle connection's heap goes (live objects per connection, by class):\n" : "")
                    .append('\n').append(table);
        }
        return out.toString();
    }

    /** {@code [B} as {@code byte[]}, {@code [Ljava.lang.Object;} as {@code java.lang.Object[]}. */
    static String javaName(String jvmName) {
        int dims = 0;
        while (dims < jvmName.length() && jvmName.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return jvmName;
        }
        String element = jvmName.substring(dims);
        String base = switch (element) {
            case "B" -> "byte";
            case "C" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            case "Z" -> "boolean";
            default -> element.startsWith("L") && element.endsWith(";") ? element.substring(1, element.length() - 1) : element;
        };
        return base + "[]".repeat(dims);
    }

    /**
     * The comparison at a glance: one row per implementation, one headline figure per scenario.
     *
     * @param results every result of a compare run
     * @param scenarios the scenarios in column order
     * @return the table
     */
    public static String glance(List<BenchResult> results, List<String> scenarios) {
        Map<String, Map<String, BenchResult>> byImpl = new LinkedHashMap<>();
        for (BenchResult r : results) {
            byImpl.computeIfAbsent(r.impl(), k -> new LinkedHashMap<>()).put(r.scenario(), r);
        }
        String[] headers = new String[scenarios.size() + 1];
        headers[0] = "impl";
        for (int i = 0; i < scenarios.size(); i++) {
            headers[i + 1] = headline(scenarios.get(i));
        }
        ConsoleTable table = new ConsoleTable(headers);
        byImpl.forEach((impl, row) -> {
            String[] cells = new String[scenarios.size() + 1];
            cells[0] = impl;
            for (int i = 0; i < scenarios.size(); i++) {
                cells[i + 1] = Optional.ofNullable(row.get(scenarios.get(i)))
                        .filter(BenchResult::ok)
                        .map(ResultTables::headlineValue)
                        .orElse(row.containsKey(scenarios.get(i)) ? "n/a" : "");
            }
            table.row(cells);
        });
        return table.toString();
    }

    /**
     * What the API costs: each backend's headline figure over its library's native baseline, one
     * row per backend and handler executor that ran.
     *
     * @param results every result of a compare run
     * @param pairs backend name → baseline name
     * @param scenarios the scenarios to compare
     * @return the table, or an empty string if no pair ran
     */
    public static String boundary(List<BenchResult> results, Map<String, String> pairs, List<String> scenarios) {
        ConsoleTable table = new ConsoleTable(header(scenarios));
        boolean any = false;
        List<String> labels = results.stream().map(BenchResult::impl).distinct().toList();
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            for (String label : labels) {
                if (label.equals(pair.getKey()) || label.startsWith(pair.getKey() + "@")) {
                    any |= boundaryRow(table, results, label, pair.getValue(), scenarios);
                }
            }
        }
        return any ? table.toString() : "";
    }

    private static boolean boundaryRow(ConsoleTable table, List<BenchResult> results, String label, String baseline,
            List<String> scenarios) {
        boolean any = false;
        String[] cells = new String[scenarios.size() + 1];
        cells[0] = label + " / " + baseline;
        for (int i = 0; i < scenarios.size(); i++) {
            Optional<BenchResult> api = find(results, label, scenarios.get(i));
            Optional<BenchResult> bare = find(results, baseline, scenarios.get(i));
            if (api.isPresent() && bare.isPresent() && bare.get().throughput() > 0) {
                cells[i + 1] = String.format(Locale.ROOT, "%.2f", api.get().throughput() / bare.get().throughput());
                any = true;
            } else {
                cells[i + 1] = "n/a";
            }
        }
        if (any) {
            table.row(cells);
        }
        return any;
    }

    /**
     * How far the rounds of a campaign disagreed: one row per implementation, one cell per scenario,
     * (largest − smallest headline figure) / median, as a percentage.
     *
     * @param runs every run of the campaign, all rounds
     * @param scenarios the scenarios in column order
     * @return the table
     */
    public static String spread(List<BenchResult> runs, List<String> scenarios) {
        String[] headers = header(scenarios);
        headers[0] = "spread (max-min)/median";
        ConsoleTable table = new ConsoleTable(headers);
        runs.stream().map(BenchResult::label).distinct().forEach(impl -> {
            String[] cells = new String[scenarios.size() + 1];
            cells[0] = impl;
            for (int i = 0; i < scenarios.size(); i++) {
                OptionalDouble spread = Medians.spread(runs, scenarios.get(i), impl);
                cells[i + 1] = spread.isPresent() ? String.format(Locale.ROOT, "%.0f%%", spread.getAsDouble() * 100) : "n/a";
            }
            table.row(cells);
        });
        return table.toString();
    }

    private static String[] header(List<String> scenarios) {
        String[] headers = new String[scenarios.size() + 1];
        headers[0] = "throughput ratio";
        for (int i = 0; i < scenarios.size(); i++) {
            headers[i + 1] = scenarios.get(i);
        }
        return headers;
    }

    private static Optional<BenchResult> find(List<BenchResult> results, String impl, String scenario) {
        return results.stream().filter(r -> r.ok() && r.impl().equals(impl) && r.scenario().equals(scenario)).findFirst();
    }

    private static String headline(String scenario) {
        return switch (scenario) {
            case "pingpong" -> "pingpong p50 µs";
            case "echo" -> "echo msg/s";
            case "bulk", "bulk-duplex" -> scenario + " Gbit/s";
            case "churn" -> "churn conn/s";
            case "fanout" -> "fanout msg/s";
            case "idle" -> "idle heap/conn";
            default -> scenario;
        };
    }

    private static String headlineValue(BenchResult r) {
        return switch (r.scenario()) {
            case "pingpong" -> r.latency() == null ? "-" : micros(r.headline());
            case "idle" -> ConsoleTable.bytes(r.headline());
            default -> ConsoleTable.si(r.headline());
        };
    }

    /** Context switches per operation, voluntary + involuntary; per MiB for bulk, whose operations are bytes. */
    private static String switches(BenchResult r) {
        ServerUsage s = r.server();
        double scale = r.unit().equals("Gbit/s") ? 1 << 20 : 1;
        return String.format(Locale.ROOT, "%.2f+%.2f%s", s.voluntarySwitchesPerOp() * scale,
                s.involuntarySwitchesPerOp() * scale, scale > 1 ? "/MiB" : "");
    }

    private static String micros(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : "%.1f", value);
    }
}
