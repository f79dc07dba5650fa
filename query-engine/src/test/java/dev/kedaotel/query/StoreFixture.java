package dev.kedaotel.query;

import dev.kedaotel.model.TimeSource;

import dev.kedaotel.tsdb.Appender;
import dev.kedaotel.tsdb.AppendResult;
import dev.kedaotel.tsdb.LabelSetBuilder;
import dev.kedaotel.model.Labels;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.SymbolTable;
import dev.kedaotel.tsdb.TimeSeriesStore;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A real store with a settable clock, and helpers to load samples given in seconds from a base time. */
public final class StoreFixture implements AutoCloseable {
    /** A round base time so that step alignment in tests is easy to reason about. */
    public static final long BASE = 1_700_000_000_000L;

    public final AtomicLong now = new AtomicLong(BASE + 3_600_000);
    public final TimeSeriesStore store;
    private final Appender appender;

    public StoreFixture() {
        store = new TimeSeriesStore(StoreConfig.builder().retentionMs(24 * 3_600_000L).maxLabelValueLength(1 << 20) // tests of long values
                .time(TimeSource.wallClock(now::get)).build());
        appender = store.newAppender();
    }

    /** Time {@code seconds} after {@link #BASE}, in ms. */
    public static long at(double seconds) {
        return BASE + Math.round(seconds * 1000);
    }

    /** Appends (t_i, v_i) for t_i = start + i*step seconds. Labels as name/value pairs, __name__ included. */
    public void series(String[] labels, double startSeconds, double stepSeconds, double... values) {
        for (int i = 0; i < values.length; i++) {
            add(labels, at(startSeconds + i * stepSeconds), values[i]);
        }
    }

    public void add(String[] labels, long timestampMs, double value) {
        setLabels(labels);
        int r = appender.append(timestampMs, value);
        assertEquals(AppendResult.APPENDED, r, "append " + Labels.of(labels) + " @" + timestampMs + ": " + AppendResult.describe(r));
        appender.commit();
    }

    public void stale(String[] labels, long timestampMs) {
        setLabels(labels);
        appender.appendStale(timestampMs);
        appender.commit();
    }

    private void setLabels(String[] labels) {
        SymbolTable symbols = store.symbols();
        LabelSetBuilder b = appender.labels();
        b.clear();
        for (int i = 0; i < labels.length; i += 2) {
            b.add(symbols.intern(labels[i]), symbols.intern(labels[i + 1]));
        }
    }

    public static String[] l(String... nameValues) {
        return nameValues;
    }

    @Override
    public void close() {
        store.close();
    }
}
