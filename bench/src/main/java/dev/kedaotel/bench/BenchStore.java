package dev.kedaotel.bench;

import dev.kedaotel.model.TimeSource;

import dev.kedaotel.tsdb.Appender;
import dev.kedaotel.tsdb.LabelSetBuilder;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.SymbolTable;
import dev.kedaotel.tsdb.TimeSeriesStore;

/**
 * A store for in-process benchmarks with a hand-advanced clock and the same series shape as
 * {@link OtlpRequests}: {@code bench_requests_total{pod="pod-<i mod 1000>", series="s<i>"}}.
 */
final class BenchStore implements AutoCloseable {
    final TimeSeriesStore store;
    final int[] nameSym = new int[3];
    final int[] podValue;
    final int[] seriesValue;
    /** The store's clock; benchmarks move it forward with their timestamps. */
    volatile long nowMs = 1_700_000_000_000L;

    BenchStore(int series, int maxSamplesPerSeries) {
        store = new TimeSeriesStore(StoreConfig.builder()
                .maxSeries(Math.max(1_000_000, series * 2))
                .maxSamplesPerSeries(maxSamplesPerSeries)
                .time(TimeSource.wallClock(() -> nowMs))
                .build());
        SymbolTable sym = store.symbols();
        int metric = sym.intern(OtlpRequests.METRIC);
        nameSym[0] = sym.intern("__name__");
        nameSym[1] = sym.intern("pod");
        nameSym[2] = sym.intern("series");
        podValue = new int[series];
        seriesValue = new int[series];
        for (int i = 0; i < series; i++) {
            podValue[i] = sym.intern("pod-" + (i % 1000));
            seriesValue[i] = sym.intern("s" + i);
        }
        this.metricValue = metric;
    }

    final int metricValue;

    /** Fills the appender's label set with series {@code i}. */
    void labels(Appender a, int i) {
        LabelSetBuilder l = a.labels();
        l.clear();
        l.add(nameSym[0], metricValue);
        l.add(nameSym[1], podValue[i]);
        l.add(nameSym[2], seriesValue[i]);
    }

    /** Appends {@code samples} samples, {@code stepMs} apart, to each series (creating them). */
    void fill(int samples, long stepMs) {
        Appender a = store.newAppender();
        for (int k = 0; k < samples; k++) {
            for (int i = 0; i < podValue.length; i++) {
                labels(a, i);
                a.append(nowMs, i + k);
            }
            a.commit();
            nowMs += stepMs;
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
