package dev.kedaotel.tsdb;

import dev.kedaotel.model.StaleMarker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Appends by series handle: resolve, lastHandle, the three handle appends, dead handles after retention. */
class HandleAppendTest {
    private static final long NOW = 1_700_000_000_000L;
    private final StoreFixture f = new StoreFixture(NOW,
            StoreConfig.builder().retentionMs(60_000).reuseGraceMs(0));

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void resolveCreatesTheSeriesAndHandleAppendsReachIt() {
        f.labels("__name__", "m", "pod", "a");
        long h = f.appender.resolve();
        assertTrue(h >= 0);
        assertEquals(1, f.store.seriesCount());
        f.labels("__name__", "m", "pod", "a");
        assertEquals(h, f.appender.resolve(), "resolving the same label set gives the same handle");

        assertEquals(AppendResult.APPENDED, f.appender.appendTo(h, NOW, 5));
        assertEquals(AppendResult.DUPLICATE, f.appender.appendTo(h, NOW, 6));
        assertEquals(AppendResult.OUT_OF_ORDER, f.appender.appendTo(h, NOW - 1, 6));
        assertEquals(AppendResult.APPENDED, f.appender.appendDeltaTo(h, NOW + 1, 2));
        assertEquals(AppendResult.APPENDED, f.appender.appendStaleTo(h, NOW + 2));

        SampleBuffer s = f.readAll(f.ref("__name__", "m", "pod", "a"));
        assertEquals(3, s.size());
        assertEquals(5.0, s.value(0));
        assertEquals(7.0, s.value(1), "delta adds to the latest value");
        assertTrue(StaleMarker.isStale(s.value(2)));
        assertEquals(3, f.store.appendCount(AppendResult.APPENDED), "handle appends are counted");
    }

    @Test
    void lastHandleNamesTheSeriesOfTheLastLabelSetAppend() {
        assertEquals(AppendResult.APPENDED, f.append(NOW, 1, "__name__", "m", "pod", "a"));
        long a = f.appender.lastHandle();
        assertTrue(a >= 0);
        assertEquals(AppendResult.DUPLICATE, f.append(NOW, 1, "__name__", "m", "pod", "a"));
        assertEquals(a, f.appender.lastHandle(), "set whatever the sample's outcome");
        f.append(NOW, 1, "__name__", "m", "pod", "b");
        long b = f.appender.lastHandle();
        assertNotEquals(a, b);
        assertEquals(AppendResult.APPENDED, f.appender.appendTo(a, NOW + 1, 2));
        assertEquals(2.0, f.readAll(f.ref("__name__", "m", "pod", "a")).value(1));

        f.labels("__name__", "unknown");
        assertEquals(AppendResult.DUPLICATE, f.appender.appendStale(NOW));
        assertTrue(f.appender.lastHandle() < 0, "a stale marker for an unknown series resolves to none");
        f.labels("__name__", "too_old");
        assertEquals(AppendResult.TOO_OLD, f.appender.append(NOW - 120_000, 1));
        assertTrue(f.appender.lastHandle() < 0);
        assertEquals(2, f.store.seriesCount());
    }

    @Test
    void aHandleOfASeriesRemovedByRetentionIsDeadAndResolvingAgainRecreatesIt() {
        f.labels("__name__", "m");
        long h = f.appender.resolve();
        assertEquals(AppendResult.APPENDED, f.appender.appendTo(h, NOW, 1));
        f.clock.addAndGet(61_000);
        assertEquals(1, f.store.expire());

        long t = f.clock.get();
        assertEquals(Appender.HANDLE_DEAD, f.appender.appendTo(h, t, 2));
        assertEquals(Appender.HANDLE_DEAD, f.appender.appendDeltaTo(h, t, 2));
        assertEquals(Appender.HANDLE_DEAD, f.appender.appendStaleTo(h, t));

        // No grace: the next creation reuses the ref, with a new generation the old handle cannot match.
        f.labels("__name__", "successor");
        long successor = f.appender.resolve();
        assertEquals(h >>> 32, successor >>> 32, "same ref");
        assertEquals(Appender.HANDLE_DEAD, f.appender.appendTo(h, t, 3), "never writes into the successor");
        assertEquals(0, f.readAll(f.ref("__name__", "successor")).size());

        f.labels("__name__", "m");
        long again = f.appender.resolve();
        assertNotEquals(h, again);
        assertEquals(AppendResult.APPENDED, f.appender.appendTo(again, t, 4));
        SampleBuffer s = f.readAll(f.ref("__name__", "m"));
        assertEquals(1, s.size());
        assertEquals(4.0, s.value(0));
    }

    @Test
    void handleAppendsPublishTheirMetricNamesOnCommit() {
        List<String> notified = new ArrayList<>();
        f.store.addListener((syms, n) -> {
            for (int i = 0; i < n; i++) {
                notified.add(f.store.symbols().symbol(syms[i]));
            }
        });
        f.labels("__name__", "handled", "pod", "a");
        long h = f.appender.resolve();
        f.commit();
        assertEquals(List.of(), notified, "resolving alone stores no sample");
        f.appender.appendTo(h, NOW, 1);
        f.appender.appendTo(h, NOW, 1); // duplicate: not a change
        f.commit();
        assertEquals(List.of("handled"), notified);
        notified.clear();
        f.appender.appendTo(h, NOW, 1);
        f.commit();
        assertEquals(List.of(), notified, "a duplicate changes nothing");
    }

    @Test
    void resolveAtTheSeriesLimitReturnsTheNegatedCode() {
        StoreFixture g = new StoreFixture(NOW, StoreConfig.builder().maxSeries(1));
        try {
            g.labels("__name__", "a");
            assertTrue(g.appender.resolve() >= 0);
            g.labels("__name__", "b");
            assertEquals(-AppendResult.SERIES_LIMIT, g.appender.resolve());
            assertEquals(Appender.HANDLE_DEAD, g.appender.appendTo(-AppendResult.SERIES_LIMIT, NOW, 1));
        } finally {
            g.close();
        }
    }

    @Test
    void handleAppendsOnAClosedStoreThrow() {
        f.labels("__name__", "m");
        long h = f.appender.resolve();
        f.store.close();
        assertThrows(IllegalStateException.class, () -> f.appender.appendTo(h, NOW, 1));
    }
}
