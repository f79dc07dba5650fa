package dev.kedaotel.bench;

import java.util.Arrays;

/** Collects latencies in nanoseconds (one recorder per thread, merged at the end) and reports quantiles. */
public final class Percentiles {
    private long[] values = new long[1 << 16];
    private int size;

    public void record(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    public void addAll(Percentiles other) {
        for (int i = 0; i < other.size; i++) {
            record(other.values[i]);
        }
    }

    public int count() {
        return size;
    }

    /** Quantile {@code q} (0..1) in nanoseconds, nearest-rank; NaN when empty. */
    public double quantileNanos(double q) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, rank))];
    }

    /** "p50=… p99=… max=… (n=…)" in milliseconds. */
    public String summaryMs() {
        return String.format("p50=%.3f ms p99=%.3f ms max=%.3f ms (n=%d)",
                quantileNanos(0.50) / 1e6, quantileNanos(0.99) / 1e6, quantileNanos(1.0) / 1e6, size);
    }
}
