package dev.kedaotel.tsdb;

/**
 * The heap side of one live series: its identity (ref, generation), registry key and {@link Labels}.
 * Immutable; created once by the store under its write lock and published through the registry with release semantics. The mutable state (ring slot, head, last
 * timestamp, writer lock, liveness) is off-heap in {@link SampleRings}, addressed by (ref, generation).
 */
final class Series {
    final int ref;
    /** Unique per creation; the header holds it while this series owns the ref, 0 once removed. */
    final int generation;
    final int hash;
    /** Canonical key: name0, value0, name1, value1, ... sorted by name symbol. */
    final int[] key;
    final Labels labels;
    /** Symbol of the {@code __name__} value, or -1 for a series without a metric name. */
    final int metricNameSymbol;
    /**
     * The series some appender wrote right after this one last time: exporters send their series in the
     * same order every time, so it predicts the next lookup and saves the registry probe (see
     * {@link Appender}). A plain, racy hint: any thread may overwrite it, a stale or wrong value only
     * costs a failed comparison, and the fields it leads to are final (safely published).
     */
    Series nextHint;

    Series(int ref, int generation, int hash, int[] key, Labels labels, int metricNameSymbol) {
        this.ref = ref;
        this.generation = generation;
        this.hash = hash;
        this.key = key;
        this.labels = labels;
        this.metricNameSymbol = metricNameSymbol;
    }

    /** The value symbol of label {@code nameSymbol}, or {@link SymbolTable#EMPTY} when absent. */
    int valueOf(int nameSymbol) {
        int lo = 0;
        int hi = (key.length >> 1) - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int n = key[mid << 1];
            if (n == nameSymbol) {
                return key[(mid << 1) + 1];
            }
            if (n < nameSymbol) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return SymbolTable.EMPTY;
    }
}
