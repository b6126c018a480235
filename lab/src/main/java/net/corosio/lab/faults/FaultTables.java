package net.corosio.lab.faults;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.corosio.lab.report.ConsoleTable;

/** Turns fault cells into the tables {@code corosio faults} prints. */
public final class FaultTables {

    private FaultTables() {}

    /**
     * The matrix: one row per scenario, one column per variant; a cell shows what the backend saw,
     * marked {@code !} where it departs from the spec or from the other variants.
     *
     * @param cells the cells
     * @return the table
     */
    public static String matrix(List<FaultCell> cells) {
        List<String> variants = cells.stream().map(FaultCell::variant).distinct().toList();
        Map<String, Map<String, FaultCell>> rows = new LinkedHashMap<>();
        for (FaultCell cell : cells) {
            rows.computeIfAbsent(cell.scenarioKey(), k -> new LinkedHashMap<>()).put(cell.variant(), cell);
        }
        List<String> headers = new ArrayList<>(List.of("fault", "way", "backend is", "tls", "rule", "expected"));
        headers.addAll(variants);
        ConsoleTable table = new ConsoleTable(headers.toArray(String[]::new)).left(1, 2, 3, 5);
        rows.values().forEach(row -> {
            FaultCell first = row.values().iterator().next();
            List<String> line = new ArrayList<>(List.of(first.fault(), first.direction(), first.role(),
                    first.tls() ? "tls" : "plain", first.rule(), first.expected()));
            for (String variant : variants) {
                FaultCell cell = row.get(variant);
                line.add(cell == null || !cell.ran() ? "-" : cell.outcome() + (cell.departures().isEmpty() ? "" : " !"));
            }
            table.row(line.toArray(String[]::new));
        });
        return table.toString();
    }

    /**
     * Time to detect: per fault and variant, the median over the cells that ran.
     *
     * @param cells the cells
     * @return the table, in milliseconds
     */
    public static String detection(List<FaultCell> cells) {
        List<String> variants = cells.stream().map(FaultCell::variant).distinct().toList();
        List<String> faults = cells.stream().map(FaultCell::fault).distinct().toList();
        List<String> headers = new ArrayList<>(List.of("detect ms (median)"));
        headers.addAll(variants);
        ConsoleTable table = new ConsoleTable(headers.toArray(String[]::new));
        for (String fault : faults) {
            List<String> line = new ArrayList<>(List.of(fault));
            for (String variant : variants) {
                double[] values = cells.stream()
                        .filter(c -> c.ran() && c.fault().equals(fault) && c.variant().equals(variant))
                        .mapToDouble(FaultCell::detectMillis).sorted().toArray();
                line.add(values.length == 0 ? "-" : String.format(Locale.ROOT, "%.0f", values[(values.length - 1) / 2]));
            }
            table.row(line.toArray(String[]::new));
        }
        return table.toString();
    }

    /**
     * Every departing cell with its reasons.
     *
     * @param cells the cells
     * @return one line per departing cell, or an empty string
     */
    public static String departures(List<FaultCell> cells) {
        StringBuilder out = new StringBuilder();
        for (FaultCell cell : cells) {
            if (!cell.departures().isEmpty()) {
                out.append("  ").append(cell.variant()).append(", ").append(cell.scenarioKey()).append(": ")
                        .append(String.join("; ", cell.departures())).append('\n');
            }
        }
        return out.toString();
    }
}
