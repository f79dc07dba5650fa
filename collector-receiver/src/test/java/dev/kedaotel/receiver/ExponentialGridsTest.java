package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-series grids: start, union, coarsening to the limit, delta counts, eviction. */
class ExponentialGridsTest {
    private static final int E_LO = ExponentialGrids.EMPTY_LO;
    private static final int E_HI = ExponentialGrids.EMPTY_HI;
    private final ExponentialGrids grids = new ExponentialGrids(16);
    private final ExponentialGrids.Plan plan = new ExponentialGrids.Plan();

    @Test
    void aNewGridStartsAtScaleThreeAtMostAndOnlyCoarsens() {
        grids.plan(7, 1, Long.MIN_VALUE, 20, 1 << 17, (1 << 17) + 3, E_LO, E_HI, false, false, 0, 0, 4, plan);
        assertFalse(plan.existed);
        assertEquals(3, plan.scale);
        assertEquals(1, plan.posLo); // 2^17 at scale 20 is 2^(1/8): index 1 at scale 3
        assertEquals(1, plan.posHi);
        // A coarser point coarsens the grid; the old ranges are given for the stale markers.
        grids.plan(7, 2, Long.MIN_VALUE, 1, 0, 1, E_LO, E_HI, false, false, 0, 0, 4, plan);
        assertTrue(plan.coarsened());
        assertEquals(3, plan.prevScale);
        assertEquals(1, plan.scale);
        assertEquals(0, plan.posLo);
        assertEquals(1, plan.posHi);
        // A finer one does not refine it.
        grids.plan(7, 3, Long.MIN_VALUE, 5, 0, 0, E_LO, E_HI, false, false, 0, 0, 4, plan);
        assertFalse(plan.coarsened());
        assertEquals(1, plan.scale);
    }

    @Test
    void theGridIsCoarsenedUntilItsLeSeriesFitTheLimit() {
        // 30 buckets at scale 3 with negatives and zero: 16 le series allow 6 + 6 buckets at most → scale 1.
        grids.plan(8, 1, Long.MIN_VALUE, 3, -15, 14, 0, 7, true, false, 0, 0, 0, plan);
        assertEquals(1, plan.scale);
        assertEquals(-4, plan.posLo);
        assertEquals(3, plan.posHi);
        assertEquals(0, plan.negLo);
        assertEquals(1, plan.negHi);
        assertTrue(ExponentialGrids.leCount(plan.posLo, plan.posHi, plan.negLo, plan.negHi, plan.zero) <= 16);
    }

    @Test
    void deltaCountsAreKeptForBoundariesThatJoinLater() {
        grids.plan(9, 1, Long.MIN_VALUE, 0, 1, 1, E_LO, E_HI, false, true, 0, 0, 3, plan);
        grids.plan(9, 2, Long.MIN_VALUE, 0, 0, 3, 2, 2, true, true, 1, 2, 6, plan);
        assertEquals(0, plan.priorNeg);
        assertEquals(3, plan.priorBuckets);
        grids.plan(9, 3, Long.MIN_VALUE, 0, 0, 0, E_LO, E_HI, false, true, 0, 0, 1, plan);
        assertEquals(1, plan.priorNeg);
        assertEquals(2, plan.priorZero);
        assertEquals(9, plan.priorBuckets);
        assertTrue(plan.zero, "the zero boundary stays once there were zeros or negatives");
    }

    @Test
    void forgettingAllGridsStartsEverySeriesOverWithoutEarlierDeltaCounts() {
        grids.plan(12, 1_000, Long.MIN_VALUE, 0, 0, 9, E_LO, E_HI, false, true, 0, 0, 10, plan);
        grids.forgetAll();
        grids.plan(12, 2_000, Long.MIN_VALUE, 0, 0, 0, E_LO, E_HI, false, true, 0, 0, 1, plan);
        assertFalse(plan.existed, "the store was reset: no grid survives it");
        assertEquals(0, plan.priorBuckets);
        assertEquals(0, plan.posHi);
    }

    @Test
    void aGridIdleForTheRetentionStartsOver() {
        grids.plan(11, 1_000, Long.MIN_VALUE, 0, 0, 9, E_LO, E_HI, false, true, 0, 0, 10, plan);
        grids.plan(11, 2_000, 2_000 - 120_000, 0, 0, 0, E_LO, E_HI, false, true, 0, 0, 1, plan);
        assertTrue(plan.existed);
        assertEquals(10, plan.priorBuckets);
        grids.plan(11, 200_000, 200_000 - 120_000, 3, 0, 0, E_LO, E_HI, false, true, 0, 0, 1, plan);
        assertFalse(plan.existed, "the store removed its series: the grid and the delta counts start over");
        assertEquals(3, plan.scale);
        assertEquals(0, plan.priorBuckets);
        assertEquals(0, plan.posLo);
        assertEquals(0, plan.posHi);
    }

    @Test
    void aFullGroupForgetsItsLeastRecentlyWrittenSeries() {
        List<Long> keys = new ArrayList<>();
        int group = ExponentialGrids.group(1);
        for (long k = 1; keys.size() < ExponentialGrids.WAYS + 1; k++) {
            if (ExponentialGrids.group(k) == group) {
                keys.add(k);
            }
        }
        for (int i = 0; i < ExponentialGrids.WAYS; i++) {
            grids.plan(keys.get(i), 100 + i, Long.MIN_VALUE, 0, 0, 0, E_LO, E_HI, false, false, 0, 0, 1, plan);
        }
        grids.plan(keys.get(0), 1000, Long.MIN_VALUE, 0, 0, 0, E_LO, E_HI, false, false, 0, 0, 1, plan); // now the most recent
        grids.plan(keys.get(ExponentialGrids.WAYS), 1001, Long.MIN_VALUE, 0, 0, 0, E_LO, E_HI, false, false, 0, 0, 1, plan);
        assertTrue(grids.current(keys.get(0), plan));
        assertFalse(grids.current(keys.get(1), plan), "the least recently written one made room");
        assertTrue(grids.current(keys.get(ExponentialGrids.WAYS), plan));
    }
}
