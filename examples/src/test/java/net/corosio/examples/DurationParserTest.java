package net.corosio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one way durations are written on the examples' and the lab's command lines. */
class DurationParserTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "5s, PT5S",
        "2m, PT2M",
        "1h, PT1H",
        "0, PT0S",
        "0ms, PT0S",
        "PT5S, PT5S",
        "pt1.5s, PT1.5S",
        "PT1M30S, PT1M30S",
        "P1D, PT24H",
        "999999999999999h, PT999999999999999H"
    })
    void everyAcceptedFormIsRead(String text, String expected) {
        assertEquals(Duration.parse(expected), DurationParser.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "", "5 s", "5sec", "1.5s", "-5s", "5d", "5S", "ms", "1234567890123456h"})
    void anythingElseIsRefusedNamingTheValueAndTheForms(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> DurationParser.parse(text));
        assertTrue(e.getMessage().startsWith("'" + text + "' is not a duration: write " + DurationParser.FORMS),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "500"})
    void aBareNumberOtherThanZeroIsRefusedRatherThanGuessedAt(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> DurationParser.parse(text));
        assertTrue(e.getMessage().startsWith("'" + text + "' has no unit: write " + text + "ms, " + text + "s"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT-5S", "-PT5S"})
    void aNegativeDurationIsRefused(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> DurationParser.parse(text));
        assertEquals("'" + text + "' is negative: a duration here is 0 or more", e.getMessage());
    }

    @Test
    void nullIsRefusedWithTheForms() {
        var e = assertThrows(IllegalArgumentException.class, () -> DurationParser.parse(null));
        assertTrue(e.getMessage().contains(DurationParser.FORMS), e.getMessage());
    }
}
