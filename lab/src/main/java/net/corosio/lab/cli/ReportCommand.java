package net.corosio.lab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import net.corosio.lab.Corosio;
import net.corosio.lab.page.ReportPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code corosio report}: the answer on one page. Reads results files of every kind and the
 * project's sources, and writes one self-contained HTML file.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write one self-contained HTML page (inline styles and SVG charts, nothing fetched) that answers "
                + "the lab's six questions — load, scheduler and executor, failure semantics, TLS, coupling, "
                + "maintainability — each with a one-sentence answer computed from the data and the evidence behind it.",
                "Reads results files of compare, bench, tck, apps and faults (default: target/corosio-*.json) and "
                        + "measures the architecture figures from the project's sources and built jars."})
public final class ReportCommand implements Callable<Integer> {

    /** Where the page goes unless told otherwise. */
    static final Path DEFAULT_PAGE = Path.of("target", "corosio-report.html");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Results files (default: every target/corosio-*.json).")
    List<Path> files = new ArrayList<>();

    @Option(names = "--out", defaultValue = "target/corosio-report.html", description = "The page (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--sources", description = "The project's directory, for the architecture figures "
            + "(default: the current directory or one above it, else the one the lab's jar was built in).")
    Path sources;

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> inputs = files.isEmpty() ? resultsFiles(Path.of("target")) : files;
        Path written = write(inputs, sources, out, err);
        stdout.println("wrote " + written.toAbsolutePath());
        stdout.flush();
        return Corosio.OK;
    }

    /**
     * Writes the page, telling what was missing on {@code err}.
     *
     * @param inputs results files
     * @param sources the project's directory, or {@code null} to look for it
     * @param page where the page goes
     * @param err where warnings go
     * @return the page's path
     * @throws IOException if it cannot be written
     */
    static Path write(List<Path> inputs, Path sources, Path page, PrintWriter err) throws IOException {
        Path root = sources != null ? ReportPage.findSources(sources) : locateSources();
        if (root == null) {
            err.println("the project's sources were not found: the page has no architecture figures (give --sources DIR)");
        }
        if (inputs.isEmpty()) {
            err.println("no results files: the page has architecture figures only (run ./corosio compare first)");
        }
        ReportPage report = ReportPage.of(inputs, root);
        report.problems().forEach(p -> err.println("not read: " + p));
        report.write(page);
        err.flush();
        return page;
    }

    /**
     * Returns the results files in a directory: {@code corosio-*.json}, sorted by name.
     *
     * @param dir the directory
     * @return the files (none when it does not exist)
     * @throws IOException if it cannot be listed
     */
    static List<Path> resultsFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> listed = Files.list(dir)) {
            return listed.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith("corosio-") && name.endsWith(".json");
            }).sorted().toList();
        }
    }

    /** The current directory's project, else the one the running jar sits in ({@code lab/target/corosio.jar}). */
    private static Path locateSources() {
        LinkedHashSet<Path> starts = new LinkedHashSet<>();
        starts.add(Path.of(""));
        try {
            starts.add(Path.of(ReportCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            // No code source: the current directory is all there is to go on.
        }
        for (Path start : starts) {
            Path root = ReportPage.findSources(start);
            if (root != null) {
                return root;
            }
        }
        return null;
    }
}
