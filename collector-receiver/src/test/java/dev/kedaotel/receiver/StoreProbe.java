package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kedaotel.tsdb.IntList;
import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;
import dev.kedaotel.tsdb.SampleBuffer;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.TimeSeriesStore;
import java.util.ArrayList;
import java.util.List;

/** A real TimeSeriesStore plus read helpers for end-to-end assertions. */
final class StoreProbe implements AutoCloseable {
    final TimeSeriesStore store = new TimeSeriesStore(StoreConfig.builder().retentionMs(600_000).build());

    /** Refs of the series with this metric name and these label values (others may exist). */
    List<Integer> find(String metric, String... labels) {
        return find(store, metric, labels);
    }

    /** {@link #find(String, String...)} over any store. */
    static List<Integer> find(TimeSeriesStore store, String metric, String... labels) {
        List<LabelMatcher> matchers = new ArrayList<>();
        matchers.add(LabelMatcher.eq(Labels.METRIC_NAME, metric));
        for (int i = 0; i < labels.length; i += 2) {
            matchers.add(LabelMatcher.eq(labels[i], labels[i + 1]));
        }
        IntList out = new IntList();
        store.select(matchers, out);
        List<Integer> refs = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            refs.add(out.get(i));
        }
        return refs;
    }

    /** The one series matching; fails when there is not exactly one. */
    int one(String metric, String... labels) {
        List<Integer> refs = find(metric, labels);
        assertEquals(1, refs.size(), () -> "series matching " + metric + " " + String.join(",", labels) + ": "
                + refs.stream().map(store::labels).toList());
        return refs.get(0);
    }

    List<Double> values(String metric, String... labels) {
        SampleBuffer buf = new SampleBuffer();
        store.read(one(metric, labels), Long.MIN_VALUE, Long.MAX_VALUE, buf);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < buf.size(); i++) {
            out.add(buf.value(i));
        }
        return out;
    }

    double last(String metric, String... labels) {
        List<Double> v = values(metric, labels);
        if (v.isEmpty()) {
            throw new AssertionError("no samples for " + metric);
        }
        return v.get(v.size() - 1);
    }

    Labels labels(String metric, String... labels) {
        return store.labels(one(metric, labels));
    }

    @Override
    public void close() {
        store.close();
    }
}
