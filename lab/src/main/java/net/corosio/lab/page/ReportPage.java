package net.corosio.lab.page;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * {@code corosio report}'s page: one self-contained HTML file — styles inline, charts as inline
 * SVG, no script and nothing fetched — that opens with the six answers, one sentence each, then
 * gives one section per question with the evidence behind its answer.
 */
public final class ReportPage {

    private static final String STYLE = """
            body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d232a;
            margin:0;background:#f6f7f9}
            main{max-width:1320px;margin:0 auto;padding:24px 28px 48px}
            header h1{margin:0 0 4px;font-size:28px}
            .meta{color:#55606c;font-size:13px;margin:0}
            .answers{list-style:none;padding:0;margin:20px 0;display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:12px}
            .answers li{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:12px 14px}
            .answers a{font-weight:600;color:#0b5cad;text-decoration:none}
            section{background:#fff;border:1px solid #dde2e8;border-radius:10px;padding:18px 22px;margin:22px 0}
            section h2{margin:0 0 2px;font-size:22px}
            .question{color:#55606c;margin:0 0 10px}
            .answer{background:#eef5fd;border-left:4px solid #0b5cad;padding:10px 14px;margin:0 0 14px;font-size:16px}
            .charts{margin:0 0 6px}
            figure{display:inline-block;vertical-align:top;width:calc(50% - 14px);margin:6px 6px 12px 0}
            figure svg.chart{width:100%;height:auto;display:block}
            figcaption{color:#55606c;font-size:12.5px;margin-top:2px}
            table{border-collapse:collapse;margin:8px 0 14px;font-size:13px}
            th,td{border:1px solid #dde2e8;padding:3px 8px;text-align:left;vertical-align:top}
            th{background:#f0f2f5}
            td.good{color:#1a7f37}td.bad{color:#c0292b;font-weight:600}td.muted{color:#8a939d}
            h3{font-size:15px;margin:14px 0 4px}
            .note{color:#55606c;font-style:italic}
            .reproduce{font-size:13px;color:#55606c}
            code{background:#f0f2f5;padding:1px 5px;border-radius:4px;font-size:12.5px}
            details summary{cursor:pointer;color:#0b5cad;margin:4px 0}
            footer{color:#55606c;font-size:13px}
            @media (max-width:900px){figure{width:100%}}
            """;

    private final ReportInputs inputs;
    private final Architecture architecture;

    private ReportPage(ReportInputs inputs, Architecture architecture) {
        this.inputs = inputs;
        this.architecture = architecture;
    }

    /**
     * Makes the page from results files and the project's sources.
     *
     * @param files results files of any kind ({@code compare}, {@code bench}, {@code tck}, {@code apps},
     *     {@code faults}); unreadable ones are listed on the page
     * @param sources the project's directory, or {@code null} when not found (no architecture figures)
     * @return the page
     */
    public static ReportPage of(List<Path> files, Path sources) {
        return new ReportPage(ReportInputs.read(files), sources == null ? null : Architecture.measure(sources));
    }

    /**
     * Finds the project's directory from a starting point (the directory itself or one above it).
     *
     * @param start where to start
     * @return the directory, or {@code null}
     */
    public static Path findSources(Path start) {
        return Architecture.findRoot(start).orElse(null);
    }

    /**
     * Returns the six sections, in order.
     *
     * @return the sections
     */
    List<Section> sections() {
        return List.of(
                LoadSection.build(inputs),
                SchedulerSection.build(inputs),
                FailureSection.build(inputs, architecture),
                TlsSection.build(inputs, architecture),
                CouplingSection.build(inputs, architecture),
                MaintainabilitySection.build(architecture));
    }

    /**
     * Returns the files that could not be read, and why.
     *
     * @return the problems
     */
    public List<String> problems() {
        return inputs.problems();
    }

    /**
     * Renders the page.
     *
     * @return the HTML document
     */
    public String html() {
        List<Section> sections = sections();
        StringBuilder html = new StringBuilder(256 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>corosio report</title><style>").append(STYLE).append("</style></head><body><main>");
        html.append("<header><h1>Which JVM networking backend? The answer on one page</h1><p class=\"meta\">")
                .append(Html.escape(meta())).append("</p></header>");
        html.append("<ul class=\"answers\">");
        for (Section s : sections) {
            html.append("<li><a href=\"#").append(s.id()).append("\">").append(Html.escape(s.title())).append("</a> — ")
                    .append(Html.escape(s.answer())).append("</li>");
        }
        html.append("</ul>");
        for (Section s : sections) {
            html.append("<section id=\"").append(s.id()).append("\"><h2>").append(Html.escape(s.title())).append("</h2>")
                    .append("<p class=\"question\">").append(Html.escape(s.question())).append("</p>")
                    .append("<p class=\"answer\">").append(Html.escape(s.answer())).append("</p>")
                    .append(s.evidence()).append("</section>");
        }
        html.append("<footer><p>Made from: ");
        for (int i = 0; i < inputs.files().size(); i++) {
            html.append(i == 0 ? "" : ", ").append("<code>").append(Html.escape(inputs.files().get(i).toString())).append("</code>");
        }
        if (inputs.files().isEmpty()) {
            html.append("no results files");
        }
        html.append(". Benchmark commands: ").append(Html.escape(String.join("; ", inputs.commands()))).append(".</p>");
        for (String problem : inputs.problems()) {
            html.append("<p class=\"note\">Not read: ").append(Html.escape(problem)).append("</p>");
        }
        html.append("<p>Architecture figures measured from ")
                .append(architecture == null ? "no sources (not found)" : "<code>" + Html.escape(architecture.root().toString()) + "</code>")
                .append(" when this page was made. Numbers measured on a shared or small machine are noise: re-measure on a "
                        + "quiet one (<code>./corosio compare --rounds 3</code>).</p></footer></main></body></html>\n");
        return html.toString();
    }

    /**
     * Writes the page.
     *
     * @param path where
     * @throws IOException if it cannot be written
     */
    public void write(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(path, html(), StandardCharsets.UTF_8);
    }

    private String meta() {
        StringBuilder meta = new StringBuilder("Made " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        JsonNode env = inputs.environment();
        if (env != null) {
            JsonNode machine = env.path("machine");
            meta.append(String.format(Locale.ROOT, " from runs on %d cores, %.0f GiB (%s), JDK %s", machine.path("cores").asInt(),
                    machine.path("memoryBytes").asDouble() / (1L << 30), machine.path("cpu").asText("?"),
                    env.path("jdk").path("version").asText("?")));
            JsonNode versions = env.path("versions");
            for (String library : List.of("netty", "jetty")) {
                String version = versions.path(library).asText("unknown");
                if (!version.equals("unknown") && !version.equals("null")) {
                    meta.append("; ").append(library).append(' ').append(version);
                }
            }
        }
        return meta.append('.').toString();
    }
}
