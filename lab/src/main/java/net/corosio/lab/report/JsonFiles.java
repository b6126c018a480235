package net.corosio.lab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Writes the lab's results files: indented JSON, durations as ISO-8601 ({@code "PT3S"}). */
public final class JsonFiles {

    private JsonFiles() {}

    /**
     * Writes {@code document} to {@code path}, creating its directory.
     *
     * @param path where
     * @param document a record (or anything Jackson can write)
     * @throws IOException if it cannot be written
     */
    public static void write(Path path, Object document) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Durations as ISO-8601 ("PT3S"), as the options are given on the command line.
        SimpleModule durations = new SimpleModule("durations").addSerializer(Duration.class, ToStringSerializer.instance);
        new ObjectMapper()
                .registerModule(durations)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(path.toFile(), document);
    }
}
