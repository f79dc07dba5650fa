package dev.kedaotel.tsdb;

/**
 * Told which metric names changed, after an {@link Appender#commit()} or after retention removed
 * series or samples. Called on the committing (ingest) thread or the retention thread: implementations
 * must be quick and must not block (mark dirty and hand off). The array is reused by the caller: read
 * the first {@code count} entries before returning, do not keep it.
 */
@FunctionalInterface
public interface ChangeListener {
    void metricsChanged(int[] metricNameSymbols, int count);
}
