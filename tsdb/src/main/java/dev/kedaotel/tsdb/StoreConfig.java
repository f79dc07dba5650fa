package dev.kedaotel.tsdb;

import dev.kedaotel.model.TimeSource;

/**
 * Settings of a {@link TimeSeriesStore}. Immutable; build with {@link #builder()}.
 */
public final class StoreConfig {
    /** Default of {@link #maxLabelsPerSeries()}: room for OTel's promoted resource labels plus many attributes. */
    public static final int DEFAULT_MAX_LABELS_PER_SERIES = 64;
    /** Default of {@link #maxLabelNameLength()} (Mimir's {@code max_label_name_length}). */
    public static final int DEFAULT_MAX_LABEL_NAME_LENGTH = 1024;
    /** Default of {@link #maxLabelValueLength()} (Mimir's {@code max_label_value_length}). */
    public static final int DEFAULT_MAX_LABEL_VALUE_LENGTH = 2048;
    /** Default of {@link #maxFutureMs()}: 5 minutes of clock skew. */
    public static final long DEFAULT_MAX_FUTURE_MS = 300_000;
    /**
     * Default of {@link #outOfOrderMaxSamplesPerSeries()}: 2 KiB of buffer per series at most; a series
     * exported every second whose every other sample arrives late fills 60 in a 2-minute retention.
     */
    public static final int DEFAULT_OUT_OF_ORDER_MAX_SAMPLES_PER_SERIES = 128;
    /** Default of {@link #outOfOrderMaxSamples()}: 1 Mi samples, 16 MiB of buffer arrays in the whole store. */
    public static final long DEFAULT_OUT_OF_ORDER_MAX_SAMPLES = 1L << 20;

    private final long retentionMs;
    private final int maxSeries;
    private final int maxSamplesPerSeries;
    private final long reuseGraceMs;
    private final long symbolGraceMs;
    private final TimeSource time;
    private final int maxLabelsPerSeries;
    private final int maxLabelNameLength;
    private final int maxLabelValueLength;
    private final int maxSeriesPerMetric;
    private final long maxFutureMs;
    private final long outOfOrderWindowMs;
    private final int outOfOrderMaxSamplesPerSeries;
    private final long outOfOrderMaxSamples;
    private final java.nio.file.Path dataDirectory;
    private final MappedFiles.Allocator fileAllocator;

