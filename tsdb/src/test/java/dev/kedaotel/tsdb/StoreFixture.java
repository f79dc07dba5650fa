package dev.kedaotel.tsdb;

import dev.kedaotel.model.TimeSource;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Small helpers shared by the store tests: a settable clock and string-based appends. */
final class StoreFixture implements AutoCloseable {
    final AtomicLong clock;
    final TimeSeriesStore store;
    final Appender appender;

    StoreFixture(long nowMs, StoreConfig.Builder config) {
        clock = new AtomicLong(nowMs);
        store = new TimeSeriesStore(config.time(TimeSource.wallClock(clock::get)).build());
        appender = store.newAppender();
    }

    static StoreFixture withDefaults(long nowMs) {
        return new StoreFixture(nowMs, StoreConfig.builder());
    }

    /** Fills the appender's builder from alternating name, value strings. */
    void labels(String... nameValues) {
        setLabels(store, appender, nameValues);
    }

    static void setLabels(TimeSeriesStore store, Appender appender, String... nameValues) {
        LabelSetBuilder b = appender.labels();
        b.clear();
        for (int i = 0; i < nameValues.length; i += 2) {
            b.add(store.symbols().intern(nameValues[i]), store.symbols().intern(nameValues[i + 1]));
        }
    }

    int append(long ts, double v, String... nameValues) {
        labels(nameValues);
        return appender.append(ts, v);
    }

    /** The single series matching the label set exactly (by its metric name and all labels). */
    int ref(String... nameValues) {
        Labels want = Labels.of(nameValues);
        IntList refs = new IntList();
        store.select(List.of(LabelMatcher.eq(Labels.METRIC_NAME, want.metricName())), refs);
        for (int i = 0; i < refs.size(); i++) {
            if (want.equals(store.labels(refs.get(i)))) {
                return refs.get(i);
            }
        }
        return -1;
    }

    void commit() {
        appender.commit();
    }

    SampleBuffer readAll(int ref) {
        SampleBuffer out = new SampleBuffer();
        store.read(ref, Long.MIN_VALUE, Long.MAX_VALUE, out);
        return out;
    }

    @Override
    public void close() {
        store.close();
    }
}
