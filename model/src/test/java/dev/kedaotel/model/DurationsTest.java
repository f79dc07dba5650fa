package dev.kedaotel.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Durations against Prometheus 2.42's and Go's rules, including every overflow. */
class DurationsTest {
    @Test
    void prometheusDurationsInUnitOrder() {
        assertEquals(5_400_000, Durations.parse("1h30m"));
        assertEquals(500, Durations.parse("500ms"));
        assertEquals(86_400_000L * 365 + 1000, Durations.parse("1y1s"));
        assertEquals(7 * 86_400_000L, Durations.parse("1w"));
        assertEquals(0, Durations.parse("0"));
        assertEquals(0, Durations.parse("0s"));
        assertEquals(60_005, Durations.parse("1m5ms"));
        assertEquals(1 + 1000 + 60_000 + 3_600_000 + 86_400_000L + 7 * 86_400_000L + 365 * 86_400_000L,
                Durations.parse("1y1w1d1h1m1s1ms"));
    }

    @Test
    void unitsOutOfOrderRepeatedOrMissingAreNotDurations() {
        for (String bad : new String[] {"1s1m", "30m1h", "1ms1s", "1m1m", "", "m", "1", "1.5h", "-1s", "1 s", "1S", "1x", "1d1y", "5mss"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
            assertEquals("not a valid duration string: " + GoStrings.quote(bad), e.getMessage());
        }
    }

    @Test
    void whatGoCannotHoldIsOutOfRange() {
        // Go's time.Duration is int64 nanoseconds: 9223372036854 ms is the largest.
        assertEquals(Durations.MAX_MS, Durations.parse(Durations.MAX_MS + "ms"));
        for (String big : new String[] {(Durations.MAX_MS + 1) + "ms", "293y", "99999999999999y",
                "99999999999999999999999s", "292y52w", "106751d23h47m16s855ms"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(big), big);
            assertEquals("duration out of range", e.getMessage());
        }
        assertEquals(106751L * 86_400_000 + 23 * 3_600_000 + 47 * 60_000 + 16_854, Durations.parse("106751d23h47m16s854ms"));
    }

    @Test
    void apiParametersAreGoFloatSecondsOrDurations() {
        assertEquals(15_000, Durations.parseParameter("15"));
        assertEquals(500, Durations.parseParameter("0.5"));
        assertEquals(1_000_000, Durations.parseParameter("1e3"));
        assertEquals(86_400_000, Durations.parseParameter("1d")); // Java would read "1d" as the double 1.0
        assertEquals(90_000, Durations.parseParameter("1m30s"));
        assertEquals(1_500, Durations.parseParameter("0x1.8p0"));
        assertEquals("cannot parse \"1s1m\" to a valid duration",
                assertThrows(IllegalArgumentException.class, () -> Durations.parseParameter("1s1m")).getMessage());
        assertEquals("cannot parse \"99999999999999y\" to a valid duration",
                assertThrows(IllegalArgumentException.class, () -> Durations.parseParameter("99999999999999y")).getMessage());
        assertEquals("cannot parse \"1e15\" to a valid duration. It overflows int64",
                assertThrows(IllegalArgumentException.class, () -> Durations.parseParameter("1e15")).getMessage());
        assertEquals("cannot parse \"+Inf\" to a valid duration. It overflows int64",
                assertThrows(IllegalArgumentException.class, () -> Durations.parseParameter("+Inf")).getMessage());
        for (String bad : new String[] {"NaN", "", " 1", "1e400", "abc", "1_000"}) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parseParameter(bad), bad);
        }
    }

    @Test
    void goDurationsForSettings() {
        assertEquals(300_000, Durations.parseGo("5m"));
        assertEquals(5_400_000, Durations.parseGo("1.5h"));
        assertEquals(5_400_000, Durations.parseGo("1h30m"));
        assertEquals(300, Durations.parseGo("300ms"));
        assertEquals(0, Durations.parseGo("0"));
        assertEquals(-1_000, Durations.parseGo("-1s"));
        assertEquals(1, Durations.parseGo("1000us"));
        assertEquals(61_000, Durations.parseGo("1s1m")); // Go accepts any unit order
        for (String bad : new String[] {"", "5", "5 m", "1d", "m", ".s", "1..5s", "3000000h"}) {
            assertThrows(IllegalArgumentException.class, () -> Durations.parseGo(bad), bad);
        }
    }

    @Test
    void formatsLikePrometheus() {
        assertEquals("0s", Durations.format(0));
        assertEquals("1h30m", Durations.format(5_400_000));
        assertEquals("1w", Durations.format(7 * 86_400_000L));
        assertEquals("1y", Durations.format(365 * 86_400_000L));
        assertEquals("8d", Durations.format(8 * 86_400_000L));
        assertEquals("1m5ms", Durations.format(60_005));
        assertEquals("-5m", Durations.format(-300_000));
        for (String d : new String[] {"1h30m", "500ms", "1y", "2w", "3d4h", "1m5s7ms"}) {
            assertEquals(d, Durations.format(Durations.parse(d)));
        }
    }
}
