package dev.kedaotel.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The input limits: label count and lengths, series per metric, future timestamps, the per-metric rejection counter. */
class LimitsTest {
    private static final long NOW = 1_700_000_000_000L;
    private StoreFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    private void store(StoreConfig.Builder b) {
        f = new StoreFixture(NOW, b);
    }

    @Test
    void labelCountIncludesTheMetricName() {
        store(StoreConfig.builder().maxLabelsPerSeries(3));
        assertEquals(AppendResult.APPENDED, f.append(NOW, 1, "__name__", "m", "a", "1", "b", "2"));
        assertEquals(AppendResult.TOO_MANY_LABELS, f.append(NOW, 1, "__name__", "m", "a", "1", "b", "2", "c", "3"));
        assertEquals(1, f.store.seriesCount());
        assertEquals(1, f.store.appendCount(AppendResult.TOO_MANY_LABELS));
        assertEquals("too_many_labels", AppendResult.describe(AppendResult.TOO_MANY_LABELS));
    }

    @Test
    void labelNameAndValueLengthsAreUtf8Bytes() {
        store(StoreConfig.builder().maxLabelNameLength(8).maxLabelValueLength(4));
        assertEquals(AppendResult.APPENDED, f.append(NOW, 1, "__name__", "m", "abcdefgh", "wxyz"));
        assertEquals(AppendResult.LABEL_NAME_TOO_LONG, f.append(NOW, 1, "__name__", "m", "abcdefghi", "v"));
        assertEquals(AppendResult.LABEL_VALUE_TOO_LONG, f.append(NOW, 1, "__name__", "m", "a", "wxyzy"));
        assertEquals(AppendResult.LABEL_VALUE_TOO_LONG, f.append(NOW, 1, "__name__", "m", "a", "äöü"), "6 bytes");
        assertEquals(AppendResult.LABEL_VALUE_TOO_LONG, f.append(NOW, 1, "__name__", "metric", "a", "1"),
                "the metric name is a label value");
        assertEquals(1, f.store.seriesCount());
        assertEquals("label_name_too_long", AppendResult.describe(AppendResult.LABEL_NAME_TOO_LONG));
        assertEquals("label_value_too_long", AppendResult.describe(AppendResult.LABEL_VALUE_TOO_LONG));
    }

    @Test
    void longSymbolLengthsAreReadWithoutDecoding() {
        store(StoreConfig.builder());
        String big = "x".repeat(70_000);
        int id = f.store.symbols().intern(big);
        assertEquals(70_000, f.store.symbols().utf8Length(id));
        assertEquals(15, f.store.symbols().utf8Length(f.store.symbols().intern("y".repeat(15))));
        assertEquals(16, f.store.symbols().utf8Length(f.store.symbols().intern("y".repeat(16))));
        assertEquals(0, f.store.symbols().utf8Length(SymbolTable.EMPTY));
    }

    @Test
    void seriesPerMetricLimitLeavesOtherMetricsAlone() {
        store(StoreConfig.builder().maxSeriesPerMetric(2));
        assertEquals(AppendResult.APPENDED, f.append(NOW, 1, "__name__", "a", "pod", "1"));
        assertEquals(AppendResult.APPENDED, f.append(NOW, 1, "__name__", "a", "pod", "2"));
        assertEquals(AppendResult.SERIES_PER_METRIC_LIMIT, f.append(NOW, 1, "__name__", "a", "pod", "3"));
        assertEquals(AppendResult.APPENDED, f.append(NOW + 1, 2, "__name__", "a", "pod", "1"), "existing series still append");
        assertEquals(AppendResult.APPENDED, f.append(NOW, 1, "__name__", "b", "pod", "3"));
        assertEquals(1, f.store.seriesLimitRejections("a"));
        assertEquals("series_per_metric_limit", AppendResult.describe(AppendResult.SERIES_PER_METRIC_LIMIT));

        // Room again once retention removed a series of the metric.
        f.clock.set(NOW + f.store.config().retentionMs() + 1);
        f.append(NOW + f.store.config().retentionMs() + 1, 1, "__name__", "a", "pod", "1");
        f.store.expire();
        assertEquals(AppendResult.APPENDED, f.append(NOW + f.store.config().retentionMs() + 1, 1, "__name__", "a", "pod", "3"));
    }

    @Test
    void fullSeriesCapIsCountedPerMetricWithBoundedCardinality() {
        store(StoreConfig.builder().maxSeries(1));
        assertEquals(AppendResult.APPENDED, f.append(NOW, 1, "__name__", "kept"));
        for (int m = 0; m < SeriesLimitLog.MAX_METRICS + 20; m++) {
            assertEquals(AppendResult.SERIES_LIMIT, f.append(NOW, 1, "__name__", "m" + m));
            assertEquals(AppendResult.SERIES_LIMIT, f.append(NOW, 1, "__name__", "m" + m, "pod", "x"));
        }
        Map<String, Long> counts = f.store.seriesLimitRejections();
        assertEquals(SeriesLimitLog.MAX_METRICS + 1, counts.size(), "100 names plus _other_");
        assertEquals(2, counts.get("m0"));
        assertEquals(40, counts.get(SeriesLimitLog.OTHER));
        assertEquals(240, f.store.appendCount(AppendResult.SERIES_LIMIT));
    }

    @Test
    void futureSamplesAreRejectedBeforeTheyCreateOrPoisonASeries() {
        store(StoreConfig.builder().maxFutureMs(60_000));
        String[] s = {"__name__", "m", "pod", "a"};
        assertEquals(AppendResult.APPENDED, f.append(NOW + 60_000, 1, s), "at the limit is fine");
        assertEquals(AppendResult.TOO_FAR_IN_FUTURE, f.append(NOW + 60_001 + 3_600_000, 2, s));
        assertEquals(AppendResult.TOO_FAR_IN_FUTURE, f.append(Long.MAX_VALUE, 2, s));
        assertEquals(AppendResult.TOO_FAR_IN_FUTURE, f.append(7_258_118_400_000L, 2, s), "year 2200");
        assertEquals(AppendResult.TOO_FAR_IN_FUTURE, f.append(Long.MAX_VALUE, 2, "__name__", "m", "pod", "new"));
        assertEquals(1, f.store.seriesCount(), "a rejected future sample creates no series");
        f.labels(s);
        assertEquals(AppendResult.TOO_FAR_IN_FUTURE, f.appender.appendStale(NOW + 3_600_000));
        long handle = f.appender.resolve();
        assertTrue(handle >= 0);
        assertEquals(AppendResult.TOO_FAR_IN_FUTURE, f.appender.appendTo(handle, NOW + 3_600_000, 3));
        assertEquals(6, f.store.appendCount(AppendResult.TOO_FAR_IN_FUTURE));
        assertEquals("too_far_in_future", AppendResult.describe(AppendResult.TOO_FAR_IN_FUTURE));
        f.clock.set(NOW + 61_000);
        assertEquals(AppendResult.APPENDED, f.append(NOW + 61_000, 4, s), "later samples are not out of order");
    }
}
