package dev.kedaotel.tsdb;

/**
 * The write handle of one ingest thread (or one request): fill {@link #labels()} with a series' label
 * set as symbol ids, append samples, then {@link #commit()} once per request so listeners learn which
 * metric names changed. Not thread-safe; obtain one per thread from {@link TimeSeriesStore#newAppender()}
 * and reuse it. Allocation-free for samples of existing series.
 *
 * <p>Resolution: the builder is canonicalised and compared with the series that followed the previous
 * one last time ({@link Series#nextHint}: exporters repeat their order, so this usually hits and skips
 * the registry probe), else looked up lock-free in the registry; an unknown label set is created under
 * the store's write lock. If the ring reports the series removed (retention raced
 * with this append) the label set is resolved again under that lock, which re-creates it.
 */
public final class Appender {
    private final TimeSeriesStore store;
    private final LabelSetBuilder labels = new LabelSetBuilder();
    private final IntSet touchedMetricNames = new IntSet();
    /** The series of this appender's previous successful append (for {@link Series#nextHint}). */
    private Series previous;

    Appender(TimeSeriesStore store) {
        this.store = store;
    }

    /** The label set of the next append; clear it, add (name, value) symbol pairs, one must be __name__. */
    public LabelSetBuilder labels() {
        return labels;
    }

    /** Appends one sample to the series named by {@link #labels()}, creating it if needed. Returns an {@link AppendResult} code. */
    public int append(long timestampMs, double value) {
        return append(timestampMs, value, SampleRings.MODE_VALUE, true);
    }

    /**
     * Appends (latest value + {@code delta}) to the series named by {@link #labels()}, creating it if
     * needed; a new series, an empty ring or a latest staleness marker count as 0. Reading the latest
     * value and writing the sum happen under the series' writer lock, so concurrent delta appenders do
     * not lose updates. Turns OTLP delta sums and histograms into cumulative series.
     */
    public int appendDelta(long timestampMs, double delta) {
        return append(timestampMs, delta, SampleRings.MODE_DELTA, true);
    }

    /**
     * Appends a Prometheus staleness marker (OTLP NoRecordedValue) to the series named by
     * {@link #labels()}; no-op for an unknown series, which returns {@link AppendResult#DUPLICATE}
     * ("ignored, not an error") and is not counted.
     */
    public int appendStale(long timestampMs) {
        return append(timestampMs, StaleMarker.VALUE, SampleRings.MODE_VALUE, false);
    }

    /** Publishes the set of metric names touched since the last commit to the store's listeners. */
    public void commit() {
        if (touchedMetricNames.size() > 0) {
            store.notifyListeners(touchedMetricNames.elements(), touchedMetricNames.size());
            touchedMetricNames.clear();
        }
    }

    private int append(long timestampMs, double value, int mode, boolean create) {
        if (store.isClosed()) {
            throw new IllegalStateException("cannot append: the store is closed");
        }
        labels.canonicalize();
        long now = store.nowMs();
        Series s = predicted();
        if (s == null) {
            s = store.registry().lookup(labels);
        }
        while (true) {
            if (s == null) {
                if (!create) {
                    return AppendResult.DUPLICATE;
                }
                if (timestampMs < now - store.config().retentionMs()) {
                    return store.count(AppendResult.TOO_OLD);
                }
                s = store.getOrCreate(labels, now);
                if (s == null) {
                    return store.count(AppendResult.SERIES_LIMIT);
                }
            }
            int result = store.rings().append(s.ref, s.generation, timestampMs, value, mode, now);
            if (result == SampleRings.DEAD) {
                // Removed by retention meanwhile: the locked path cannot see the dead series again.
                s = null;
                continue;
            }
            if (result == AppendResult.APPENDED && s.metricNameSymbol >= 0) {
                touchedMetricNames.add(s.metricNameSymbol);
            }
            Series p = previous;
            if (p != null && p.nextHint != s) {
                p.nextHint = s;
            }
            previous = s;
            return store.count(result);
        }
    }

    /**
     * The series that followed the previous one last time, if it has exactly this label set. It may have
     * been removed meanwhile: the ring's generation check then reports it dead and the append re-resolves.
     */
    private Series predicted() {
        Series p = previous;
        Series guess = p == null ? null : p.nextHint;
        return guess != null && guess.hash == labels.hash() && labels.sameAs(guess.key) ? guess : null;
    }
}
