package dev.kedaotel.tsdb;

import dev.kedaotel.model.LabelMatcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Expiry by retention, listener notification, ref reuse after the grace period, reset. */
class RetentionTest {
    private static final long NOW = 1_700_000_000_000L;
    private final StoreFixture f = new StoreFixture(NOW,
            StoreConfig.builder().retentionMs(60_000).reuseGraceMs(10_000));
    private final List<List<String>> notified = new ArrayList<>();

    @AfterEach
    void tearDown() {
        f.close();
    }

    private void listen() {
        f.store.addListener((syms, n) -> {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add(f.store.symbols().symbol(syms[i]));
            }
            names.sort(null);
            notified.add(names);
        });
    }

    @Test
    void expireRemovesSeriesWithoutRecentSamplesAndNotifies() {
        f.append(NOW - 50_000, 1, "__name__", "old", "pod", "a");
        f.append(NOW - 50_000, 1, "__name__", "old", "pod", "b");
        f.append(NOW - 50_000, 1, "__name__", "mixed", "pod", "a");
        f.append(NOW - 5_000, 1, "__name__", "mixed", "pod", "b");
        int oldA = f.ref("__name__", "old", "pod", "a");
        long epoch = f.store.seriesEpoch();
        listen();

        assertEquals(0, f.store.expire());
        assertTrue(notified.isEmpty());

        f.clock.addAndGet(15_000); // cutoff now - 60 s = NOW - 45 s
        assertEquals(3, f.store.expire());
        assertEquals(List.of(List.of("mixed", "old")), notified);
        assertEquals(1, f.store.seriesCount());
        assertTrue(f.store.seriesEpoch() > epoch);
        assertNull(f.store.labels(oldA));
        assertEquals(Long.MIN_VALUE, f.store.lastTimestamp(oldA));
        assertEquals(0, f.store.read(oldA, Long.MIN_VALUE, Long.MAX_VALUE, new SampleBuffer()));
        assertEquals(List.of("__name__", "pod"), f.store.labelNames());
        assertEquals(List.of("b"), f.store.labelValues("pod"));
        assertEquals(List.of("mixed"), f.store.labelValues("__name__"));
        IntList sel = new IntList();
        f.store.select(List.of(LabelMatcher.eq("__name__", "old")), sel);
        assertEquals(0, sel.size());
    }

    @Test
    void removedSeriesCanBeRecreatedWithAFreshRing() {
        f.append(NOW - 50_000, 1, "__name__", "m");
        f.clock.addAndGet(15_000);
        assertEquals(1, f.store.expire());
        assertEquals(AppendResult.APPENDED, f.append(NOW + 10_000, 2, "__name__", "m"));
        SampleBuffer s = f.readAll(f.ref("__name__", "m"));
        assertEquals(1, s.size());
        assertEquals(2.0, s.value(0));
    }

    @Test
    void refsAreReusedOnlyAfterTheGracePeriod() {
        f.append(NOW, 1, "__name__", "victim");
        int victim = f.ref("__name__", "victim");
        f.clock.addAndGet(61_000);
        assertEquals(1, f.store.expire());

        f.append(f.clock.get(), 1, "__name__", "during_grace");
        assertNotEquals(victim, f.ref("__name__", "during_grace"));

        f.clock.addAndGet(10_000);
        f.append(f.clock.get(), 1, "__name__", "after_grace");
        assertEquals(victim, f.ref("__name__", "after_grace"));
        assertEquals("after_grace", f.store.labels(victim).metricName());
    }

    @Test
    void staleHandleOfARemovedSeriesNeverSeesItsSuccessor() {
        f.append(NOW, 1, "__name__", "victim");
        int staleRef = f.ref("__name__", "victim");
        int staleGeneration = f.store.registry().generation(staleRef);
        f.clock.addAndGet(61_000);
        assertEquals(1, f.store.expire());
        assertEquals(0, f.store.registry().generation(staleRef));
        f.clock.addAndGet(10_000); // grace over: the ref is reused
        f.append(f.clock.get(), 7, "__name__", "successor");
        int successor = f.ref("__name__", "successor");
        assertEquals(staleRef, successor);
        assertNotEquals(staleGeneration, f.store.registry().generation(successor));

        assertEquals(SampleRings.DEAD, f.store.rings().append(staleRef, staleGeneration, f.clock.get() + 1, 9,
                SampleRings.MODE_VALUE, f.clock.get()));
        assertEquals(0, f.store.rings().read(staleRef, staleGeneration, Long.MIN_VALUE, Long.MAX_VALUE, new SampleBuffer()));
        assertEquals(1, f.readAll(successor).size());
    }

    @Test
    void resetDropsEverythingAndNotifies() {
        f.append(NOW, 1, "__name__", "a");
        f.append(NOW, 1, "__name__", "b", "x", "y");
        listen();
        f.store.reset();
        assertEquals(0, f.store.seriesCount());
        assertEquals(List.of(), f.store.labelNames());
        assertEquals(List.of(List.of("a", "b")), notified);
        assertEquals(AppendResult.APPENDED, f.append(NOW + 1, 1, "__name__", "a"));
        assertEquals(1, f.store.seriesCount());
    }

    @Test
    void seriesLimitCountsOnlyLiveSeries() {
        f.close();
        StoreFixture g = new StoreFixture(NOW, StoreConfig.builder().maxSeries(1).retentionMs(1000).reuseGraceMs(0));
        try {
            assertEquals(AppendResult.APPENDED, g.append(NOW, 1, "__name__", "a"));
            assertEquals(AppendResult.SERIES_LIMIT, g.append(NOW, 1, "__name__", "b"));
            g.clock.addAndGet(2000);
            assertEquals(1, g.store.expire());
            assertEquals(AppendResult.APPENDED, g.append(g.clock.get(), 1, "__name__", "b"));
        } finally {
            g.close();
        }
    }
    @Test
    void aPredictedNextSeriesThatRetentionRemovedIsCreatedAgain() {
        StoreFixture g = new StoreFixture(1_700_000_000_000L, StoreConfig.builder().retentionMs(10_000).reuseGraceMs(0));
        try {
            long t = 1_700_000_000_000L;
            g.append(t, 1, "__name__", "a");
            g.append(t, 1, "__name__", "b"); // the appender now predicts b after a
            g.clock.set(t + 5_000);
            g.append(t + 5_000, 2, "__name__", "a");
            g.clock.set(t + 12_000);
            assertEquals(1, g.store.expire(), "b is older than the window");
            g.append(t + 12_000, 3, "__name__", "a");
            assertEquals(AppendResult.APPENDED, g.append(t + 12_000, 4, "__name__", "b"));
            SampleBuffer b = g.readAll(g.ref("__name__", "b"));
            assertEquals(1, b.size());
            assertEquals(4.0, b.value(0));
            assertEquals(2, g.store.seriesCount());
        } finally {
            g.close();
        }
    }

    @Test
    void refsFarAboveTheLiveCountStillResolve() {
        // Few live series, many refs held in quarantine: refs pass 2^16 (the fewest ref bits of a registry
        // table slot) while the table stays small and is rebuilt again and again for its tombstones.
        StoreFixture g = new StoreFixture(NOW, StoreConfig.builder().retentionMs(1000).reuseGraceMs(3_600_000));
        try {
            for (int round = 0; round < 70; round++) {
                long t = g.clock.get();
                for (int i = 0; i < 1000; i++) {
                    assertEquals(AppendResult.APPENDED, g.append(t, i, "__name__", "churn", "id", round + "-" + i));
                }
                g.commit();
                assertEquals(1000, g.store.seriesCount());
                int last = g.ref("__name__", "churn", "id", round + "-999");
                assertEquals(round * 1000 + 999, last, "fresh refs only: the old ones are quarantined");
                assertEquals(AppendResult.APPENDED, g.append(t + 1, 1, "__name__", "churn", "id", round + "-999"));
                assertEquals(1000, g.store.seriesCount(), "found again, not created twice");
                g.clock.addAndGet(2000);
                assertEquals(1000, g.store.expire());
            }
            assertEquals(0, g.store.seriesCount());
        } finally {
            g.close();
        }
    }
}
