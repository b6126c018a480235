package net.corosio.lab.page;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The architecture figures, measured from the project's sources and its built jars when the report
 * is made, never typed in: each backend's {@link Adapter}, and the code the backends share.
 *
 * @param root the project's directory
 * @param adapters one per {@code backend-*} module, by name
 * @param sharedSpiLines code lines of the SPI support classes every backend uses ({@code net.corosio.spi})
 * @param apiLines code lines of the user-facing API (the rest of the {@code api} module)
 * @param kitTests test methods of the compatibility kit (each {@code *ConformanceTest} runs them all)
 */
record Architecture(Path root, List<Adapter> adapters, int sharedSpiLines, int apiLines, int kitTests) {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+(?:\\.\\*)?)\\s*;");
    private static final Pattern TLS_LINE = Pattern.compile("(?i)tls|ssl|handshake|close_notify");
    private static final Pattern TLS_FILE = Pattern.compile("(?i).*(tls|ssl).*\\.java");
    private static final List<String> TEST_ANNOTATIONS = List.of("Test", "ParameterizedTest", "RepeatedTest", "TestFactory");
    private static final Pattern ANNOTATION = Pattern.compile("^\\s*@(\\w+)\\b");
    private static final Pattern ANNOTATION_TYPE = Pattern.compile("@interface\\s+(\\w+)");
    private static final Pattern DEPENDENCY = Pattern.compile(
            "^\\s+([^:\\s]+):([^:]+):([^:]+):(?:([^:]+):)?([^:]+):(compile|runtime|provided|system|test):(.+?)(?: -- .*)?$");
    private static final List<String> JDK_IO = List.of("java.net.", "java.nio.channels.", "javax.net.ssl.");
    private static final List<String> NOT_LIBRARY = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.", "net.corosio.",
            "org.slf4j.");

    /**
     * Finds the project's directory: {@code start} or the nearest directory above it that holds
     * {@code api/src/main/java} and a {@code pom.xml}.
     *
     * @param start where to look from
     * @return the directory, if found
     */
    static Optional<Path> findRoot(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("api/src/main/java")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /**
     * Measures the project.
     *
     * @param root the project's directory
     * @return the figures
     */
    static Architecture measure(Path root) {
        List<Adapter> adapters = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> m.getFileName().toString().startsWith("backend-")
                    && Files.isDirectory(m.resolve("src/main/java"))).sorted().toList()) {
                adapters.add(adapter(module));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path api = root.resolve("api/src/main/java");
        int spi = codeLines(javaFiles(api.resolve("net/corosio/spi")));
        int all = codeLines(javaFiles(api));
        List<Path> kit = javaFiles(root.resolve("tck/src/main/java"));
        int kitTests = tests(kit, testAnnotations(kit));
        return new Architecture(root, adapters, spi, all - spi, kitTests);
    }

    private static Adapter adapter(Path module) {
        String name = module.getFileName().toString().substring("backend-".length());
        List<Path> main = javaFiles(module.resolve("src/main/java"));
        List<Path> test = javaFiles(module.resolve("src/test/java"));
        TreeSet<String> library = new TreeSet<>();
        TreeSet<String> jdkIo = new TreeSet<>();
        int tls = 0;
        for (Path file : main) {
            boolean tlsFile = TLS_FILE.matcher(file.getFileName().toString()).matches();
            for (String line : read(file)) {
                Matcher imported = IMPORT.matcher(line);
                if (imported.find()) {
                    String type = imported.group(1);
                    if (JDK_IO.stream().anyMatch(type::startsWith)) {
                        jdkIo.add(type);
                    } else if (NOT_LIBRARY.stream().noneMatch(type::startsWith)) {
                        library.add(type);
                    }
                } else if (isCode(line) && (tlsFile || TLS_LINE.matcher(line).find())) {
                    tls++;
                }
            }
        }
        int kitRuns = (int) test.stream().filter(f -> f.getFileName().toString().endsWith("ConformanceTest.java")).count();
        return new Adapter(name, main.size(), codeLines(main), tls, List.copyOf(library), List.copyOf(jdkIo),
                tests(test, testAnnotations(test)),
                kitRuns, jarBytes(module), dependencies(module), Correction.scan(name, module));
    }

    private static long jarBytes(Path module) {
        Path target = module.resolve("target");
        if (!Files.isDirectory(target)) {
            return -1;
        }
        try (Stream<Path> jars = Files.list(target)) {
            return jars.filter(j -> {
                String n = j.getFileName().toString();
                return n.endsWith(".jar") && !n.endsWith("-sources.jar") && !n.endsWith("-tests.jar")
                        && !n.endsWith("-javadoc.jar");
            }).mapToLong(Architecture::size).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Reads {@code target/corosio-dependencies.txt}, which the build writes (maven-dependency-plugin list). */
    private static List<Adapter.Dependency> dependencies(Path module) {
        Path list = module.resolve("target/corosio-dependencies.txt");
        if (!Files.isRegularFile(list)) {
            return null;
        }
        List<Adapter.Dependency> found = new ArrayList<>();
        for (String line : read(list)) {
            Matcher m = DEPENDENCY.matcher(line);
            if (!m.matches() || m.group(1).equals("net.corosio")) {
                continue;
            }
            String coordinates = m.group(1) + ":" + m.group(2) + (m.group(4) == null ? "" : ":" + m.group(4)) + ":" + m.group(5);
            Path file = Path.of(m.group(7).trim());
            found.add(new Adapter.Dependency(coordinates, Files.isRegularFile(file) ? size(file) : -1));
        }
        return found;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int codeLines(List<Path> files) {
        int lines = 0;
        for (Path file : files) {
            lines += (int) read(file).stream().filter(Architecture::isCode).count();
        }
        return lines;
    }

    /** A line that is neither blank nor only a comment. */
    static boolean isCode(String line) {
        String t = line.strip();
        return !t.isEmpty() && !t.startsWith("//") && !t.startsWith("/*") && !t.startsWith("*") && !t.startsWith("*/");
    }

    /** JUnit's test annotations, and the annotation types among {@code files} meta-annotated with one (the kit's rules). */
    private static List<String> testAnnotations(List<Path> files) {
        List<String> names = new ArrayList<>(TEST_ANNOTATIONS);
        for (Path file : files) {
            List<String> lines = read(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher type = ANNOTATION_TYPE.matcher(lines.get(i));
                if (type.find() && lines.subList(0, i).stream().anyMatch(l -> {
                    Matcher a = ANNOTATION.matcher(l);
                    return a.find() && TEST_ANNOTATIONS.contains(a.group(1));
                })) {
                    names.add(type.group(1));
                }
            }
        }
        return names;
    }

    /** Counts the methods annotated as tests. */
    private static int tests(List<Path> files, List<String> annotations) {
        int tests = 0;
        for (Path file : files) {
            for (String line : read(file)) {
                Matcher a = ANNOTATION.matcher(line);
                if (a.find() && annotations.contains(a.group(1)) && !line.contains("@interface")) {
                    tests++;
                }
            }
        }
        return tests;
    }

    /**
     * Returns every correction of every backend.
     *
     * @return the corrections, backend by backend
     */
    List<Correction> corrections() {
        return adapters.stream().flatMap(a -> a.corrections().stream()).toList();
    }
}
