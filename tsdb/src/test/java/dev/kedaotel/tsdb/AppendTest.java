package dev.kedaotel.tsdb;

import dev.kedaotel.model.Labels;
import dev.kedaotel.model.StaleMarker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Append outcomes, counters, staleness markers, delta appends, range reads and change notification. */
class AppendTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String[] SERIES = {"__name__", "requests", "pod", "a"};
    private StoreFixture f = StoreFixture.withDefaults(NOW);

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void duplicateOutOfOrderAndTooOldOutcomes() {
        assertEquals(AppendResult.APPENDED, f.append(NOW - 1000, 1, SERIES));
        assertEquals(AppendResult.DUPLICATE, f.append(NOW - 1000, 99, SERIES));
        assertEquals(AppendResult.OUT_OF_ORDER, f.append(NOW - 2000, 2, SERIES));
        assertEquals(AppendResult.APPENDED, f.append(NOW, 3, SERIES));
        long tooOld = NOW - f.store.config().retentionMs() - 1;
        assertEquals(AppendResult.TOO_OLD, f.append(tooOld, 4, "__name__", "requests", "pod", "new"));
        assertEquals(1, f.store.seriesCount(), "a too-old sample must not create a series");

        SampleBuffer s = f.readAll(f.ref(SERIES));
        assertEquals(2, s.size());
        assertEquals(NOW - 1000, s.timestamp(0));
        assertEquals(1.0, s.value(0));
        assertEquals(NOW, s.timestamp(1));
        assertEquals(3.0, s.value(1));

        assertEquals(2, f.store.appendCount(AppendResult.APPENDED));
        assertEquals(1, f.store.appendCount(AppendResult.DUPLICATE));
        assertEquals(1, f.store.appendCount(AppendResult.OUT_OF_ORDER));
        assertEquals(1, f.store.appendCount(AppendResult.TOO_OLD));
    }

    @Test
    void tooOldAppliesToExistingSeriesWhenTheClockMovesOn() {
        assertEquals(AppendResult.APPENDED, f.append(NOW, 1, SERIES));
        f.clock.addAndGet(f.store.config().retentionMs() + 10_000);
        assertEquals(AppendResult.TOO_OLD, f.append(NOW + 5_000, 2, SERIES));
    }

    @Test
    void readFiltersByInclusiveTimeRange() {
        for (int i = 0; i < 20; i++) {
            f.append(NOW - 20_000 + i * 1000L, i, SERIES);
        }
        int ref = f.ref(SERIES);
        SampleBuffer out = new SampleBuffer(2);
        out.add(1, 1); // read appends after existing content
        assertEquals(5, f.store.read(ref, NOW - 15_000, NOW - 11_000, out));
        assertEquals(6, out.size());
        assertEquals(NOW - 15_000, out.timestamp(1));
        assertEquals(5.0, out.value(1));
        assertEquals(NOW - 11_000, out.timestamp(5));
        assertEquals(0, f.store.read(ref, NOW + 1, NOW + 100, new SampleBuffer()));
        assertEquals(NOW - 1000, f.store.lastTimestamp(ref));
    }

    @Test
    void staleMarkerIsStoredAndUnknownSeriesIgnored() {
        f.append(NOW - 1000, 5, SERIES);
        f.labels(SERIES);
        assertEquals(AppendResult.APPENDED, f.appender.appendStale(NOW));
        SampleBuffer s = f.readAll(f.ref(SERIES));
        assertEquals(2, s.size());
        assertTrue(StaleMarker.isStale(s.value(1)));

        f.labels("__name__", "requests", "pod", "unknown");
        assertEquals(AppendResult.DUPLICATE, f.appender.appendStale(NOW));
        assertEquals(1, f.store.seriesCount());
    }

    @Test
    void deltaAppendsAccumulateAndRestartAfterStaleness() {
        f.labels(SERIES);
        assertEquals(AppendResult.APPENDED, f.appender.appendDelta(NOW - 4000, 2));
        assertEquals(AppendResult.APPENDED, f.appender.appendDelta(NOW - 3000, 3));
        assertEquals(AppendResult.DUPLICATE, f.appender.appendDelta(NOW - 3000, 3));
        assertEquals(AppendResult.APPENDED, f.appender.appendStale(NOW - 2000));
        assertEquals(AppendResult.APPENDED, f.appender.appendDelta(NOW - 1000, 7));
        SampleBuffer s = f.readAll(f.ref(SERIES));
        assertEquals(4, s.size());
        assertEquals(2.0, s.value(0));
        assertEquals(5.0, s.value(1));
        assertTrue(StaleMarker.isStale(s.value(2)));
        assertEquals(7.0, s.value(3));
    }

    @Test
    void seriesLimitRejectsNewSeriesButNotExistingOnes() {
        f.close();
        f = new StoreFixture(NOW, StoreConfig.builder().maxSeries(2));
        assertEquals(AppendResult.APPENDED, f.append(NOW, 1, "__name__", "m", "i", "1"));
        assertEquals(AppendResult.APPENDED, f.append(NOW, 1, "__name__", "m", "i", "2"));
        assertEquals(AppendResult.SERIES_LIMIT, f.append(NOW, 1, "__name__", "m", "i", "3"));
        assertEquals(AppendResult.APPENDED, f.append(NOW + 1, 1, "__name__", "m", "i", "2"));
        assertEquals(2, f.store.seriesCount());
        assertEquals(1, f.store.appendCount(AppendResult.SERIES_LIMIT));
    }

    @Test
    void commitReportsDistinctTouchedMetricNamesOnce() {
        List<List<String>> calls = new ArrayList<>();
        f.store.addListener((syms, n) -> {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add(f.store.symbols().symbol(syms[i]));
            }
            names.sort(null);
            calls.add(names);
        });
        f.append(NOW, 1, "__name__", "a", "x", "1");
        f.append(NOW, 1, "__name__", "a", "x", "2");
        f.append(NOW, 1, "__name__", "b");
        f.append(NOW, 1, "__name__", "b"); // duplicate: not a change
        f.commit();
        f.commit(); // nothing touched since: no call
        f.append(NOW - 10, 1, "__name__", "b"); // out of order: not a change
        f.commit();
        assertEquals(List.of(List.of("a", "b")), calls);
    }

    @Test
    void removedListenerIsNotCalledAndFailingListenerDoesNotStopOthers() {
        int[] seen = {0};
        ChangeListener counting = (syms, n) -> seen[0] += n;
        ChangeListener failing = (syms, n) -> {
            throw new IllegalStateException("boom");
        };
        f.store.addListener(failing);
        f.store.addListener(counting);
        f.append(NOW, 1, SERIES);
        f.commit();
        assertEquals(1, seen[0]);
        f.store.removeListener(counting);
        f.append(NOW + 1, 1, SERIES);
        f.commit();
        assertEquals(1, seen[0]);
    }

    @Test
    void labelsAreSortedByNameString() {
        f.append(NOW, 1, "zone", "z1", "__name__", "m", "app", "x");
        Labels l = f.store.labels(f.ref("__name__", "m", "app", "x", "zone", "z1"));
        assertArrayEquals(new String[] {"__name__", "app", "zone"}, new String[] {l.name(0), l.name(1), l.name(2)});
        assertEquals("m", l.metricName());
    }
}
