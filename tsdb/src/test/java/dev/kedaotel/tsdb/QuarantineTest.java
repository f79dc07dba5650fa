package dev.kedaotel.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The quarantine FIFO: release order and times, run-length times, and its arrays after a burst. */
class QuarantineTest {

    @Test
    void releasesInOrderEachItemOnlyAtItsOwnTime() {
        Quarantine q = new Quarantine();
        q.add(10, 1);
        q.add(10, 2);
        q.add(11, 3);
        q.add(20, 4);
        assertFalse(q.hasReleasable(9));
        assertTrue(q.hasReleasable(10));
        assertEquals(1, q.poll());
        assertEquals(2, q.poll());
        assertFalse(q.hasReleasable(10), "item 3 is due at 11");
        assertTrue(q.hasReleasable(15));
        assertEquals(3, q.poll());
        assertFalse(q.hasReleasable(19));
        assertEquals(4, q.poll());
        assertEquals(0, q.size());
        assertFalse(q.hasReleasable(Long.MAX_VALUE));
    }

    @Test
    void aBurstIsReleasedCompletelyAndTheRingsShrinkBackOnceQuietTrafficFollows() {
        Quarantine q = new Quarantine();
        long idle = q.capacityBytes();
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            q.add(1000 + i / 10_000, i); // 100 batches of one millisecond each
        }
        // Items 4 bytes each (ring of 2^20 ints), a run per millisecond.
        assertTrue(q.capacityBytes() < 4L * (1 << 20) + 12L * 1024, "bytes " + q.capacityBytes());
        for (int i = 0; i < n; i++) {
            assertTrue(q.hasReleasable(1000 + i / 10_000));
            if (i % 10_000 == 0 && i > 0) {
                assertFalse(q.hasReleasable(1000 + i / 10_000 - 1), "batch " + i / 10_000 + " not due before its time");
            }
            assertEquals(i, q.poll());
        }
        for (int i = 0; i < 2 * n; i++) { // one item at a time: the peak of a whole ring's worth of polls is 1
            q.add(5000 + i, i);
            assertEquals(i, q.poll());
        }
        assertEquals(idle, q.capacityBytes(), "arrays back to their idle size");
    }

    @Test
    void aQuarantineFilledAndDrainedOverAndOverKeepsItsArrays() {
        Quarantine q = new Quarantine();
        long t = 0;
        long bytes = -1;
        for (int cycle = 0; cycle < 50; cycle++) {
            for (int i = 0; i < 10_000; i++) {
                q.add(t + 10, i);
            }
            t += 10;
            while (q.hasReleasable(t)) {
                q.poll();
            }
            if (cycle == 1) {
                bytes = q.capacityBytes();
            } else if (cycle > 1) {
                assertEquals(bytes, q.capacityBytes(), "cycle " + cycle + " reallocated");
            }
        }
    }

    @Test
    void wrapsAroundWhileItemsComeAndGo() {
        Quarantine q = new Quarantine();
        int next = 0;
        int expected = 0;
        for (long t = 0; t < 10_000; t++) {
            for (int k = 0; k < (t % 7) * 3; k++) {
                q.add(t + 50, next++);
            }
            while (q.hasReleasable(t)) {
                assertEquals(expected++, q.poll());
            }
        }
        while (q.hasReleasable(Long.MAX_VALUE)) {
            assertEquals(expected++, q.poll());
        }
        assertEquals(next, expected);
    }
}
