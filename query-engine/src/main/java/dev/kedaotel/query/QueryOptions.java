package dev.kedaotel.query;

/**
 * Per-query overrides of the engine's {@link EngineConfig}; zero means "use the engine's value".
 * Immutable; build with {@link #builder()}.
 */
public final class QueryOptions {
    public static final QueryOptions DEFAULT = builder().build();

    private final long timeoutMs;
    private final long maxSamples;
    private final long lookbackDeltaMs;

    private QueryOptions(Builder b) {
        this.timeoutMs = b.timeoutMs;
        this.maxSamples = b.maxSamples;
        this.lookbackDeltaMs = b.lookbackDeltaMs;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Deadline of this query counted from its start, or 0 for the engine default. */
    public long timeoutMs() {
        return timeoutMs;
    }

    public long maxSamples() {
        return maxSamples;
    }

    public long lookbackDeltaMs() {
        return lookbackDeltaMs;
    }

    public static final class Builder {
        private long timeoutMs;
        private long maxSamples;
        private long lookbackDeltaMs;

        public Builder timeoutMs(long v) {
            timeoutMs = Math.max(0, v);
            return this;
        }

        public Builder maxSamples(long v) {
            maxSamples = Math.max(0, v);
            return this;
        }

        public Builder lookbackDeltaMs(long v) {
            lookbackDeltaMs = Math.max(0, v);
            return this;
        }

        public QueryOptions build() {
            return new QueryOptions(this);
        }
    }
}
