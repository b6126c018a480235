package net.corosio.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import net.corosio.examples.DurationParser;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** {@code --duration} takes ISO-8601 and the short forms. */
class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsIsoAndShortForms() {
        assertEquals(Duration.ofMinutes(30), converter.convert("PT30M"));
        assertEquals(Duration.ofMinutes(30), converter.convert("30m"));
        assertEquals(Duration.ofSeconds(60), converter.convert("60s"));
        assertEquals(Duration.ofHours(1), converter.convert("1h"));
        assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
    }

    @Test
    void somethingElseIsRefusedWithTheFormsItTakes() {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert("soon"));
        assertEquals("'soon' is not a duration: write " + DurationParser.FORMS, e.getMessage());
    }
}
