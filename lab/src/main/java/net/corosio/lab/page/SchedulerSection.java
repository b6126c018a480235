package net.corosio.lab.page;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import net.corosio.lab.bench.BenchResult;
import net.corosio.lab.report.ConsoleTable;

/**
 * Scheduler and executor trade-offs: echo on every backend under each handler executor (a free-form
 * name: {@code virtual}, {@code platform:N}, or whatever else a run recorded), with the JDK's
 * default carrier count and with one carrier, and with one I/O thread against the default.
 */
final class SchedulerSection {

    private SchedulerSection() {}

    static Section build(ReportInputs inputs) {
        BenchRuns bench = inputs.bench();
        Section.Evidence evidence = new Section.Evidence();
        List<BenchResult> runs = bench.where("echo", k -> BenchRuns.isPlain(k, "executor", "carriers", "ioThreads")
                && ((Number) k.get("connections")).intValue() == 64).stream().filter(BenchResult::ok).toList();
        List<BenchResult> scheduled = runs.stream().filter(r -> io(r) == 0 && !LoadSection.isBaseline(r)).toList();
        List<String> backends = BenchRuns.impls(scheduled);
        List<String> settings = new ArrayList<>();
        scheduled.forEach(r -> {
            if (!settings.contains(setting(r))) {
                settings.add(setting(r));
            }
        });
        List<String> sentences = new ArrayList<>();
        if (settings.size() > 1) {
            Map<String, List<Double>> series = new LinkedHashMap<>();
            for (String setting : settings) {
                series.put(setting, backends.stream().map(b -> figure(scheduled, b, setting)).toList());
            }
            evidence.chart(Charts.bars("Echo throughput by handler executor and carriers", "messages/s", backends, series),
                    "64 connections x 4 in flight. 'carriers=1': the server's virtual threads share one carrier thread "
                            + "(-Djdk.virtualThreadScheduler.parallelism=1); otherwise the JDK's default (one per core).");
            Map<String, Integer> wins = new LinkedHashMap<>();
            for (String backend : backends) {
                scheduled.stream().filter(r -> r.impl().equals(backend))
                        .max(Comparator.comparingDouble(BenchResult::throughput))
                        .ifPresent(best -> wins.merge(setting(best), 1, Integer::sum));
            }
            Map.Entry<String, Integer> top = wins.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            sentences.add(String.format(Locale.ROOT, "%s give the most echo throughput on %d of %d backends",
                    describe(top.getKey()), top.getValue(), backends.size()));
            ratio(scheduled, r -> carriers(r) == 1, r -> carriers(r) == 0).ifPresent(change -> sentences.add(
                    "one carrier instead of the default changes it by " + Html.change(change) + " on average"));
            List<String> executors = scheduled.stream().map(r -> executor(r)).distinct().toList();
            if (executors.size() > 1) {
                List<List<String>> rows = new ArrayList<>();
                for (BenchResult r : scheduled) {
                    rows.add(List.of(r.impl(), executor(r), carriers(r) == 0 ? "default" : Integer.toString(carriers(r)),
                            ConsoleTable.si(r.throughput()), LoadSection.micros(r), r.server() == null ? "-"
                                    : String.format(Locale.ROOT, "%.1f", r.server().cpuMicrosPerOp()),
                            r.server() == null ? "-" : Integer.toString(r.server().threads())));
                }
                evidence.html("<details><summary>Every run</summary>" + Html.table(List.of("backend", "executor", "carriers",
                        "msg/s", "p99", "server CPU µs/msg", "threads"), rows) + "</details>");
            }
        }
        List<BenchResult> io = runs.stream().filter(r -> isDefaultScheduler(r)).toList();
        if (io.stream().map(SchedulerSection::io).distinct().count() > 1) {
            List<String> impls = BenchRuns.impls(io);
            Map<String, List<Double>> series = new LinkedHashMap<>();
            for (int threads : io.stream().map(SchedulerSection::io).distinct().sorted().toList()) {
                series.put(threads == 0 ? "default I/O threads" : threads + " I/O thread" + (threads == 1 ? "" : "s"),
                        impls.stream().map(i -> io.stream().filter(r -> r.impl().equals(i) && io(r) == threads)
                                .findFirst().map(BenchResult::throughput).orElse(Double.NaN)).toList());
            }
            evidence.chart(Charts.bars("Echo throughput by I/O threads", "messages/s", impls, series),
                    "Virtual threads on the JDK's default carriers; 'default' is each library's own count "
                            + "(Netty: two event loops per core).");
            ratio(io, r -> io(r) == 1, r -> io(r) == 0).ifPresent(change -> sentences.add(
                    "one I/O thread instead of the library's default by " + Html.change(change)));
        }
        if (sentences.isEmpty()) {
            List<BenchResult> plain = bench.plain("echo").stream().filter(r -> r.ok() && r.server() != null).toList();
            if (!plain.isEmpty()) {
                evidence.chart(Charts.bars("Server CPU per echoed message (virtual threads only)", "CPU µs per message",
                        BenchRuns.impls(plain), Map.of("CPU µs/msg", plain.stream().map(r -> r.server().cpuMicrosPerOp()).toList())),
                        "No executor sweep in the inputs: the default executor's cost per message.");
                BenchResult cheapest = plain.stream().min(Comparator.comparingDouble(r -> r.server().cpuMicrosPerOp())).orElseThrow();
                sentences.add(String.format(Locale.ROOT, "only virtual threads were measured: %s spends the least server CPU "
                        + "per echoed message (%.1f µs); run the scheduler sweep to compare executors", cheapest.impl(),
                        cheapest.server().cpuMicrosPerOp()));
            }
        }
        evidence.reproduce("./corosio bench --scenario echo --executor virtual,platform:4 --carriers 0,1",
                "./corosio bench --scenario echo --io-threads 0,1");
        String answer = sentences.isEmpty() ? "No echo results in the inputs: run ./corosio compare."
                : LoadSection.capitalise(String.join("; ", sentences)) + ".";
        return evidence.section("scheduler", "Scheduler and executor", "What do the handler executor, the carrier "
                + "threads and the I/O threads change?", answer);
    }

