package net.corosio.lab.page;

import java.util.List;
import java.util.Locale;

/** The little HTML the report needs: escaping, tables and number formats. */
final class Html {

    private Html() {}

    /**
     * Escapes text for an element's content or an attribute's value.
     *
     * @param text the text, or {@code null}
     * @return the escaped text ({@code ""} for {@code null})
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * A table; every cell is text, escaped here.
     *
     * @param headers the header row
     * @param rows the rows
     * @return the HTML
     */
    static String table(List<String> headers, List<List<String>> rows) {
        StringBuilder html = new StringBuilder("<table><thead><tr>");
        for (String header : headers) {
            html.append("<th>").append(escape(header)).append("</th>");
        }
        html.append("</tr></thead><tbody>");
        for (List<String> row : rows) {
            html.append("<tr>");
            for (String cell : row) {
                html.append("<td").append(cellClass(cell)).append('>').append(escape(cell)).append("</td>");
            }
            html.append("</tr>");
        }
        return html.append("</tbody></table>").toString();
    }

    /** Colours the cells that are verdicts. */
    private static String cellClass(String cell) {
        return switch (cell) {
            case "pass", "ok" -> " class=\"good\"";
            case "FAIL", "failed" -> " class=\"bad\"";
            case "skip", "skipped", "n/a", "none" -> " class=\"muted\"";
            default -> "";
        };
    }

    /**
     * A latency given in microseconds: {@code 63 µs}, {@code 1.5 ms}, {@code 92 ms}, {@code 1.2 s}.
     *
     * @param micros the latency
     * @return the text with its unit
     */
    static String latency(double micros) {
        if (micros >= 1e6) {
            return String.format(Locale.ROOT, "%.1f s", micros / 1e6);
        }
        if (micros >= 1e4) {
            return String.format(Locale.ROOT, "%.0f ms", micros / 1e3);
        }
        if (micros >= 1e3) {
            return String.format(Locale.ROOT, "%.1f ms", micros / 1e3);
        }
        return String.format(Locale.ROOT, micros >= 10 ? "%.0f µs" : "%.1f µs", micros);
    }

    /**
     * A ratio as a signed percentage change: 1.25 is {@code +25 %}.
     *
     * @param ratio new over old
     * @return the text
     */
    static String change(double ratio) {
        long percent = Math.round((ratio - 1) * 100);
        return percent == 0 ? "±0 %" : String.format(Locale.ROOT, "%+d %%", percent);
    }
}
