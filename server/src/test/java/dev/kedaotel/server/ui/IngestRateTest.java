package dev.kedaotel.server.ui;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestRateTest {
    @Test
    void noRateUntilTwoSamplesASecondApart() {
        IngestRate r = new IngestRate();
        assertTrue(Double.isNaN(r.perSecond()));
        r.sample(10_000, 0);
        r.sample(10_500, 500); // too soon after the first: ignored, the clock decides the spacing
        assertTrue(Double.isNaN(r.perSecond()));
        r.sample(11_000, 400);
        assertEquals(400.0, r.perSecond());
    }

    @Test
    void theRateCoversTheLastMinuteOnly() {
        IngestRate r = new IngestRate();
        // 1,000 points/s for two minutes, then 10 points/s for one minute
        long count = 0;
        for (int s = 0; s <= 120; s++) {
            r.sample(s * 1_000L, count);
            count += 1_000;
        }
        count -= 1_000;
        for (int s = 121; s <= 180; s++) {
            count += 10;
            r.sample(s * 1_000L, count);
        }
        assertEquals(10.0, r.perSecond(), 1e-9, "only the last 60 s count");
    }
}
