package dev.kedaotel.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The gate's arithmetic: now − min(span, period) ≥ completeSince. */
class WarmUpTest {
    private static final long T0 = 1_700_000_000_000L;
    private final WarmUp warmUp = new WarmUp(T0, 120_000);

    @Test
    void aQueryWaitsItsSpanCappedAtThePeriod() {
        assertEquals(30_000, warmUp.remainingMs(30_000, T0));
        assertEquals(1, warmUp.remainingMs(30_000, T0 + 29_999));
        assertEquals(0, warmUp.remainingMs(30_000, T0 + 30_000));
        assertEquals(120_000, warmUp.remainingMs(600_000, T0), "the period caps a longer span");
        assertEquals(0, warmUp.remainingMs(0, T0), "a query reading nothing stored is warm at once");
        assertEquals(T0 + 30_000, warmUp.warmAtMs(30_000));
        assertEquals(T0 + 120_000, warmUp.warmAtMs(Long.MAX_VALUE));
    }

    @Test
    void theProcessWideWarmUpIsThePeriod() {
        assertFalse(warmUp.complete(T0 + 119_999));
        assertEquals(1, warmUp.remainingMs(T0 + 119_999));
        assertTrue(warmUp.complete(T0 + 120_000));
        assertEquals(0, warmUp.remainingMs(T0 + 500_000));
    }

    @Test
    void aWindowCompleteLongAgoAndNoneAreWarm() {
        assertTrue(new WarmUp(T0 - 1_000_000, 120_000).complete(T0));
        assertEquals(0, new WarmUp(T0 - 1_000_000, 120_000).remainingMs(120_000, T0));
        assertTrue(WarmUp.NONE.complete(Long.MIN_VALUE / 4));
        assertTrue(new WarmUp(T0, 0).complete(T0));
    }

    @Test
    void secondsRoundUpSoAFractionLeftIsNeverZero() {
        assertEquals(0, WarmUp.seconds(0));
        assertEquals(1, WarmUp.seconds(1));
        assertEquals(1, WarmUp.seconds(1_000));
        assertEquals(2, WarmUp.seconds(1_001));
        assertEquals("2023-11-14T22:13:20Z", warmUp.completeSinceText());
    }

    @Test
    void aNegativePeriodIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WarmUp(T0, -1));
        assertEquals("warm-up period must not be negative, got -1 ms", e.getMessage());
    }
}
