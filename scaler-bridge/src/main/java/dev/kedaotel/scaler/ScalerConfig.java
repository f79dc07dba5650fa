package dev.kedaotel.scaler;

import dev.kedaotel.model.TimeSource;

/**
 * Settings of {@link ExternalScalerService}. Immutable; build with {@link #builder()}.
 */
public final class ScalerConfig {
    private final double valueIfNotFound;
    private final boolean errorIfNotFound;
    private final long resendIntervalMs;
    private final long retentionMs;
    private final long idleTimeoutMs;
    private final boolean streamMetricSpecEnabled;
    private final dev.kedaotel.model.OtlpTranslationStrategy translationStrategy;
    private final String namespaceLabel;
    private final TimeSource time;
    private final WarmUp warmUp;

    private ScalerConfig(Builder b) {
        this.valueIfNotFound = b.valueIfNotFound;
        this.errorIfNotFound = b.errorIfNotFound;
        this.resendIntervalMs = b.resendIntervalMs;
        this.retentionMs = b.retentionMs;
        this.idleTimeoutMs = b.idleTimeoutMs;
        this.streamMetricSpecEnabled = b.streamMetricSpecEnabled;
        this.namespaceLabel = b.namespaceLabel;
        this.translationStrategy = b.translationStrategy;
        this.time = b.time;
        this.warmUp = b.warmUp;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Value reported when no fresh series matches ({@code METRIC_STORE_VALUE_IF_NOT_FOUND}); never clamped. */
    public double valueIfNotFound() {
        return valueIfNotFound;
    }

    /** Answer NOT_FOUND instead of {@link #valueIfNotFound()} ({@code METRIC_STORE_ERROR_IF_NOT_FOUND}), so KEDA's fallback applies. */
    public boolean errorIfNotFound() {
        return errorIfNotFound;
    }

    /**
     * StreamIsActive re-sends the current answer this often; 0 sends only on change. Set from
     * {@code IS_ACTIVE_POLLING_INTERVAL_MS} only when the user sets it.
     */
    public long resendIntervalMs() {
        return resendIntervalMs;
    }

    /** The kedify operationOverTime window ({@code METRIC_STORE_RETENTION_SECONDS}). */
    public long retentionMs() {
        return retentionMs;
    }

    /** A ScaledObject not asked about for this long, and with no open stream, is forgotten. */
    public long idleTimeoutMs() {
        return idleTimeoutMs;
    }

    /** When false StreamMetricSpec answers UNIMPLEMENTED, which makes KEDA stop trying. */
    public boolean streamMetricSpecEnabled() {
        return streamMetricSpecEnabled;
    }

    /**
     * Tenancy ({@code SCALED_OBJECT_NAMESPACE_LABEL}): the label whose value must equal a ScaledObject's
     * namespace for its query to see a series; every selector of the compiled query gets that matcher
     * (see {@link ScalerQueryCompiler}). Empty: off, queries see every series.
     */
    public String namespaceLabel() {
        return namespaceLabel;
    }

    /** Whether {@link #namespaceLabel()} is set. */
    public boolean tenancy() {
        return !namespaceLabel.isEmpty();
    }

    /** The service's time source (the composition root's). */
    public TimeSource time() {
        return time;
    }

    /**
     * The warm-up gate: answers computed before the window held all a query reads are withheld
     * (UNAVAILABLE, or nothing sent on a stream). {@link WarmUp#NONE} by default.
     */
    public WarmUp warmUp() {
        return warmUp;
    }

    /** How the receiver names OTLP metrics, so kedify-syntax queries find them ({@code OTLP_TRANSLATION_STRATEGY}). */
    public dev.kedaotel.model.OtlpTranslationStrategy translationStrategy() {
        return translationStrategy;
    }

    public static final class Builder {
        private double valueIfNotFound = 0;
        private boolean errorIfNotFound = false;
        private long resendIntervalMs = 0;
        private long retentionMs = 120_000;
        private long idleTimeoutMs = 600_000;
        private boolean streamMetricSpecEnabled = true;
        private String namespaceLabel = "";
        private TimeSource time = TimeSource.system();
        private WarmUp warmUp = WarmUp.NONE;
        private dev.kedaotel.model.OtlpTranslationStrategy translationStrategy = dev.kedaotel.model.OtlpTranslationStrategy.KEDIFY_COMPATIBLE;

        public Builder translationStrategy(dev.kedaotel.model.OtlpTranslationStrategy v) {
            translationStrategy = java.util.Objects.requireNonNull(v, "translationStrategy");
            return this;
        }

        public Builder valueIfNotFound(double v) {
            valueIfNotFound = v;
            return this;
        }

        public Builder errorIfNotFound(boolean v) {
            errorIfNotFound = v;
            return this;
        }

        public Builder resendIntervalMs(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("resendIntervalMs must be >= 0, got " + v);
            }
            resendIntervalMs = v;
            return this;
        }

        public Builder retentionMs(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("retentionMs must be positive, got " + v);
            }
            retentionMs = v;
            return this;
        }

        public Builder idleTimeoutMs(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("idleTimeoutMs must be positive, got " + v);
            }
            idleTimeoutMs = v;
            return this;
        }

        public Builder streamMetricSpecEnabled(boolean v) {
            streamMetricSpecEnabled = v;
            return this;
        }

        /**
         * @param v a Prometheus label name such as {@code k8s_namespace_name}, or "" (off)
         * @throws IllegalArgumentException saying why {@code v} cannot be a label name
         */
        public Builder namespaceLabel(String v) {
            java.util.Objects.requireNonNull(v, "namespaceLabel");
            if (!v.isEmpty()) {
                dev.kedaotel.query.ast.SelectorScope.checkLabelName(v);
            }
            namespaceLabel = v;
            return this;
        }

        public Builder time(TimeSource v) {
            time = java.util.Objects.requireNonNull(v, "time");
            return this;
        }

        public Builder warmUp(WarmUp v) {
            warmUp = java.util.Objects.requireNonNull(v, "warmUp");
            return this;
        }

        public ScalerConfig build() {
            return new ScalerConfig(this);
        }
    }
}