    private StoreConfig(Builder b) {
        this.dataDirectory = b.dataDirectory;
        this.fileAllocator = b.fileAllocator;
        this.outOfOrderWindowMs = b.outOfOrderWindowMs;
        this.outOfOrderMaxSamplesPerSeries = b.outOfOrderMaxSamplesPerSeries;
        this.outOfOrderMaxSamples = b.outOfOrderMaxSamples;
        this.maxLabelsPerSeries = b.maxLabelsPerSeries;
        this.maxLabelNameLength = b.maxLabelNameLength;
        this.maxLabelValueLength = b.maxLabelValueLength;
        this.maxSeriesPerMetric = b.maxSeriesPerMetric;
        this.maxFutureMs = b.maxFutureMs;
        this.retentionMs = b.retentionMs;
        this.maxSeries = b.maxSeries;
        this.maxSamplesPerSeries = b.maxSamplesPerSeries;
        this.reuseGraceMs = b.reuseGraceMs;
        this.symbolGraceMs = b.symbolGraceMs < 0 ? b.reuseGraceMs : b.symbolGraceMs;
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

    /**
     * How long a symbol no series holds any more stays readable before its id may be reused: label sets
     * handed to a query decode their strings on demand, so this must outlast the longest query (the
     * composition root sets it above the query timeout). Defaults to {@link #reuseGraceMs()}.
     */
    public long symbolGraceMs() {
        return symbolGraceMs;
    }

    /** The service's time source (given by the composition root; tests inject a manual one). */
    public TimeSource time() {
        return time;
    }

    /** Most labels (including {@code __name__}) of a new series; more → {@link AppendResult#TOO_MANY_LABELS}. */
    public int maxLabelsPerSeries() {
        return maxLabelsPerSeries;
    }

    /** Longest label name of a new series, in UTF-8 bytes; longer → {@link AppendResult#LABEL_NAME_TOO_LONG}. */
    public int maxLabelNameLength() {
        return maxLabelNameLength;
    }

    /** Longest label value (metric name included) of a new series, in UTF-8 bytes; longer → {@link AppendResult#LABEL_VALUE_TOO_LONG}. */
    public int maxLabelValueLength() {
        return maxLabelValueLength;
    }

    /**
     * Most live series of one metric name (0 = no limit but {@link #maxSeries()}); appends that would create
     * more get {@link AppendResult#SERIES_PER_METRIC_LIMIT}.
     */
    public int maxSeriesPerMetric() {
        return maxSeriesPerMetric;
    }

    /** How far ahead of the wall clock a sample may be; later ones get {@link AppendResult#TOO_FAR_IN_FUTURE}. */
    public long maxFutureMs() {
        return maxFutureMs;
    }

    /**
     * How far behind its series' newest sample a sample may be and still be stored (in the series'
     * out-of-order buffer, merged into reads in timestamp order); 0 = none, every older sample is
     * {@link AppendResult#OUT_OF_ORDER}. Relative to the series' own newest sample, not to the newest
     * sample of the whole store (Prometheus' head max time): one exporter with a fast clock cannot shrink
     * every other series' window. Default 0 here; the server's default is its setting's.
     */
    public long outOfOrderWindowMs() {
        return outOfOrderWindowMs;
    }

    /** Most out-of-order samples one series buffers; more → {@link AppendResult#OUT_OF_ORDER_FULL}. */
    public int outOfOrderMaxSamplesPerSeries() {
        return outOfOrderMaxSamplesPerSeries;
    }

    /** Most out-of-order samples all series buffer together; more → {@link AppendResult#OUT_OF_ORDER_FULL}. */
    public long outOfOrderMaxSamples() {
        return outOfOrderMaxSamples;
    }

    /**
     * The directory the window persists in (series journal, memory-mapped sample chunks and headers; see
     * docs/architecture.md, "Persistence"), or null: persistence off, everything in anonymous memory.
     */
    public java.nio.file.Path dataDirectory() {
        return dataDirectory;
    }

    /** How page files get their disk blocks (tests inject a failing one to simulate a full disk). */
    MappedFiles.Allocator fileAllocator() {
        return fileAllocator;
    }

    public static final class Builder {
        private java.nio.file.Path dataDirectory;
        private MappedFiles.Allocator fileAllocator = MappedFiles.ZERO_FILL;
        private long outOfOrderWindowMs = 0;
        private int outOfOrderMaxSamplesPerSeries = DEFAULT_OUT_OF_ORDER_MAX_SAMPLES_PER_SERIES;
        private long outOfOrderMaxSamples = DEFAULT_OUT_OF_ORDER_MAX_SAMPLES;
        private int maxLabelsPerSeries = DEFAULT_MAX_LABELS_PER_SERIES;
        private int maxLabelNameLength = DEFAULT_MAX_LABEL_NAME_LENGTH;
        private int maxLabelValueLength = DEFAULT_MAX_LABEL_VALUE_LENGTH;
        private int maxSeriesPerMetric = 0;
        private long maxFutureMs = DEFAULT_MAX_FUTURE_MS;
        private long retentionMs = 120_000;
        private int maxSeries = 1_000_000;
        private int maxSamplesPerSeries = 4096;
        private long reuseGraceMs = 10_000;
        private long symbolGraceMs = -1;
        private TimeSource time = TimeSource.system();

        public Builder retentionMs(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("retention must be positive, got " + v + " ms");
            }
            retentionMs = v;
            return this;
        }

        public Builder maxSeries(int v) {
            maxSeries = positive("maxSeries", v);
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

        public Builder symbolGraceMs(long v) {
            symbolGraceMs = Math.max(0, v);
            return this;
        }

        public Builder maxLabelsPerSeries(int v) {
            maxLabelsPerSeries = positive("maxLabelsPerSeries", v);
            return this;
        }

        public Builder maxLabelNameLength(int v) {
            maxLabelNameLength = positive("maxLabelNameLength", v);
            return this;
        }

        public Builder maxLabelValueLength(int v) {
            maxLabelValueLength = positive("maxLabelValueLength", v);
            return this;
        }

        /** 0 = no per-metric limit. */
        public Builder maxSeriesPerMetric(int v) {
            if (v < 0) {
                throw new IllegalArgumentException("maxSeriesPerMetric must be 0 (no limit) or positive, got " + v);
            }
            maxSeriesPerMetric = v;
            return this;
        }

        public Builder maxFutureMs(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("maxFutureMs must not be negative, got " + v);
            }
            maxFutureMs = v;
            return this;
        }

        /** 0 = out-of-order samples are rejected. */
        public Builder outOfOrderWindowMs(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("outOfOrderWindowMs must not be negative, got " + v);
            }
            outOfOrderWindowMs = v;
            return this;
        }

        public Builder outOfOrderMaxSamplesPerSeries(int v) {
            outOfOrderMaxSamplesPerSeries = positive("outOfOrderMaxSamplesPerSeries", v);
            return this;
        }

        public Builder outOfOrderMaxSamples(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("outOfOrderMaxSamples must be positive, got " + v);
            }
            outOfOrderMaxSamples = v;
            return this;
        }

        private static int positive(String what, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + v);
            }
            return v;
        }

        /** See {@link StoreConfig#dataDirectory()}; null (the default) turns persistence off. */
        public Builder dataDirectory(java.nio.file.Path v) {
            dataDirectory = v;
            return this;
        }

        Builder fileAllocator(MappedFiles.Allocator v) {
            fileAllocator = java.util.Objects.requireNonNull(v, "fileAllocator");
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
