package dev.kedaotel.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ring growth across size classes, overwrite at the largest class, and slot reuse. */
class RingTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String[] SERIES = {"__name__", "cpu", "pod", "p"};
    private StoreFixture f;

    @AfterEach
    void tearDown() {
        f.close();
    }

    private int capacity(int ref) {
        return f.store.rings().capacity(ref);
    }

    @Test
    void ringGrowsThroughSizeClassesWhileTheOldestSampleIsInsideRetention() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(1_000_000).maxSamplesPerSeries(4096));
        f.append(NOW - 500_000, 0, SERIES);
        int ref = f.ref(SERIES);
        assertEquals(8, capacity(ref));
        for (int i = 1; i < 100; i++) {
            assertEquals(AppendResult.APPENDED, f.append(NOW - 500_000 + i * 1000L, i, SERIES));
        }
        assertEquals(128, capacity(ref));
        SampleBuffer s = f.readAll(ref);
        assertEquals(100, s.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(NOW - 500_000 + i * 1000L, s.timestamp(i));
            assertEquals(i, s.value(i));
        }
    }

    @Test
    void ringOverwritesInsteadOfGrowingWhenTheOldestSampleIsOutsideRetention() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(10_000));
        int ref = -1;
        for (int i = 0; i < 200; i++) {
            f.clock.set(NOW + i * 1000L);
            assertEquals(AppendResult.APPENDED, f.append(NOW + i * 1000L, i, SERIES));
            ref = ref < 0 ? f.ref(SERIES) : ref;
        }
        // 11 samples fit the 10 s window: one growth from 8 to 12, then the ring wraps.
        assertEquals(12, capacity(ref));
        SampleBuffer s = new SampleBuffer();
        f.store.read(ref, NOW + 189_000, NOW + 199_000, s);
        assertEquals(11, s.size());
        assertEquals(189.0, s.value(0));
        assertEquals(199.0, s.value(10));
    }

    @Test
    void largestClassWrapsAroundKeepingTheNewestSamples() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(1_000_000).maxSamplesPerSeries(20));
        for (int i = 0; i < 1000; i++) {
            f.append(NOW - 100_000 + i * 10L, i, SERIES);
        }
        int ref = f.ref(SERIES);
        assertEquals(20, capacity(ref), "classes are 8, 12, 16, then exactly maxSamplesPerSeries");
        SampleBuffer s = f.readAll(ref);
        assertEquals(20, s.size());
        for (int i = 0; i < s.size(); i++) {
            assertEquals(980 + i, s.value(i));
            assertEquals(NOW - 100_000 + (980 + i) * 10L, s.timestamp(i));
        }
        assertEquals(NOW - 100_000 + 999 * 10L, f.store.lastTimestamp(ref));
    }

    @Test
    void deltaAccumulationSurvivesGrowthAndWrap() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(1_000_000).maxSamplesPerSeries(16));
        f.labels(SERIES);
        for (int i = 0; i < 100; i++) {
            assertEquals(AppendResult.APPENDED, f.appender.appendDelta(NOW - 100_000 + i, 1));
        }
        SampleBuffer s = f.readAll(f.ref(SERIES));
        assertEquals(100.0, s.value(s.size() - 1));
    }

    @Test
    void slotsOfGrownRingsAreReusedOnlyAfterTheGracePeriod() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(1_000_000).reuseGraceMs(5_000));
        SlabAllocator slabs = f.store.rings().slabs();
        for (int i = 0; i < 9; i++) {
            f.append(NOW - 1000 + i, i, SERIES); // 9th sample moves the ring from class 8 to 12
        }
        assertEquals(1, slabs.quarantined());
        f.clock.addAndGet(4_999);
        f.append(NOW, 1, "__name__", "other"); // allocates a class-0 slot: the old one is still quarantined
        assertEquals(1, slabs.quarantined());
        f.clock.addAndGet(1);
        f.append(NOW, 1, "__name__", "third");
        assertEquals(0, slabs.quarantined());
        assertTrue(f.store.ringBytesReserved() > 0);
    }
    @Test
    void aTwoMinuteWindowAtFiveSecondsFitsASlotOf24Samples() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(120_000));
        int ref = -1;
        for (int i = 0; i < 60; i++) {
            long ts = NOW + i * 5000L;
            f.clock.set(ts + 1); // samples arrive just after they are taken
            assertEquals(AppendResult.APPENDED, f.append(ts, i, SERIES));
            ref = ref < 0 ? f.ref(SERIES) : ref;
        }
        assertEquals(24, capacity(ref));
        SampleBuffer s = f.readAll(ref);
        assertEquals(24, s.size());
        assertEquals(NOW + 36 * 5000L, s.timestamp(0));
        assertEquals(59.0, s.value(23));
    }

    @Test
    void aTimestampTooFarFromTheSlotBaseMovesTheRingAndDropsWhatCannotBeExpressed() {
        long day = 86_400_000L;
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(100 * day));
        assertEquals(AppendResult.APPENDED, f.append(NOW - 20 * day, 1, SERIES)); // base is the creation time: fits
        assertEquals(AppendResult.APPENDED, f.append(NOW, 2, SERIES));
        int ref = f.ref(SERIES);
        SampleBuffer s = f.readAll(ref);
        assertEquals(2, s.size());
        assertEquals(NOW - 20 * day, s.timestamp(0));
        assertEquals(NOW, s.timestamp(1));

        f.clock.set(NOW + 30 * day);
        assertEquals(AppendResult.APPENDED, f.append(NOW + 30 * day, 3, SERIES)); // 30 days past the base: moves
        s = f.readAll(ref);
        assertEquals(1, s.size(), "samples 30 and 50 days before the new base cannot be expressed against it");
        assertEquals(NOW + 30 * day, s.timestamp(0));
        assertEquals(3.0, s.value(0));
        assertEquals(AppendResult.APPENDED, f.append(NOW + 30 * day + 1, 4, SERIES));
        s = f.readAll(ref);
        assertEquals(2, s.size());
        assertEquals(NOW + 30 * day + 1, s.timestamp(1));
        assertEquals(NOW + 30 * day + 1, f.store.lastTimestamp(ref));
    }
}
