package dev.kedaotel.tsdb;

import dev.kedaotel.model.TimeSource;

/**
 * Settings of a {@link TimeSeriesStore}. Immutable; build with {@link #builder()}.
 */
public final class StoreConfig {
    private final long retentionMs;
    private final int maxSeries;
    private final int maxSamplesPerSeries;
    private final long reuseGraceMs;
    private final TimeSource time;

    private StoreConfig(Builder b) {
        this.retentionMs = b.retentionMs;
        this.maxSeries = b.maxSeries;
        this.maxSamplesPerSeries = b.maxSamplesPerSeries;
        this.reuseGraceMs = b.reuseGraceMs;
        this.time = b.time;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Samples older than now minus this are dropped; series with no sample inside it are removed. */
    public long retentionMs() {
        return retentionMs;
    }

    /** Hard cap on live series; appends that would create more get {@link AppendResult#SERIES_LIMIT}. */
    public int maxSeries() {
        return maxSeries;
    }

    /** Upper bound of one series' ring; a series pushed faster keeps only its newest samples. */
    public int maxSamplesPerSeries() {
        return maxSamplesPerSeries;
    }

    /** How long a removed series' id and ring memory stay unused before reuse, so in-flight readers finish. */
    public long reuseGraceMs() {
        return reuseGraceMs;
    }

    /** The service's time source (given by the composition root; tests inject a manual one). */
    public TimeSource time() {
        return time;
    }

    public static final class Builder {
        private long retentionMs = 120_000;
        private int maxSeries = 1_000_000;
        private int maxSamplesPerSeries = 4096;
        private long reuseGraceMs = 10_000;
        private TimeSource time = TimeSource.system();

        public Builder retentionMs(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("retention must be positive, got " + v + " ms");
            }
            retentionMs = v;
            return this;
        }

        public Builder maxSeries(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxSeries must be positive, got " + v);
            }
            maxSeries = v;
            return this;
        }

        public Builder maxSamplesPerSeries(int v) {
            if (v < 4) {
                throw new IllegalArgumentException("maxSamplesPerSeries must be at least 4, got " + v);
            }
            maxSamplesPerSeries = v;
            return this;
        }

        public Builder reuseGraceMs(long v) {
            reuseGraceMs = Math.max(0, v);
            return this;
        }

        public Builder time(TimeSource v) {
            time = java.util.Objects.requireNonNull(v, "time");
            return this;
        }

        public StoreConfig build() {
            return new StoreConfig(this);
        }
    }
}
