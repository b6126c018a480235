package net.corosio.lab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
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
    }

    @Test
    void somethingElseIsRefusedWithTheFormsItTakes() {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert("soon"));
        assertEquals("'soon' is not a duration: use PT30M, 30m, 60s or 1h", e.getMessage());
    }
}
