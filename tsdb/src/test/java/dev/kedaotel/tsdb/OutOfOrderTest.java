package dev.kedaotel.tsdb;

import dev.kedaotel.model.StaleMarker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The out-of-order window: what is stored, refused and merged, its bounds, retention and notification.
 * Concurrency of readers with out-of-order appends is in {@link OutOfOrderConcurrencyTest}.
 */
class OutOfOrderTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long WINDOW = 60_000;
    private static final String[] SERIES = {"__name__", "requests", "pod", "a"};
    private StoreFixture f = new StoreFixture(NOW, StoreConfig.builder().outOfOrderWindowMs(WINDOW));

    @AfterEach
    void tearDown() {
        f.close();
    }

    private void reopen(StoreConfig.Builder config) {
        f.close();
        f = new StoreFixture(NOW, config);
    }

    private static long[] timestamps(SampleBuffer b) {
        long[] out = new long[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.timestamp(i);
        }
        return out;
    }

    private static String show(SampleBuffer b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.size(); i++) {
            sb.append(b.timestamp(i) - NOW).append('=').append(b.value(i)).append(' ');
        }
        return sb.toString();
    }

    @Test
    void withinTheWindowIsStoredAndReadInTimestampOrder() {
        assertEquals(AppendResult.APPENDED, f.append(NOW - 30_000, 1, SERIES));
        assertEquals(AppendResult.APPENDED, f.append(NOW - 10_000, 3, SERIES));
        assertEquals(AppendResult.APPENDED, f.append(NOW - 20_000, 2, SERIES));
        assertEquals(AppendResult.APPENDED, f.append(NOW, 5, SERIES));
        assertEquals(AppendResult.APPENDED, f.append(NOW - 5_000, 4, SERIES));
        int ref = f.ref(SERIES);
        assertEquals("-30000=1.0 -20000=2.0 -10000=3.0 -5000=4.0 0=5.0 ", show(f.readAll(ref)));
        assertEquals(NOW, f.store.lastTimestamp(ref), "the newest sample stays the in-order one");
        assertEquals(2, f.store.outOfOrderAppended());
        assertEquals(2, f.store.outOfOrderSamples());
        assertTrue(f.store.outOfOrderBytes() > 0);
        assertEquals(5, f.store.appendCount(AppendResult.APPENDED));

        // Sub-ranges cut through both sources.
        SampleBuffer part = new SampleBuffer();
        part.add(1, 1); // reads append after existing content, and merge only their own part
        assertEquals(3, f.store.read(ref, NOW - 20_000, NOW - 5_000, part));
        assertEquals("-1699999999999=1.0 -20000=2.0 -10000=3.0 -5000=4.0 ", show(part));
    }

    @Test
    void olderThanTheWindowIsOutOfOrderAndTheBoundIsInclusive() {
        f.append(NOW, 1, SERIES);
        assertEquals(AppendResult.OUT_OF_ORDER, f.append(NOW - WINDOW - 1, 2, SERIES));
        assertEquals(AppendResult.APPENDED, f.append(NOW - WINDOW, 3, SERIES));
        assertEquals(1, f.store.appendCount(AppendResult.OUT_OF_ORDER));
        assertEquals(2, f.readAll(f.ref(SERIES)).size());
    }

    @Test
    void theWindowIsRelativeToTheSeriesOwnNewestSample() {
        f.append(NOW, 1, SERIES);
        f.append(NOW - 100_000, 1, "__name__", "requests", "pod", "lagging");
        // 90 s behind the store's newest sample but 10 s behind its own series' newest: stored.
        assertEquals(AppendResult.APPENDED, f.append(NOW - 110_000, 2, "__name__", "requests", "pod", "lagging"));
    }

    @Test
    void duplicatesOfChainAndBufferedSamplesAreIgnoredFirstValueWins() {
        f.append(NOW - 20_000, 1, SERIES);
        f.append(NOW, 3, SERIES);
        assertEquals(AppendResult.DUPLICATE, f.append(NOW - 20_000, 99, SERIES), "same timestamp as an in-order sample");
        assertEquals(AppendResult.APPENDED, f.append(NOW - 10_000, 2, SERIES));
        assertEquals(AppendResult.DUPLICATE, f.append(NOW - 10_000, 2, SERIES), "exact retry of a buffered sample");
        assertEquals(AppendResult.DUPLICATE, f.append(NOW - 10_000, 42, SERIES), "other value, buffered timestamp");
        assertEquals(AppendResult.DUPLICATE, f.append(NOW, 7, SERIES), "the newest sample, as before");
        assertEquals("-20000=1.0 -10000=2.0 0=3.0 ", show(f.readAll(f.ref(SERIES))));
        assertEquals(4, f.store.appendCount(AppendResult.DUPLICATE));
        assertEquals(1, f.store.outOfOrderSamples());
    }

    @Test
    void aDuplicateDeepInsideALongChainIsFound() {
        for (int i = 0; i < 500; i++) { // many blocks; every other second
            f.append(NOW - 50_000 + i * 100L, i, SERIES);
        }
        for (int i = 0; i < 500; i++) {
            assertEquals(AppendResult.DUPLICATE, f.append(NOW - 50_000 + i * 100L, -1, SERIES), "sample " + i);
        }
        assertEquals(AppendResult.APPENDED, f.append(NOW - 50_000 + 50, -1, SERIES));
        assertEquals(0, f.store.appendCount(AppendResult.OUT_OF_ORDER));
        assertEquals(1, f.store.outOfOrderSamples());
    }

    @Test
    void windowZeroKeepsTheOldBehaviour() {
        reopen(StoreConfig.builder());
        f.append(NOW, 1, SERIES);
        assertEquals(AppendResult.OUT_OF_ORDER, f.append(NOW - 1, 2, SERIES));
        assertEquals(0, f.store.outOfOrderBytes());
    }

    @Test
    void deltaAppendsAreNeverBuffered() {
        f.labels(SERIES);
        assertEquals(AppendResult.APPENDED, f.appender.appendDelta(NOW, 5));
        f.labels(SERIES);
        assertEquals(AppendResult.OUT_OF_ORDER, f.appender.appendDelta(NOW - 1_000, 1));
        assertEquals(1, f.readAll(f.ref(SERIES)).size());
    }

    @Test
    void staleMarkersAreBufferedLikeValues() {
        f.append(NOW - 10_000, 1, SERIES);
        f.append(NOW, 2, SERIES);
        f.labels(SERIES);
        assertEquals(AppendResult.APPENDED, f.appender.appendStale(NOW - 5_000));
        SampleBuffer s = f.readAll(f.ref(SERIES));
        assertEquals(3, s.size());
        assertTrue(StaleMarker.isStale(s.value(1)));
    }

    @Test
    void withinTheWindowButOlderThanRetentionIsTooOld() {
        reopen(StoreConfig.builder().outOfOrderWindowMs(WINDOW).retentionMs(30_000));
        f.append(NOW, 1, SERIES);
        assertEquals(AppendResult.TOO_OLD, f.append(NOW - 40_000, 2, SERIES));
    }

    @Test
    void perSeriesAndTotalBoundsRefuseWithTheirOwnReason() {
        reopen(StoreConfig.builder().outOfOrderWindowMs(WINDOW).outOfOrderMaxSamplesPerSeries(3).outOfOrderMaxSamples(5));
        f.append(NOW, 0, SERIES);
        for (int i = 1; i <= 3; i++) {
            assertEquals(AppendResult.APPENDED, f.append(NOW - i * 1000L, i, SERIES));
        }
        assertEquals(AppendResult.OUT_OF_ORDER_FULL, f.append(NOW - 4000, 4, SERIES));
        assertEquals("out_of_order_buffer_full", AppendResult.describe(AppendResult.OUT_OF_ORDER_FULL));
        assertTrue(AppendResult.isRejection(AppendResult.OUT_OF_ORDER_FULL));
        assertEquals(AppendResult.DUPLICATE, f.append(NOW - 2000, 4, SERIES), "a duplicate is still a duplicate when full");

        String[] other = {"__name__", "requests", "pod", "b"};
        f.append(NOW, 0, other);
        assertEquals(AppendResult.APPENDED, f.append(NOW - 1000, 1, other));
        assertEquals(AppendResult.APPENDED, f.append(NOW - 2000, 2, other));
        assertEquals(AppendResult.OUT_OF_ORDER_FULL, f.append(NOW - 3000, 3, other), "store-wide bound (5)");
        assertEquals(2, f.store.appendCount(AppendResult.OUT_OF_ORDER_FULL));
        assertEquals(5, f.store.outOfOrderSamples());
        assertEquals(4, f.readAll(f.ref(SERIES)).size());
    }

    @Test
    void aFullBufferFirstDropsWhatHasExpired() {
        reopen(StoreConfig.builder().outOfOrderWindowMs(WINDOW).retentionMs(60_000).outOfOrderMaxSamplesPerSeries(2));
        f.append(NOW, 0, SERIES);
        f.append(NOW - 2000, 1, SERIES);
        f.append(NOW - 1000, 2, SERIES);
        f.clock.addAndGet(59_000); // NOW - 2000 is now outside retention, NOW - 1000 not yet
        f.append(NOW + 50_000, 3, SERIES);
        assertEquals(AppendResult.APPENDED, f.append(NOW + 10_000, 4, SERIES));
        assertEquals(2, f.store.outOfOrderSamples());
    }

    @Test
    void retentionDropsBufferedSamplesAndFreesEmptyBuffers() {
        f.append(NOW - 30_000, 1, SERIES);
        f.append(NOW, 3, SERIES);
        f.append(NOW - 20_000, 2, SERIES);
        long retention = f.store.config().retentionMs();

        f.clock.set(NOW - 25_000 + retention); // the buffered sample (NOW - 20 s) is still inside retention
        f.append(f.clock.get(), 4, SERIES);
        assertEquals(0, f.store.expire());
        assertEquals(1, f.store.outOfOrderSamples());

        f.clock.set(NOW - 15_000 + retention); // now it is not; the series lives on
        f.append(f.clock.get(), 5, SERIES);
        assertEquals(0, f.store.expire());
        assertEquals(0, f.store.outOfOrderSamples());
        assertEquals(0, f.store.outOfOrderBytes(), "an emptied buffer is freed");
        SampleBuffer s = f.readAll(f.ref(SERIES));
        for (int i = 0; i < s.size(); i++) {
            assertTrue(s.timestamp(i) != NOW - 20_000, "expired out-of-order sample still read: " + show(s));
        }

        // A new out-of-order sample allocates a fresh buffer.
        assertEquals(AppendResult.APPENDED, f.append(f.clock.get() - 1000, 6, SERIES));
        assertEquals(1, f.store.outOfOrderSamples());
    }

    @Test
    void removingASeriesFreesItsBufferAndAReusedRefSeesNone() {
        reopen(StoreConfig.builder().outOfOrderWindowMs(WINDOW).reuseGraceMs(0));
        f.append(NOW, 1, SERIES);
        f.append(NOW - 1000, 2, SERIES);
        int ref = f.ref(SERIES);
        f.clock.addAndGet(f.store.config().retentionMs() + 1);
        assertEquals(1, f.store.expire());
        assertEquals(0, f.store.outOfOrderSamples());
        assertEquals(0, f.store.outOfOrderBytes());

        String[] other = {"__name__", "other"};
        f.append(f.clock.get(), 7, other);
        int again = f.ref(other);
        assertEquals(ref, again, "the test wants the ref reused");
        assertEquals("" + (f.clock.get() - NOW) + "=7.0 ", show(f.readAll(again)));
    }

    @Test
    void listenersAreToldOfOutOfOrderSamples() {
        List<Integer> notified = new ArrayList<>();
        f.store.addListener((names, count) -> notified.add(count));
        f.append(NOW, 1, SERIES);
        f.commit();
        assertEquals(1, notified.size());
        f.append(NOW - 1000, 2, SERIES);
        f.commit();
        assertEquals(2, notified.size(), "an out-of-order sample is a change");
        f.append(NOW - 1000, 2, SERIES);
        f.commit();
        assertEquals(2, notified.size(), "a duplicate is not");
    }

    /** Random interleavings against a sorted model: every range read equals the model's range. */
    @Test
    void randomInterleavingsReadLikeASortedModel() {
        reopen(StoreConfig.builder().outOfOrderWindowMs(WINDOW).outOfOrderMaxSamplesPerSeries(10_000));
        Random random = new Random(13);
        TreeMap<Long, Double> model = new TreeMap<>();
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < 3000; i++) {
            long ts = NOW - 100_000 + random.nextInt(100_000);
            double v = random.nextInt(1000);
            int r = f.append(ts, v, SERIES);
            int expected;
            if (model.containsKey(ts)) {
                expected = AppendResult.DUPLICATE;
            } else if (newest != Long.MIN_VALUE && ts < newest - WINDOW) {
                expected = AppendResult.OUT_OF_ORDER;
            } else {
                expected = AppendResult.APPENDED;
            }
            assertEquals(expected, r, "append " + i + " at " + (ts - NOW));
            if (r == AppendResult.APPENDED) {
                model.put(ts, v);
                newest = Math.max(newest, ts);
            }
        }
        int ref = f.ref(SERIES);
        SampleBuffer out = new SampleBuffer(4);
        for (int q = 0; q < 300; q++) {
            long a = NOW - 110_000 + random.nextInt(120_000);
            long b = a + random.nextInt(30_000);
            out.clear();
            f.store.read(ref, a, b, out);
            Map<Long, Double> want = model.subMap(a, true, b, true);
            assertEquals(want.size(), out.size(), "count in [" + (a - NOW) + ", " + (b - NOW) + "]");
            int k = 0;
            for (Map.Entry<Long, Double> e : want.entrySet()) {
                assertEquals(e.getKey(), out.timestamp(k));
                assertEquals(e.getValue(), out.value(k));
                k++;
            }
        }
        long[] all = timestamps(f.readAll(ref));
        assertEquals(model.size(), all.length);
    }
}
