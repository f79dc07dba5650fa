package dev.kedaotel.query;

import dev.kedaotel.model.TimeSource;

/** Settings of a {@link QueryEngine}. Immutable; build with {@link #builder()}. */
public final class EngineConfig {
    private final long lookbackDeltaMs;
    private final long maxSamples;
    private final long timeoutMs;
    private final long defaultSubqueryStepMs;
    private final int parseCacheSize;
    private final TimeSource time;

    private EngineConfig(Builder b) {
        this.lookbackDeltaMs = b.lookbackDeltaMs;
        this.maxSamples = b.maxSamples;
        this.timeoutMs = b.timeoutMs;
        this.time = b.time;
        this.defaultSubqueryStepMs = b.defaultSubqueryStepMs;
        this.parseCacheSize = b.parseCacheSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static EngineConfig defaults() {
        return builder().build();
    }

    /** How far back an instant selector looks for the latest sample (Prometheus' --query.lookback-delta). */
    public long lookbackDeltaMs() {
        return lookbackDeltaMs;
    }

    /** Most samples one query may hold in memory at once (Prometheus' --query.max-samples). */
    public long maxSamples() {
        return maxSamples;
    }

    /** The clock of query deadlines ({@link TimeSource#monotonicNanos()}); the composition root's. */
    public TimeSource time() {
        return time;
    }

    /** Default evaluation deadline (Prometheus' --query.timeout). */
    public long timeoutMs() {
        return timeoutMs;
    }

    /** Step of a subquery written without one, e.g. {@code x[5m:]} (Prometheus' global evaluation interval). */
    public long defaultSubqueryStepMs() {
        return defaultSubqueryStepMs;
    }

    /** How many parsed query strings are kept. */
    public int parseCacheSize() {
        return parseCacheSize;
    }

    public static final class Builder {
        private long lookbackDeltaMs = 300_000;
        private long maxSamples = 50_000_000;
        private long timeoutMs = 120_000;
        private long defaultSubqueryStepMs = 60_000;
        private int parseCacheSize = 1024;
        private TimeSource time = TimeSource.system();

        public Builder time(TimeSource v) {
            time = java.util.Objects.requireNonNull(v, "time");
            return this;
        }

        public Builder lookbackDeltaMs(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("lookback delta must be positive, got " + v + " ms");
            }
            lookbackDeltaMs = v;
            return this;
        }

        public Builder maxSamples(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxSamples must be positive, got " + v);
            }
            maxSamples = v;
            return this;
        }

        public Builder timeoutMs(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("timeout must be positive, got " + v + " ms");
            }
            timeoutMs = v;
            return this;
        }

        public Builder defaultSubqueryStepMs(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("default subquery step must be positive, got " + v + " ms");
            }
            defaultSubqueryStepMs = v;
            return this;
        }

        public Builder parseCacheSize(int v) {
            parseCacheSize = Math.max(0, v);
            return this;
        }

        public EngineConfig build() {
            return new EngineConfig(this);
        }
    }
}
