package net.corosio.lab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** How the lab writes its results files: indented JSON, durations as ISO-8601 ("PT3S"). */
public final class JsonFiles {

    private JsonFiles() {}

    /**
     * Writes a value (a record of records, lists and maps) as JSON, creating the directory.
     *
     * @param path where
     * @param value what
     * @throws IOException if it cannot be written
     */
    public static void write(Path path, Object value) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // Durations as ISO-8601, as the options are given on the command line.
        SimpleModule durations = new SimpleModule("durations").addSerializer(Duration.class, ToStringSerializer.instance);
        new ObjectMapper()
                .registerModule(durations)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(path.toFile(), value);
    }
}
