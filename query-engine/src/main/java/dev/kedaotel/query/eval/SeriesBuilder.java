package dev.kedaotel.query.eval;

import dev.kedaotel.query.QueryResult;
import dev.kedaotel.model.Labels;

import java.util.Arrays;

/** Accumulates one output series of a range query or subquery. */
final class SeriesBuilder {
    final Labels labels;
    long[] ts = new long[16];
    double[] values = new double[16];
    int size;

    SeriesBuilder(Labels labels) {
        this.labels = labels;
    }

    void add(long t, double v) {
        if (size == ts.length) {
            ts = Arrays.copyOf(ts, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        ts[size] = t;
        values[size] = v;
        size++;
    }

    QueryResult.Series build() {
        return new QueryResult.Series(labels, Arrays.copyOf(ts, size), Arrays.copyOf(values, size));
    }
}
