package net.corosio.lab.page;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The report's charts: XChart charts exported as SVG and trimmed to an element that can sit
 * inline in the page (no XML prolog, scalable to the column's width). Every chart gets the same
 * size, fonts and palette, so the page reads as one.
 */
final class Charts {

    static final int WIDTH = 620;
    static final int HEIGHT = 300;

    /** One colour per series, in order; readable on white and for the common colour blindnesses. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
    };

    private static final Pattern ROUND = Pattern.compile("(-?[0-9]+\\.[0-9])[0-9]+");

    /** Numbers the charts of one JVM, for unique element ids. */
    private static int charts;

    private Charts() {}

    /**
     * One point of a line: x and y.
     *
     * @param x the x value
     * @param y the y value
     */
    record Point(double x, double y) {}

    /**
     * A grouped bar chart: one group per category, one bar per series.
     *
     * @param title the chart's title
     * @param yTitle the value axis's title
     * @param categories the groups, in order
     * @param series each series' values, one per category ({@code NaN} for none)
     * @return the SVG element
     */
    static String bars(String title, String yTitle, List<String> categories, Map<String, List<Double>> series) {
        return bars(title, yTitle, categories, series, false);
    }

    /**
     * A bar chart whose series are stacked into one bar per category.
     *
     * @param title the chart's title
     * @param yTitle the value axis's title
     * @param categories the bars, in order
     * @param series each series' values, one per category
     * @return the SVG element
     */
    static String stackedBars(String title, String yTitle, List<String> categories, Map<String, List<Double>> series) {
        return bars(title, yTitle, categories, series, true);
    }

    private static synchronized String bars(String title, String yTitle, List<String> categories,
            Map<String, List<Double>> series, boolean stacked) {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle)
                .build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setStacked(stacked);
        chart.getStyler().setXAxisLabelRotation(categories.stream().mapToInt(String::length).max().orElse(0) > 10 ? 20 : 0);
        for (Map.Entry<String, List<Double>> s : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (Double v : s.getValue()) {
                values.add(v == null || v.isNaN() ? 0.0 : v);
            }
            chart.addSeries(s.getKey(), categories, values);
        }
        return svg(chart, title);
    }

    /**
     * A line chart: one line per series.
     *
     * @param title the chart's title
     * @param xTitle the x axis's title
     * @param yTitle the y axis's title
     * @param lines each series' points, in x order
     * @param logX whether the x axis is logarithmic
     * @param logY whether the y axis is logarithmic
     * @return the SVG element
     */
    static synchronized String lines(String title, String xTitle, String yTitle, Map<String, List<Point>> lines, boolean logX,
            boolean logY) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setMarkerSize(6);
        Map<String, List<Point>> drawn = new LinkedHashMap<>();
        lines.forEach((name, points) -> {
            List<Point> usable = points.stream()
                    .filter(p -> (!logX || p.x() > 0) && (!logY || p.y() > 0) && Double.isFinite(p.y())).toList();
            if (!usable.isEmpty()) {
                drawn.put(name, usable);
            }
        });
        for (Map.Entry<String, List<Point>> line : drawn.entrySet()) {
            double[] x = line.getValue().stream().mapToDouble(Point::x).toArray();
            double[] y = line.getValue().stream().mapToDouble(Point::y).toArray();
            XYSeries series = chart.addSeries(line.getKey(), x, y);
            series.setLineStyle(new BasicStroke(2f));
        }
        if (drawn.isEmpty()) {
            chart.addSeries("no data", new double[] {1}, new double[] {1});
        }
        return svg(chart, title);
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setChartTitleBoxVisible(false);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setSeriesColors(PALETTE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setToolTipsEnabled(false);
        styler.setDecimalPattern("#,##0.##");
    }

    /** Exports a chart as SVG and trims it into an inline element that scales with the page. */
    private static String svg(Chart<?, ?> chart, String title) {
        String prefix = "c" + (++charts) + "-";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String svg = out.toString(StandardCharsets.UTF_8);
        int start = svg.indexOf("<svg");
        if (start < 0) {
            throw new IllegalStateException("XChart wrote no <svg> element");
        }
        svg = svg.substring(start);
        int end = svg.indexOf('>');
        // Scale with the column (the viewBox keeps the drawing's own size) and let CSS set the width.
        String root = svg.substring(0, end)
                .replaceAll(" (width|height|x|y)=\"[^\"]*\"", "")
                .replace("<svg ", "<svg class=\"chart\" role=\"img\" aria-label=\"" + Html.escape(title) + "\" ");
        if (!root.contains("viewBox")) {
            root += " viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\"";
        }
        // Text is drawn as glyph outlines; a tenth of a pixel is precision enough and halves the size.
        String body = ROUND.matcher(svg.substring(end)).replaceAll("$1");
        // Clip paths get random ids: make them unique on the page but stable from run to run.
        return (root + body).replace("id=\"clip", "id=\"" + prefix + "clip").replace("url(#clip", "url(#" + prefix + "clip");
    }
}
