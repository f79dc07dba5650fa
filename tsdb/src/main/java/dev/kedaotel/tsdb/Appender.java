package dev.kedaotel.tsdb;

/**
 * The write handle of one ingest thread (or one request): fill {@link #labels()} with a series' label
 * set as symbol ids, append samples, then {@link #commit()} once per request so listeners learn which
 * metric names changed. Not thread-safe; obtain one per thread from {@link TimeSeriesStore#newAppender()}
 * and reuse it. Allocation-free for samples of existing series.
 *
 * <p>Resolution: the builder is canonicalised and compared with the series that followed the previous
 * one last time (the registry's next hint: exporters repeat their order, so this usually hits and
 * skips the registry probe), else looked up lock-free in the registry; an unknown label set is created under
 * the store's write lock. Resolution yields a series handle, (ref, generation) packed in a long
 * ({@link SeriesRegistry#handle}); the ring append checks the generation. If the ring reports the series
 * removed (retention raced with this append) the label set is resolved again under that lock, which
 * re-creates it.
 */
public final class Appender {
    private final TimeSeriesStore store;
    private final LabelSetBuilder labels = new LabelSetBuilder();
    private final IntSet touchedMetricNames = new IntSet();
    /** The ref of this appender's previous successful append (for the registry's next hint), or -1. */
    private int previous = -1;

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
        SeriesRegistry registry = store.registry();
        long series = predicted(registry);
        if (series == SeriesRegistry.NONE) {
            series = registry.lookup(labels);
        }
        while (true) {
            if (series == SeriesRegistry.NONE) {
                if (!create) {
                    return AppendResult.DUPLICATE;
                }
                if (timestampMs < now - store.config().retentionMs()) {
                    return store.count(AppendResult.TOO_OLD);
                }
                series = store.getOrCreate(labels, now);
                if (series == SeriesRegistry.NONE) {
                    return store.count(AppendResult.SERIES_LIMIT);
                }
            }
            int ref = SeriesRegistry.refOf(series);
            int result = store.rings().append(ref, SeriesRegistry.generationOf(series), timestampMs, value, mode, now);
            if (result == SampleRings.DEAD) {
                // Removed by retention meanwhile: the locked path cannot see the dead series again.
                series = SeriesRegistry.NONE;
                continue;
            }
            if (result == AppendResult.APPENDED) {
                int metricName = store.metricNameOf(labels);
                if (metricName >= 0) {
                    touchedMetricNames.add(metricName);
                }
            }
            int p = previous;
            if (p >= 0 && registry.nextHint(p) != ref) {
                registry.setNextHint(p, ref);
            }
            previous = ref;
            return store.count(result);
        }
    }

    /**
     * The series that followed the previous one last time, if it has exactly this label set. It may have
     * been removed meanwhile: the ring's generation check then reports it dead and the append re-resolves.
     */
    private long predicted(SeriesRegistry registry) {
        int p = previous;
        int guess = p < 0 ? -1 : registry.nextHint(p);
        if (guess < 0) {
            return SeriesRegistry.NONE;
        }
        int generation = registry.matchGeneration(guess, labels);
        return generation == 0 ? SeriesRegistry.NONE : SeriesRegistry.handle(guess, generation);
    }
}
