package dev.kedaotel.receiver;

import dev.kedaotel.tsdb.Appender;
import dev.kedaotel.tsdb.LabelSetBuilder;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.SymbolTable;
import dev.kedaotel.tsdb.TimeSeriesStore;

/**
 * The production {@link IngestSink}: one tsdb {@link Appender} (one per ingest thread) plus the store's
 * shared {@link SymbolTable}. A thin pass-through with no state of its own.
 */
final class StoreSink implements IngestSink {
    private final SymbolTable symbols;
    private final Appender appender;
    private final LabelSetBuilder labels;
    private final StoreConfig config;

    StoreSink(TimeSeriesStore store) {
        this.config = store.config();
        this.symbols = store.symbols();
        this.appender = store.newAppender();
        this.labels = appender.labels();
    }

    @Override
    public int internUtf8(byte[] buf, int off, int len) {
        return symbols.internUtf8(buf, off, len);
    }

    @Override
    public int intern(String s) {
        return symbols.intern(s);
    }

    @Override
    public int internPermanent(String s) {
        return symbols.internPermanent(s);
    }

    @Override
    public long symbolsFreed() {
        return symbols.freedCount();
    }

    @Override
    public String symbol(int id) {
        return symbols.symbol(id);
    }

    @Override
    public void clearLabels() {
        labels.clear();
    }

    @Override
    public void addLabel(int nameSymbol, int valueSymbol) {
        labels.add(nameSymbol, valueSymbol);
    }

    @Override
    public int append(long timestampMs, double value) {
        return appender.append(timestampMs, value);
    }

    @Override
    public int appendDelta(long timestampMs, double delta) {
        return appender.appendDelta(timestampMs, delta);
    }

    @Override
    public int appendStale(long timestampMs) {
        return appender.appendStale(timestampMs);
    }

    @Override
    public boolean appendsByHandle() {
        return true;
    }

    @Override
    public long lastHandle() {
        return appender.lastHandle();
    }

    @Override
    public int appendTo(long handle, long timestampMs, double value) {
        return appender.appendTo(handle, timestampMs, value);
    }

    @Override
    public int appendDeltaTo(long handle, long timestampMs, double delta) {
        return appender.appendDeltaTo(handle, timestampMs, delta);
    }

    @Override
    public int appendStaleTo(long handle, long timestampMs) {
        return appender.appendStaleTo(handle, timestampMs);
    }

    @Override
    public long retentionMs() {
        return config.retentionMs();
    }

    @Override
    public int maxLabelsPerSeries() {
        return config.maxLabelsPerSeries();
    }

    @Override
    public int maxLabelNameLength() {
        return config.maxLabelNameLength();
    }

    @Override
    public int maxLabelValueLength() {
        return config.maxLabelValueLength();
    }

    @Override
    public void commit() {
        appender.commit();
    }
}
