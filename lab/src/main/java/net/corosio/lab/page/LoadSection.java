package net.corosio.lab.page;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import net.corosio.lab.apps.AppsRun;
import net.corosio.lab.bench.BenchResult;
import net.corosio.lab.report.AppsResultsFile;
import net.corosio.lab.report.ConsoleTable;

/** Behaviour under load: throughput and latency as connections grow, and latency against offered rate. */
final class LoadSection {

    private LoadSection() {}

    static Section build(ReportInputs inputs) {
        BenchRuns bench = inputs.bench();
        Section.Evidence evidence = new Section.Evidence();
        List<BenchResult> sweep = bench.where("echo", k -> BenchRuns.isPlain(k)).stream().filter(BenchResult::ok).toList();
        List<BenchResult> rates = bench.where("echo", k -> BenchRuns.isPlain(k, "rate") && ((Number) k.get("rate")).longValue() > 0)
                .stream().filter(BenchResult::ok).toList();
        boolean curve = sweep.stream().map(r -> r.point().get("connections")).distinct().count() > 1;
        List<String> sentences = new ArrayList<>();
        if (curve) {
            evidence.chart(Charts.lines("Echo throughput as connections grow", "connections", "messages/s",
                    series(sweep, "connections", BenchResult::throughput), true, false),
                    "Closed loop, 4 messages in flight per connection, 64-byte messages.");
            evidence.chart(Charts.lines("Echo p99 latency as connections grow", "connections", "p99 µs (log)",
                    series(sweep, "connections", r -> r.latency() == null ? Double.NaN : r.latency().p99()), true, true),
                    "The same runs: the 99th percentile of the round trip.");
            int most = sweep.stream().mapToInt(r -> connections(r)).max().orElseThrow();
            List<BenchResult> atMost = sweep.stream().filter(r -> connections(r) == most)
                    .sorted(Comparator.comparingDouble(BenchResult::throughput).reversed()).toList();
            List<BenchResult> backends = atMost.stream().filter(r -> !isBaseline(r)).toList();
            List<BenchResult> ranked = backends.isEmpty() ? atMost : backends;
            BenchResult best = ranked.getFirst();
            BenchResult worst = ranked.getLast();
            BenchResult calmest = ranked.stream().filter(r -> r.latency() != null)
                    .min(Comparator.comparingDouble(r -> r.latency().p99())).orElse(best);
            String baseline = atMost.stream().filter(LoadSection::isBaseline).findFirst()
                    .filter(b -> !backends.isEmpty())
                    .map(b -> String.format(Locale.ROOT, "; the fastest native baseline, %s, moves %s msg/s", b.impl(),
                            ConsoleTable.si(b.throughput())))
                    .orElse("");
            sentences.add(String.format(Locale.ROOT,
                    "at %d connections %s moves the most echoes through the API (%s msg/s, p99 %s) and %s the fewest (%s msg/s)%s%s",
                    most, best.impl(), ConsoleTable.si(best.throughput()), micros(best), worst.impl(),
                    ConsoleTable.si(worst.throughput()),
                    calmest == best ? "" : ", while " + calmest.impl() + " keeps the lowest p99 (" + micros(calmest) + ")",
                    baseline));
        } else {
            List<BenchResult> plain = bench.plain("echo").stream().filter(BenchResult::ok)
                    .sorted(Comparator.comparingDouble(BenchResult::throughput).reversed()).toList();
            if (!plain.isEmpty()) {
                evidence.chart(Charts.bars("Echo at 64 connections", "messages/s", BenchRuns.impls(plain),
                        Map.of("msg/s", plain.stream().map(BenchResult::throughput).toList())),
                        "No connections sweep in the inputs: the single echo run of each implementation.");
                sentences.add(String.format(Locale.ROOT, "at 64 connections %s moves the most echoes (%s msg/s) and %s the fewest "
                        + "(%s msg/s); the inputs hold no connections sweep", plain.getFirst().impl(),
                        ConsoleTable.si(plain.getFirst().throughput()), plain.getLast().impl(), ConsoleTable.si(plain.getLast().throughput())));
            }
        }
        if (!rates.isEmpty()) {
            evidence.chart(Charts.lines("Echo p99 latency against offered rate (open loop)", "offered messages/s",
                    "p99 µs (log)", series(rates, "rate", r -> r.latency() == null ? Double.NaN : r.latency().p99()), false, true),
                    "Open loop: latency runs from each message's intended send time (corrected for coordinated omission).");
            long highest = rates.stream().mapToLong(r -> ((Number) r.point().get("rate")).longValue()).max().orElseThrow();
            List<BenchResult> offered = rates.stream().filter(r -> ((Number) r.point().get("rate")).longValue() == highest
                    && r.latency() != null).sorted(Comparator.comparingDouble(r -> r.latency().p99())).toList();
            List<BenchResult> top = offered.stream().anyMatch(r -> !isBaseline(r))
                    ? offered.stream().filter(r -> !isBaseline(r)).toList() : offered;
            if (!top.isEmpty()) {
                sentences.add(String.format(Locale.ROOT, "offered %s msg/s in an open loop, the backends' p99 runs from %s (%s) to %s (%s)",
                        ConsoleTable.si(highest), micros(top.getFirst()), top.getFirst().impl(), micros(top.getLast()), top.getLast().impl()));
            }
        }
        apps(inputs, evidence, sentences);
        List<BenchResult> shown = new ArrayList<>(curve ? sweep : List.of());
        shown.addAll(rates);
        if (!shown.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (BenchResult r : shown) {
                rows.add(List.of(r.impl(), String.valueOf(r.point().get("connections")), rateOf(r), ConsoleTable.si(r.throughput()),
                        r.latency() == null ? "-" : Html.latency(r.latency().p50()), micros(r), Long.toString(r.errors()),
                        r.server() == null ? "-" : String.format(Locale.ROOT, "%.0f", r.server().cpuPercent())));
            }
            evidence.html("<details><summary>Every run</summary>" + Html.table(List.of("impl", "connections", "offered msg/s",
                    "msg/s", "p50", "p99", "errors", "server CPU %"), rows) + "</details>");
        }
        evidence.reproduce("./corosio bench --scenario echo --connections 1,16,64,256,1024",
                "./corosio bench --scenario echo --connections 16 --rate 10000,40000,100000,200000",
                "./corosio apps --app http");
        String answer = sentences.isEmpty() ? "No echo results in the inputs: run ./corosio compare."
                : capitalise(String.join("; ", sentences)) + ".";
        return evidence.section("load", "Load", "How does each backend behave as load grows?", answer);
    }