    /** The mean of {@code a / b} over the backends and executors that ran both. */
    private static Optional<Double> ratio(List<BenchResult> runs, java.util.function.Predicate<BenchResult> a,
            java.util.function.Predicate<BenchResult> b) {
        List<Double> ratios = new ArrayList<>();
        for (BenchResult x : runs.stream().filter(a).toList()) {
            runs.stream().filter(b).filter(y -> y.impl().equals(x.impl()) && executor(y).equals(executor(x)))
                    .findFirst().filter(y -> y.throughput() > 0).ifPresent(y -> ratios.add(x.throughput() / y.throughput()));
        }
        OptionalDouble mean = ratios.stream().mapToDouble(Double::doubleValue).average();
        return mean.isPresent() ? Optional.of(mean.getAsDouble()) : Optional.empty();
    }

    private static double figure(List<BenchResult> runs, String backend, String setting) {
        return runs.stream().filter(r -> r.impl().equals(backend) && setting(r).equals(setting)).findFirst()
                .map(BenchResult::throughput).orElse(Double.NaN);
    }

    private static boolean isDefaultScheduler(BenchResult r) {
        return executor(r).equals("virtual") && carriers(r) == 0;
    }

    /** A setting in words: {@code platform:4, carriers=1} is "a pool of 4 platform threads (one carrier)". */
    static String describe(String setting) {
        String[] parts = setting.split(", carriers=");
        String executor = parts[0];
        String words = executor.equals("virtual") ? "virtual threads"
                : executor.startsWith("platform:") ? "pools of " + executor.substring("platform:".length()) + " platform threads"
                : "the '" + executor + "' executor's threads";
        return words + (parts.length > 1 ? " on " + (parts[1].equals("1") ? "one carrier" : parts[1] + " carriers") : "");
    }

    static String setting(BenchResult r) {
        return executor(r) + (carriers(r) == 0 ? "" : ", carriers=" + carriers(r));
    }

    private static String executor(BenchResult r) {
        return String.valueOf(r.point().get("executor"));
    }

    private static int carriers(BenchResult r) {
        return ((Number) r.point().get("carriers")).intValue();
    }

    private static int io(BenchResult r) {
        return ((Number) r.point().get("ioThreads")).intValue();
    }
}
