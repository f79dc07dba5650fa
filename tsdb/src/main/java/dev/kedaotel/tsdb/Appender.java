package dev.kedaotel.tsdb;

import dev.kedaotel.model.StaleMarker;

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
 *
 * <h2>Handles</h2>
 * A caller that can recognise a series without building its label set (the OTLP receiver's series
 * cache) appends by <em>handle</em>: {@link #resolve()} (or {@link #lastHandle()} after a label-set
 * append) gives an opaque {@code long} naming one series creation, (ref, generation) packed as
 * {@code ref << 32 | generation}; {@link #appendTo} and friends then skip symbol lookups, label building
 * and the registry probe. A handle never names another series: the generation is unique per creation,
 * and the ring checks it under the series' writer lock (the same packing as {@link SeriesRegistry#handle}), so once retention removed the series every
 * handle append returns {@link #HANDLE_DEAD} (also when its ref was reused) and the caller resolves the
 * label set again. Handles are plain values, valid in any appender of the same store.
 */
public final class Appender {
    /**
     * Returned by the handle appends when the handle's series was removed (retention): resolve the label
     * set again. Negative, so it can never be mistaken for an {@link AppendResult} code.
     */
    public static final int HANDLE_DEAD = -1;
    /** {@link #lastHandle()} when the last label-set append resolved to no series. Any negative handle means none. */
    public static final long NO_HANDLE = -1L;

    private final TimeSeriesStore store;
    private final LabelSetBuilder labels = new LabelSetBuilder();
    private final IntSet touchedMetricNames = new IntSet();
    /** The ref of this appender's previous successful append (for the registry's next hint), or -1. */
    private int previous = -1;
    /** Handle of the series the last label-set append resolved to, or {@link #NO_HANDLE}. */
    private long lastHandle = NO_HANDLE;

    private final long maxFutureMs;

    Appender(TimeSeriesStore store) {
        this.store = store;
        this.maxFutureMs = store.config().maxFutureMs();
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

    /**
     * Resolves the series named by {@link #labels()}, creating it (without samples) if needed, and returns
     * its handle; or, when it cannot be created, the negated {@link AppendResult} code
     * ({@code -AppendResult.SERIES_LIMIT}, a label limit, ...). A series created here and never appended to is removed by
     * retention like any idle one.
     */
    public long resolve() {
        checkOpen();
        labels.canonicalize();
        long series = store.registry().lookup(labels);
        if (series == SeriesRegistry.NONE) {
            series = store.getOrCreate(labels, store.nowMs());
            if (series < 0) {
                return -store.count((int) -series);
            }
        }
        return series;
    }

    /**
     * The handle of the series the last {@link #append}, {@link #appendDelta} or {@link #appendStale}
     * resolved to (whatever the sample's outcome), or {@link #NO_HANDLE} when it resolved to none (unknown
     * series for a staleness marker, series limit, a too-old sample for a series that did not exist).
     */
    public long lastHandle() {
        return lastHandle;
    }

    /** {@link #append} to the series of {@code handle}; an {@link AppendResult} code or {@link #HANDLE_DEAD}. */
    public int appendTo(long handle, long timestampMs, double value) {
        return appendTo(handle, timestampMs, value, SampleRings.MODE_VALUE);
    }

    /** {@link #appendDelta} to the series of {@code handle}; an {@link AppendResult} code or {@link #HANDLE_DEAD}. */
    public int appendDeltaTo(long handle, long timestampMs, double delta) {
        return appendTo(handle, timestampMs, delta, SampleRings.MODE_DELTA);
    }

    /** {@link #appendStale} to the series of {@code handle}; an {@link AppendResult} code or {@link #HANDLE_DEAD}. */
    public int appendStaleTo(long handle, long timestampMs) {
        return appendTo(handle, timestampMs, StaleMarker.VALUE, SampleRings.MODE_VALUE);
    }

    private int appendTo(long handle, long timestampMs, double value, int mode) {
        checkOpen();
        if (handle < 0) {
            return HANDLE_DEAD;
        }
        long now = store.nowMs();
        if (timestampMs > now + maxFutureMs) {
            return store.count(AppendResult.TOO_FAR_IN_FUTURE);
        }
        int ref = SeriesRegistry.refOf(handle);
        // The ring compares the generation under the series' writer lock: a removed series, or a later one
        // that reuses the ref, answers DEAD, so no registry read is needed on this path.
        int result = store.rings().append(ref, SeriesRegistry.generationOf(handle), timestampMs, value, mode, now);
        if (result == SampleRings.DEAD) {
            return HANDLE_DEAD;
        }
        if (result == AppendResult.APPENDED) {
            // The series was live at the append and its ref stays quarantined after a removal, so its key
            // is still the one read here.
            int metricName = store.registry().metricNameSymbol(ref);
            if (metricName >= 0) {
                touchedMetricNames.add(metricName);
            }
        }
        return store.count(result);
    }

    private void checkOpen() {
        if (store.isClosed()) {
            throw new IllegalStateException("cannot append: the store is closed");
        }
    }

    private int append(long timestampMs, double value, int mode, boolean create) {
        checkOpen();
        lastHandle = NO_HANDLE;
        long now = store.nowMs();
        if (timestampMs > now + maxFutureMs) {
            // Before resolving: a sample from the future creates no series (and would make every later
            // sample of its series out of order).
            return store.count(AppendResult.TOO_FAR_IN_FUTURE);
        }
        labels.canonicalize();
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
                if (series < 0) {
                    return store.count((int) -series);
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
            lastHandle = series;
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
