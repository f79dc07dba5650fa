package dev.kedaotel.receiver;

/**
 * Where the mapper writes: symbol interning plus a label-set-then-append protocol, mirroring the tsdb
 * {@code Appender} one to one (production uses {@link StoreSink}). Kept as an interface so the mapping
 * can be exercised without a store, and so the one thread that owns a sink is explicit: a sink is used
 * by exactly one ingest worker thread.
 *
 * <p>Contract of the label calls: {@link #clearLabels()}, then {@link #addLabel} pairs (a name added
 * twice keeps the later value; empty values are dropped), then one append for that label set.
 */
public interface IngestSink {
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

    /** Called once per request after all its points. */
    void commit();
}
