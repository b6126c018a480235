package net.corosio.lab.page;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One place where a backend corrects its library's native behaviour, as marked in its source:
 *
 * <pre>{@code
 * // @corrects reset-on-read: Jetty's fill() catches the reset and returns -1, so a crashed peer
 * // looks like one that finished; this fill lets the IOException through and it surfaces as RESET.
 * }</pre>
 *
 * <p>The tag is a line comment {@code // @corrects <id>: <text>}; the id names the semantic
 * (lower-case words joined by hyphens, the same id in every backend that corrects the same thing),
 * and the text says what the library does and what the backend does instead. The text goes on over
 * the following {@code //} lines until one ends with a full stop (or a blank comment, code, or the
 * next tag comes first), so ordinary comments after it are not taken in.
 *
 * @param backend the backend's name
 * @param file the source file, relative to the backend's directory
 * @param line the tag's line number, from 1
 * @param id the semantic corrected
 * @param text what the library does natively and what the backend does instead
 */
record Correction(String backend, String file, int line, String id, String text) {

    /** The tag: {@code // @corrects some-id: text}. */
    static final Pattern TAG = Pattern.compile("^\\s*//\\s*@corrects\\s+([a-z0-9]+(?:-[a-z0-9]+)*)\\s*:\\s*(.*)$");

    private static final Pattern CONTINUATION = Pattern.compile("^\\s*//\\s?(.*)$");

    /**
     * Collects every marker in a backend's main sources.
     *
     * @param backend the backend's name
     * @param directory the backend's module directory
     * @return the markers, by file and line
     */
    static List<Correction> scan(String backend, Path directory) {
        Path sources = directory.resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return List.of();
        }
        List<Correction> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                found.addAll(parse(backend, directory.relativize(file).toString(), Files.readAllLines(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /**
     * Parses the markers in one file's lines.
     *
     * @param backend the backend's name
     * @param file the file's name, for the record
     * @param lines its lines
     * @return the markers
     */
    static List<Correction> parse(String backend, String file, List<String> lines) {
        List<Correction> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher tag = TAG.matcher(lines.get(i));
            if (!tag.matches()) {
                continue;
            }
            StringBuilder text = new StringBuilder(tag.group(2).trim());
            for (int j = i + 1; j < lines.size() && !text.toString().endsWith("."); j++) {
                Matcher more = CONTINUATION.matcher(lines.get(j));
                if (!more.matches() || more.group(1).isBlank() || TAG.matcher(lines.get(j)).matches()) {
                    break;
                }
                text.append(' ').append(more.group(1).trim());
            }
            found.add(new Correction(backend, file, i + 1, tag.group(1), text.toString()));
        }
        return found;
    }
}