    /** The example applications under real clients (corosio apps): requests/s per server, reference included. */
    private static void apps(ReportInputs inputs, Section.Evidence evidence, List<String> sentences) {
        for (AppsResultsFile file : inputs.apps()) {
            List<AppsRun.Row> measured = file.rows().stream().filter(r -> r.failure() == null).toList();
            if (measured.isEmpty()) {
                continue;
            }
            List<String> servers = measured.stream().map(AppsRun.Row::server).toList();
            Map<String, List<Double>> series = new LinkedHashMap<>();
            if (file.app().equals("http")) {
                series.put("requests/s", measured.stream().map(r -> r.http() == null ? Double.NaN : r.http().requestsPerSecond()).toList());
            } else {
                for (String test : List.of("SET", "GET")) {
                    series.put(test, measured.stream().map(r -> r.resp() == null || !r.resp().tests().containsKey(test) ? Double.NaN
                            : r.resp().tests().get(test).requestsPerSecond()).toList());
                }
            }
            evidence.chart(Charts.bars("The " + file.app() + " example under a real client", "requests/s", servers, series),
                    file.description());
            AppsRun.Row best = measured.stream().max(Comparator.comparingDouble(LoadSection::requests)).orElseThrow();
            sentences.add(String.format(Locale.ROOT, "under %s the %s example serves the most on %s (%s requests/s)",
                    file.app().equals("http") ? "wrk" : "redis-benchmark", file.app(), best.server(),
                    ConsoleTable.si(requests(best))));
        }
    }

    private static double requests(AppsRun.Row row) {
        if (row.http() != null) {
            return row.http().requestsPerSecond();
        }
        return row.resp() == null ? 0 : row.resp().tests().values().stream()
                .mapToDouble(f -> f.requestsPerSecond()).average().orElse(0);
    }

    /** One line per implementation: a figure against a knob, in the knob's order. */
    static Map<String, List<Charts.Point>> series(List<BenchResult> runs, String knob, ToDoubleFunction<BenchResult> y) {
        Map<String, List<Charts.Point>> lines = new LinkedHashMap<>();
        for (BenchResult r : runs) {
            lines.computeIfAbsent(r.impl(), k -> new ArrayList<>())
                    .add(new Charts.Point(((Number) r.point().get(knob)).doubleValue(), y.applyAsDouble(r)));
        }
        lines.values().forEach(points -> points.sort(Comparator.comparingDouble(Charts.Point::x)));
        return lines;
    }

    /** A native baseline (written on the library directly), not a backend through the API. */
    static boolean isBaseline(BenchResult r) {
        return r.impl().endsWith("-native");
    }

    private static int connections(BenchResult r) {
        return ((Number) r.point().get("connections")).intValue();
    }

    private static String rateOf(BenchResult r) {
        long rate = ((Number) r.point().get("rate")).longValue();
        return rate == 0 ? "closed loop" : ConsoleTable.si(rate);
    }

    /** The run's p99 latency with its unit, or "-". */
    static String micros(BenchResult r) {
        return r.latency() == null ? "-" : Html.latency(r.latency().p99());
    }

    static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
