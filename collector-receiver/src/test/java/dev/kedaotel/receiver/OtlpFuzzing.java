package dev.kedaotel.receiver;

import dev.kedaotel.model.TimeSource;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.TimeSeriesStore;

/**
 * What the OTLP fuzz targets share: a real {@link TimeSeriesStore} (bounded: 20k series, 10 min window on a
 * fixed clock) behind a {@link StoreSink} that counts appends, so a target can check that a rejected
 * request stored nothing. The store is replaced every {@link #RENEW_EVERY} inputs to keep memory flat over
 * long runs.
 */
final class OtlpFuzzing {
    static final long NOW_MS = Otlp.T0_MS + 60_000;
    private static final int RENEW_EVERY = 50_000;

    private TimeSeriesStore store;
    private CountingSink sink;
    private OtlpIngestor ingestor;
    private int uses;

    OtlpIngestor ingestor() {
        if (ingestor == null || ++uses % RENEW_EVERY == 0) {
            if (store != null) {
                store.close();
            }
            store = new TimeSeriesStore(StoreConfig.builder().retentionMs(600_000).maxSeries(20_000)
                    .time(TimeSource.wallClock(() -> NOW_MS)).build());
            sink = new CountingSink(new StoreSink(store));
            CountingSink s = sink;
            // A small cache, so that slot collisions and replacements happen within a short run.
            ingestor = new OtlpIngestor(ReceiverConfig.builder().seriesCacheSlots(256).build(), new ReceiverStats(),
                    () -> s, TimeSource.wallClock(() -> NOW_MS));
        }
        sink.appends = 0;
        return ingestor;
    }

    /** Appends (of any kind) since the last {@link #ingestor()} call. */
    long appends() {
        return sink.appends;
    }

    /** Delegates everything to a {@link StoreSink}, counting appends. One thread only. */
    private static final class CountingSink implements IngestSink {
        private final StoreSink d;
        long appends;

        CountingSink(StoreSink d) {
            this.d = d;
        }

        @Override
        public int internUtf8(byte[] buf, int off, int len) {
            return d.internUtf8(buf, off, len);
        }

        @Override
        public int intern(String s) {
            return d.intern(s);
        }

        @Override
        public String symbol(int id) {
            return d.symbol(id);
        }

        @Override
        public void clearLabels() {
            d.clearLabels();
        }

        @Override
        public void addLabel(int nameSymbol, int valueSymbol) {
            d.addLabel(nameSymbol, valueSymbol);
        }

        @Override
        public int append(long timestampMs, double value) {
            appends++;
            return d.append(timestampMs, value);
        }

        @Override
        public int appendDelta(long timestampMs, double delta) {
            appends++;
            return d.appendDelta(timestampMs, delta);
        }

        @Override
        public int appendStale(long timestampMs) {
            appends++;
            return d.appendStale(timestampMs);
        }

        @Override
        public boolean appendsByHandle() {
            return d.appendsByHandle();
        }

        @Override
        public long lastHandle() {
            return d.lastHandle();
        }

        @Override
        public int appendTo(long handle, long timestampMs, double value) {
            appends++;
            return d.appendTo(handle, timestampMs, value);
        }

        @Override
        public int appendDeltaTo(long handle, long timestampMs, double delta) {
            appends++;
            return d.appendDeltaTo(handle, timestampMs, delta);
        }

        @Override
        public int appendStaleTo(long handle, long timestampMs) {
            appends++;
            return d.appendStaleTo(handle, timestampMs);
        }

        @Override
        public void commit() {
            d.commit();
        }
    }
}
