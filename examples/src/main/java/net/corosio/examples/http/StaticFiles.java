package net.corosio.examples.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okio.ByteString;

/**
 * The static route's files: a fixed set shipped in this module and read once at start-up, so a
 * request can only ever name one of them (no path is ever resolved against a file system).
 */
final class StaticFiles {

    /** What the static route serves, by name. */
    static final List<String> NAMES = List.of("index.html", "style.css");

    private record File(String contentType, ByteString content) {}

    private final Map<String, File> files;

    private StaticFiles(Map<String, File> files) {
        this.files = Map.copyOf(files);
    }

    /** Loads the built-in files. */
    static StaticFiles builtIn() {
        Map<String, File> files = new HashMap<>();
        for (String name : NAMES) {
            try (InputStream in = StaticFiles.class.getResourceAsStream("static/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource static/" + name);
                }
                files.put(name, new File(contentType(name), ByteString.of(in.readAllBytes())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new StaticFiles(files);
    }

    /** Returns the response for a file, or {@code null} if there is none by that name. */
    Response get(String name) {
        File file = files.get(name);
        return file == null ? null : Response.of(200, file.contentType(), file.content());
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "application/octet-stream";
    }
}
