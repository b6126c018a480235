package net.corosio.lab.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The soak's verdict: growth beyond noise and beyond a floor, not scatter. */
class TrendTest {

    private static final List<Double> SECONDS = new ArrayList<>();

    static {
        for (int i = 0; i < 20; i++) {
            SECONDS.add(i * 3.0);
        }
    }

    private static List<Double> series(double start, double perSecond, double noise, long seed) {
        Random random = new Random(seed);
        return SECONDS.stream().map(t -> start + perSecond * t + (random.nextDouble() * 2 - 1) * noise).toList();
    }

    @Test
    void aSteadyRiseWellAboveTheNoiseGrows() {
        Trend trend = Trend.fit("fds", SECONDS, series(100, 1, 2, 1), 16);
        assertTrue(trend.grows(), trend::toString);
        assertEquals(57, trend.growth(), 3);
        assertEquals(60, trend.slopePerMinute(), 3);
    }

    @Test
    void scatterWithoutARiseDoesNotGrow() {
        Trend trend = Trend.fit("heap", SECONDS, series(50e6, 0, 10e6, 2), 16e6);
        assertFalse(trend.grows(), trend::toString);
    }

    @Test
    void aRiseBelowTheFloorDoesNotGrow() {
        Trend trend = Trend.fit("threads", SECONDS, series(20, 0.05, 0, 3), 8);
        assertFalse(trend.grows(), trend::toString);
    }

    @Test
    void aRiseLostInItsOwnNoiseDoesNotGrow() {
        Trend trend = Trend.fit("fds", SECONDS, series(100, 0.5, 100, 4), 16);
        assertFalse(trend.grows(), trend::toString);
    }

    @Test
    void tooFewSamplesNeverGrow() {
        assertFalse(Trend.fit("fds", List.of(0.0, 1.0), List.of(0.0, 1000.0), 1).grows());
    }
}
