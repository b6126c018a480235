package net.corosio.lab.page;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import net.corosio.lab.bench.BenchResult;
import net.corosio.lab.report.ConsoleTable;

/**
 * How complex TLS integration is: full handshakes per second and server CPU per handshake (churn
 * over TLS), lines of TLS code per backend, and the TLS corrections each backend needed.
 */
final class TlsSection {

    private TlsSection() {}

    static Section build(ReportInputs inputs, Architecture architecture) {
        Section.Evidence evidence = new Section.Evidence();
        List<String> sentences = new ArrayList<>();
        List<BenchResult> churn = inputs.bench().where("churn", k -> BenchRuns.isPlain(k, "tls") && Boolean.TRUE.equals(k.get("tls")))
                .stream().filter(BenchResult::ok).toList();
        if (!churn.isEmpty()) {
            List<String> impls = BenchRuns.impls(churn);
            evidence.chart(Charts.bars("Full TLS handshakes per second (churn over TLS)", "handshakes/s", impls,
                    Map.of("handshakes/s", churn.stream().map(BenchResult::throughput).toList())),
                    "Connect, full TLS handshake (EC P-256, no resumption), one 64-byte exchange, close; 16 cycles in flight.");
            List<BenchResult> withCpu = churn.stream().filter(r -> r.server() != null).toList();
            if (!withCpu.isEmpty()) {
                evidence.chart(Charts.bars("Server CPU per TLS handshake", "CPU µs per handshake", BenchRuns.impls(withCpu),
                        Map.of("CPU µs", withCpu.stream().map(r -> r.server().cpuMicrosPerOp()).toList())),
                        "The server JVM's CPU time over the window divided by the handshakes completed.");
            }
            BenchResult best = churn.stream().max(Comparator.comparingDouble(BenchResult::throughput)).orElseThrow();
            sentences.add(String.format(Locale.ROOT, "%s completes the most full TLS handshakes (%s/s%s)", best.impl(),
                    ConsoleTable.si(best.throughput()), best.server() == null ? ""
                            : ", " + Html.latency(best.server().cpuMicrosPerOp()) + " of server CPU each"));
        } else {
            evidence.note("No churn-over-TLS runs in the inputs: ./corosio compare runs them (sweep 'tls'), "
                    + "or ./corosio bench --scenario churn --tls.");
        }
        if (architecture != null && !architecture.adapters().isEmpty()) {
            List<Adapter> adapters = architecture.adapters();
            evidence.chart(Charts.bars("Lines of TLS code per backend", "code lines", adapters.stream().map(Adapter::name).toList(),
                    Map.of("TLS lines", adapters.stream().map(a -> (double) a.tlsLines()).toList())),
                    "Counted from the sources: whole files named *Tls*/*Ssl*, and lines elsewhere that mention TLS, SSL, "
                            + "a handshake or close_notify. The shared SSLEngine codec of the SPI is not counted here.");
            Adapter least = adapters.stream().min(Comparator.comparingInt(Adapter::tlsLines)).orElseThrow();
            Adapter most = adapters.stream().max(Comparator.comparingInt(Adapter::tlsLines)).orElseThrow();
            List<Correction> tlsCorrections = architecture.corrections().stream().filter(c -> c.id().startsWith("tls-")).toList();
            sentences.add(String.format(Locale.ROOT, "TLS takes from %d lines (%s) to %d (%s) of adapter code and %d marked "
                    + "TLS corrections (%s)", least.tlsLines(), least.name(), most.tlsLines(), most.name(), tlsCorrections.size(),
                    adapters.stream().map(a -> a.name() + " " + a.corrections().stream().filter(c -> c.id().startsWith("tls-")).count())
                            .collect(Collectors.joining(", "))));
            if (!tlsCorrections.isEmpty()) {
                evidence.heading("TLS corrections").html(Html.table(List.of("backend", "corrects", "what the library does, and instead"),
                        tlsCorrections.stream().map(c -> List.of(c.backend(), c.id(), c.text())).toList()));
            }
        }
        evidence.reproduce("./corosio bench --scenario churn --tls");
        String answer = sentences.isEmpty() ? "No TLS results and no sources found: run ./corosio compare from the project."
                : LoadSection.capitalise(String.join("; ", sentences)) + ".";
        return evidence.section("tls", "TLS", "How complex is TLS integration on each backend?", answer);
    }
}
