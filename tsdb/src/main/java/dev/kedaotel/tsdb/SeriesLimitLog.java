package dev.kedaotel.tsdb;

import dev.kedaotel.model.TimeSource;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Samples refused because a series cap was full (the store's {@link AppendResult#SERIES_LIMIT} or
 * {@link AppendResult#SERIES_PER_METRIC_LIMIT}), counted per metric name, and a warning logged at most
 * once per metric per {@link #LOG_INTERVAL_NS} on the store's monotonic clock, so a full cap never starves
 * a ScaledObject silently. The first {@link #MAX_METRICS} metric names get a counter of their own, later
 * ones share {@link #OTHER}, so the self-metric's cardinality stays bounded.
 *
 * <p>Concurrency: {@link #rejected} is called by the store under its write lock (one writer); the
 * counters are read by the metrics scraper at any time through {@link #counts()}.
 */
final class SeriesLimitLog {
    private static final System.Logger LOG = System.getLogger(TimeSeriesStore.class.getName());
    static final int MAX_METRICS = 100;
    static final String OTHER = "_other_";
    static final long LOG_INTERVAL_NS = 60_000_000_000L;

    private final TimeSource time;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    /** Last warning per counted metric name (writer only). */
    private final Map<String, Long> lastLogged = new HashMap<>();

    SeriesLimitLog(TimeSource time) {
        this.time = time;
    }

    /** One sample of {@code metric} refused for {@code reason} (an {@link AppendResult} code) at {@code limit}. */
    void rejected(String metric, int reason, int limit) {
        String key = counts.containsKey(metric) || counts.size() < MAX_METRICS ? metric : OTHER;
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
        long now = time.monotonicNanos();
        Long last = lastLogged.get(key);
        if (last == null || now - last >= LOG_INTERVAL_NS) {
            lastLogged.put(key, now);
            String which = reason == AppendResult.SERIES_LIMIT ? "the store's series limit (METRIC_STORE_MAX_SERIES="
                    : "the per-metric series limit (METRIC_STORE_MAX_SERIES_PER_METRIC=";
            LOG.log(System.Logger.Level.WARNING, "new series of metric \"" + metric + "\" rejected: " + which + limit
                    + ") is reached; ScaledObjects reading them will not see their samples (logged at most once a minute per metric"
                    + (key.equals(OTHER) ? ", this one among " + OTHER : "") + ")");
        }
    }

    /** Counts by metric name (at most {@link #MAX_METRICS} + {@link #OTHER}), a snapshot. */
    Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return Collections.unmodifiableMap(out);
    }

    long count(String metric) {
        LongAdder a = counts.get(metric);
        return a == null ? 0 : a.sum();
    }
}
