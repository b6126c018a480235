package net.corosio.lab.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.corosio.lab.Corosio;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The report as a user gets it: short real runs ({@code compare} with every sweep, servers in the
 * test's JVM, and the interop matrix of {@code tck}) write their results files, {@code compare} ends
 * by writing the page, and headless Chromium displays it — six sections, a chart in each, no
 * console error, nothing fetched — and leaves a screenshot in {@code target/}.
 */
class ReportPageTest {

    /** Where the screenshot goes, for a person to look at. */
    static final Path SCREENSHOT = Path.of("target", "corosio-report-screenshot.png");

    @TempDir
    static Path dir;

    static Path page;
    static String html;
    static String compareOutput;

    private static int run(StringWriter out, String... args) {
        CommandLine command = Corosio.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(new StringWriter(), true));
        return command.execute(args);
    }

    @BeforeAll
    @Timeout(300)
    static void runTheLabAndWriteThePage() throws Exception {
        StringWriter tck = new StringWriter();
        assertEquals(Corosio.OK, run(tck, "tck", "--no-kit", "--backends", "loom,nio", "--json",
                dir.resolve("corosio-tck.json").toString()), tck::toString);
        if (installed("wrk")) {
            StringWriter apps = new StringWriter();
            assertEquals(Corosio.OK, run(apps, "apps", "--app", "http", "--backends", "loom", "--duration", "1s", "--warmup",
                    "0s", "--connections", "4", "--no-reference", "--json", dir.resolve("corosio-apps-http.json").toString(),
                    "--work-dir", dir.resolve("apps").toString()), apps::toString);
        }
        StringWriter compare = new StringWriter();
        page = dir.resolve("report.html");
        int code = run(compare, "compare", "--backends", "loom,netty,netty-native", "--scenarios", "pingpong,echo",
                "--warmup", "0s", "--duration", "400ms", "--sweep-warmup", "0s", "--sweep-duration", "300ms",
                "--sweeps", "load,rate,scheduler,tls", "--executors", "virtual,loop", "--sweep-executors", "virtual,loop,platform:2", "--no-fork",
                "--json", dir.resolve("corosio-compare.json").toString(), "--report", page.toString(),
                "--work-dir", dir.resolve("work").toString());
        compareOutput = compare.toString();
        assertTrue(code == Corosio.OK || code == Corosio.FAILED, compareOutput);
        html = Files.readString(page);
    }

    private static boolean installed(String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d.isEmpty() ? "." : d, program)));
    }

    @Test
    void theExampleUnderARealClientIsOnThePage() {
        Assumptions.assumeTrue(installed("wrk"), "wrk is not installed (apt-get install wrk; .ci/run installs it)");
        assertTrue(html.contains("The http example under a real client") && html.contains("under wrk the http example"),
                "the apps file is read");
    }

    @Test
    void compareEndsByWritingTheReportAndPrintingItsPath() {
        assertTrue(compareOutput.contains("wrote the report " + page.toAbsolutePath()), compareOutput);
    }

    @Test
    void theRunsRecordTheirSweepPoints() throws Exception {
        JsonNode file = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("corosio-compare.json").toFile());
        long points = 0;
        for (JsonNode result : file.get("results")) {
            points += result.path("point").has("connections") ? 1 : 0;
        }
        assertTrue(points >= 5 * 3, "the load and rate sweeps record their connections: " + file);
    }

    @Test
    void everySectionOpensWithAComputedAnswerAndHasAChart() {
        for (String id : List.of("load", "scheduler", "failures", "tls", "coupling", "maintainability")) {
            Matcher section = Pattern.compile("<section id=\"" + id + "\">(.*?)</section>", Pattern.DOTALL).matcher(html);
            assertTrue(section.find(), "no section " + id);
            String body = section.group(1);
            Matcher answer = Pattern.compile("<p class=\"answer\">(.*?)</p>").matcher(body);
            assertTrue(answer.find() && answer.group(1).length() > 20, () -> id + " has no answer: " + body);
            assertTrue(body.contains("<svg class=\"chart\""), () -> id + " has no chart");
        }
        assertTrue(html.contains("At 1024 connections") || html.contains("at 1024 connections"),
                "the load answer names the largest connection count of the sweep");
        assertTrue(html.contains("client × server pairs interoperate"), "the tck file's interop matrix is read");
        assertTrue(html.contains(FailureSection.NO_FAULTS), "no faults file: the page says so plainly");
    }

    @Test
    void thePageIsSelfContained() {
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(), "the page links out");
        assertFalse(html.contains("<script"), "the page needs no script");
        assertFalse(html.contains("<?xml"), "the charts are inline SVG elements, not documents");
    }

    @Test
    @Timeout(120)
    void chromiumDisplaysThePageWithoutConsoleErrorsAndSavesAScreenshot() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium.isPresent(), "chromium is not installed (apt-get install chromium; .ci/run installs it)");
        try (HeadlessChromium browser = new HeadlessChromium(chromium.get(), 1360)) {
            browser.load(page);
            JsonNode shown = browser.evaluate("(() => { const s = [...document.querySelectorAll('section')];"
                    + " return { sections: s.length,"
                    + " drawn: s.map(x => [...x.querySelectorAll('svg.chart')].filter(c => c.getBoundingClientRect().height > 100).length),"
                    + " width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }; })()");
            assertEquals(6, shown.path("sections").asInt(), shown::toString);
            for (JsonNode drawn : shown.path("drawn")) {
                assertTrue(drawn.asInt() >= 1, () -> "a section shows no chart: " + shown);
            }
            assertEquals(List.of(), browser.errors(), "the page logged errors");
            assertTrue(browser.requests().stream().allMatch(u -> u.startsWith("file:") || u.startsWith("data:")),
                    () -> "the page fetched something: " + browser.requests());
            browser.screenshot(SCREENSHOT, shown.path("width").asInt(), shown.path("height").asInt());
            assertTrue(Files.size(SCREENSHOT) > 10_000, "the screenshot is empty");
        }
    }

    @Test
    @Timeout(60)
    void chromiumReportsAConsoleErrorWhenAPageHasOne() throws Exception {
        Optional<Path> chromium = HeadlessChromium.find();
        Assumptions.assumeTrue(chromium.isPresent(), "chromium is not installed (apt-get install chromium; .ci/run installs it)");
        Path broken = dir.resolve("broken.html");
        Files.writeString(broken, "<!DOCTYPE html><html><body><script>console.error('broken on purpose')</script></body></html>");
        try (HeadlessChromium browser = new HeadlessChromium(chromium.get(), 800)) {
            browser.load(broken);
            assertTrue(browser.errors().stream().anyMatch(e -> e.contains("broken on purpose")), browser.errors()::toString);
        }
    }
}
