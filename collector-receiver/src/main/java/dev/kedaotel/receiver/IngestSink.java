package dev.kedaotel.receiver;

import dev.kedaotel.tsdb.Appender;

/**
 * Where the mapper writes: symbol interning plus a label-set-then-append protocol, mirroring the tsdb
 * {@code Appender} one to one (production uses {@link StoreSink}). Kept as an interface so the mapping
 * can be exercised without a store, and so the one thread that owns a sink is explicit: a sink is used
 * by exactly one ingest worker thread.
 *
 * <p>Contract of the label calls: {@link #clearLabels()}, then {@link #addLabel} pairs (a name added
 * twice keeps the later value; empty values are dropped), then one append for that label set.
 *
 * <p>Handles (optional, see {@link #appendsByHandle()}): after a label-set append, {@link #lastHandle()}
 * names the series it resolved to; the mapper remembers it in its {@link SeriesCache} and appends the
 * next sample of the same series with {@link #appendTo} and friends, which return {@link #HANDLE_DEAD}
 * when the series is gone and the label path must be taken again.
 */
public interface IngestSink {
    /** Returned by the handle appends when the handle's series no longer exists. */
    int HANDLE_DEAD = Appender.HANDLE_DEAD;

    int internUtf8(byte[] buf, int off, int len);

    int intern(String s);

    String symbol(int id);

    void clearLabels();

    void addLabel(int nameSymbol, int valueSymbol);

    /** Returns an {@code AppendResult} code. */
    int append(long timestampMs, double value);

    /** Appends latest value + delta (a new series starts from 0); returns an {@code AppendResult} code. */
    int appendDelta(long timestampMs, double delta);

    /** Appends a staleness marker; returns an {@code AppendResult} code. */
    int appendStale(long timestampMs);

    /** Whether this sink implements the handle methods below; without them the mapper uses labels only. */
    default boolean appendsByHandle() {
        return false;
    }

    /** Handle of the series the last label-set append resolved to; negative when none. */
    default long lastHandle() {
        return -1;
    }

    /** Appends to the series of {@code handle}; an {@code AppendResult} code or {@link #HANDLE_DEAD}. */
    default int appendTo(long handle, long timestampMs, double value) {
        throw new UnsupportedOperationException("this sink does not append by handle");
    }

    /** {@link #appendDelta} to the series of {@code handle}; an {@code AppendResult} code or {@link #HANDLE_DEAD}. */
    default int appendDeltaTo(long handle, long timestampMs, double delta) {
        throw new UnsupportedOperationException("this sink does not append by handle");
    }

    /** {@link #appendStale} to the series of {@code handle}; an {@code AppendResult} code or {@link #HANDLE_DEAD}. */
    default int appendStaleTo(long handle, long timestampMs) {
        throw new UnsupportedOperationException("this sink does not append by handle");
    }

    /**
     * Most attributes a data point may carry; the store's label limits (checked by the mapper before it
     * interns anything, so an oversized label never reaches the symbol table). No limit by default.
     */
    default int maxLabelsPerSeries() {
        return Integer.MAX_VALUE;
    }

    /** Longest attribute key, in UTF-8 bytes (see {@link #maxLabelsPerSeries()}). */
    default int maxLabelNameLength() {
        return Integer.MAX_VALUE;
    }

    /** Longest attribute value or metric name, in UTF-8 bytes (see {@link #maxLabelsPerSeries()}). */
    default int maxLabelValueLength() {
        return Integer.MAX_VALUE;
    }

    /**
     * How long the sink keeps a series that gets no samples (the store's retention): state a caller keeps
     * per series across points (the exponential histograms' grids) starts over after such a gap, as the
     * series does. Unbounded by default.
     */
    default long retentionMs() {
        return Long.MAX_VALUE;
    }

    /**
     * Interns a constant of the caller (a label name like {@code le}, a value like {@code +Inf}) that
     * stays valid for the sink's lifetime, however long no series uses it.
     */
    default int internPermanent(String s) {
        return intern(s);
    }

    /**
     * Changes whenever the sink's symbol table freed symbols (see the tsdb's {@code SymbolTable}): a caller
     * that caches symbol ids (other than {@link #internPermanent} ones) drops them when it changed.
     */
    default long symbolsFreed() {
        return 0;
    }

    /** Called once per request after all its points. */
    void commit();
}
