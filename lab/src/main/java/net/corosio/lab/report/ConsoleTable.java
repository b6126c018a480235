package net.corosio.lab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.HashSet;

/** A plain-text table with right-aligned numeric columns, for the terminal. */
public final class ConsoleTable {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final Set<Integer> leftAligned = new HashSet<>(List.of(0));

    /**
     * Starts a table.
     *
     * @param headers the column headers; the first column is left-aligned
     */
    public ConsoleTable(String... headers) {
        this.headers = List.of(headers);
    }

    /**
     * Left-aligns text columns (the first always is).
     *
     * @param columns the columns' indexes
     * @return this table
     */
    public ConsoleTable left(int... columns) {
        for (int column : columns) {
            leftAligned.add(column);
        }
        return this;
    }

    /**
     * Adds a row.
     *
     * @param cells one per column
     * @return this table
     */
    public ConsoleTable row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + headers.size());
        }
        rows.add(List.of(cells));
        return this;
    }

    @Override
    public String toString() {
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = headers.get(c).length();
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths, leftAligned);
        for (int c = 0; c < widths.length; c++) {
            out.append(c == 0 ? "" : "  ").append("-".repeat(widths[c]));
        }
        out.append('\n');
        rows.forEach(row -> line(out, row, widths, leftAligned));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths, Set<Integer> left) {
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(widths[c] - cell.length());
            out.append(c == 0 ? "" : "  ").append(left.contains(c) ? cell + pad : pad + cell);
        }
        out.append('\n');
    }

    /**
     * Formats a number with SI suffixes: 1234567 → "1.23M".
     *
     * @param value the number
     * @return the short form
     */
    public static String si(double value) {
        double abs = Math.abs(value);
        if (abs >= 1e9) {
            return String.format(Locale.ROOT, "%.2fG", value / 1e9);
        }
        if (abs >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", value / 1e6);
        }
        if (abs >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", value / 1e3);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /**
     * Formats bytes with binary suffixes: 1536 → "1.5 KiB".
     *
     * @param bytes the amount
     * @return the short form
     */
    public static String bytes(double bytes) {
        double abs = Math.abs(bytes);
        if (abs >= 1 << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (1 << 30));
        }
        if (abs >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1 << 20));
        }
        if (abs >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", bytes);
    }
}
