package dev.kedaotel.receiver;

import dev.kedaotel.model.OtlpTranslationStrategy;

import java.util.List;

/**
 * Settings of the OTLP receiver. Immutable; build with {@link #builder()}.
 */
public final class ReceiverConfig {
    /**
     * Resource attributes copied onto every series by default (stored under sanitised names): the set
     * Prometheus' OTLP guide recommends promoting ("Promoting resource attributes"), in its order, plus
     * this service's earlier defaults that are not in it ({@code k8s.node.name}, {@code host.name}).
     */
    public static final List<String> DEFAULT_PROMOTED_RESOURCE_ATTRIBUTES = List.of(
            "service.instance.id", "service.name", "service.namespace", "service.version",
            "cloud.availability_zone", "cloud.region", "container.name",
            "deployment.environment", "deployment.environment.name",
            "k8s.cluster.name", "k8s.container.name", "k8s.cronjob.name", "k8s.daemonset.name",
            "k8s.deployment.name", "k8s.job.name", "k8s.namespace.name", "k8s.pod.name",
            "k8s.replicaset.name", "k8s.statefulset.name",
            "k8s.node.name", "host.name");

    /** Prometheus' default lookback delta (5 minutes) halved: its spacing of {@code target_info} samples. */
    public static final long DEFAULT_TARGET_INFO_INTERVAL_MS = 150_000;

    /** 4 MiB, gRPC's customary default receive limit. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    /**
     * Default bound of the series cache (see {@link SeriesCache}): 262,144 slots, i.e. up to ~130k series
     * cached at the index's normal load and at most 262,144; for keys like the benchmark's (64-byte
     * records) ~16 MiB at most, and never more than 262,144 × 528 bytes of live records.
     */
    public static final int DEFAULT_SERIES_CACHE_SLOTS = 1 << 18;

    /**
     * Default most {@code le} series (with {@code +Inf}) of one exponential histogram series: at the
     * starting scale 3 (boundaries 9.05% apart) that covers a 197-fold range of values, at scale 2
     * (18.9%) a 38,968-fold one (100 µs to 3.8 s), at scale 1 (41%) a 1.5e9-fold one; see the README.
     */
    public static final int DEFAULT_EXPONENTIAL_HISTOGRAM_MAX_BUCKETS = 64;
    /** Fewest allowed: room for both signs and the zero bucket at the coarsest scale. */
    public static final int MIN_EXPONENTIAL_HISTOGRAM_MAX_BUCKETS = 16;

    private final List<String> promotedResourceAttributes;
    private final int exponentialHistogramMaxBuckets;
    private final int seriesCacheSlots;
    private final boolean promoteJobAndInstance;
    private final int maxMessageBytes;
    private final long maxBytesInFlight;
    private final boolean promoteAllResourceAttributes;
    private final List<String> ignoredResourceAttributes;
    private final boolean targetInfoEnabled;
    private final long targetInfoIntervalMs;
    private final OtlpTranslationStrategy translationStrategy;

    private ReceiverConfig(Builder b) {
        this.translationStrategy = b.translationStrategy;
        this.promotedResourceAttributes = List.copyOf(b.promotedResourceAttributes);
        this.promoteAllResourceAttributes = b.promoteAllResourceAttributes;
        this.ignoredResourceAttributes = List.copyOf(b.ignoredResourceAttributes);
        this.targetInfoEnabled = b.targetInfoEnabled;
        this.targetInfoIntervalMs = b.targetInfoIntervalMs;
        this.promoteJobAndInstance = b.promoteJobAndInstance;
        this.maxMessageBytes = b.maxMessageBytes;
        this.seriesCacheSlots = b.seriesCacheSlots;
        this.maxBytesInFlight = b.maxBytesInFlight;
        this.exponentialHistogramMaxBuckets = b.exponentialHistogramMaxBuckets;
    }

    /** Most {@code _bucket} series (with {@code +Inf}) an exponential histogram series is written as. */
    public int exponentialHistogramMaxBuckets() {
        return exponentialHistogramMaxBuckets;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ReceiverConfig defaults() {
        return builder().build();
    }

    /** Resource attribute keys (OTLP spelling) promoted to series labels. */
    public List<String> promotedResourceAttributes() {
        return promotedResourceAttributes;
    }

    /**
     * Whether every resource attribute (except {@link #ignoredResourceAttributes()}) is copied onto the
     * series, Prometheus' {@code promote_all_resource_attributes}; {@link #promotedResourceAttributes()}
     * is then not used.
     */
    public boolean promoteAllResourceAttributes() {
        return promoteAllResourceAttributes;
    }

    /** Resource attribute keys (OTLP spelling) not promoted under {@link #promoteAllResourceAttributes()}. */
    public List<String> ignoredResourceAttributes() {
        return ignoredResourceAttributes;
    }

    /** Whether a {@code target_info} series is written per resource (Prometheus' OTLP receiver does). */
    public boolean targetInfoEnabled() {
        return targetInfoEnabled;
    }

    /**
     * Spacing of the {@code target_info} samples written between the earliest and the latest sample of
     * a resource in one export (Prometheus: half its lookback delta), so a join finds one at every step.
     */
    public long targetInfoIntervalMs() {
        return targetInfoIntervalMs;
    }

    /** Whether Prometheus' {@code job} / {@code instance} labels are derived from service attributes. */
    public boolean promoteJobAndInstance() {
        return promoteJobAndInstance;
    }

    /** Largest accepted request after decompression (gRPC max inbound size, HTTP 413 limit). */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Upper bound of the shared series cache's table, in slots; 0 disables the cache. */
    /** OTLP request bytes all exports may hold at once (both transports); beyond it exports are refused as busy. */
    public long maxBytesInFlight() {
        return maxBytesInFlight;
    }

    public int seriesCacheSlots() {
        return seriesCacheSlots;
    }

    /** How metric and attribute names become Prometheus names ({@code OTLP_TRANSLATION_STRATEGY}). */
    public OtlpTranslationStrategy translationStrategy() {
        return translationStrategy;
    }

    public static final class Builder {
        private List<String> promotedResourceAttributes = DEFAULT_PROMOTED_RESOURCE_ATTRIBUTES;
        private boolean promoteJobAndInstance = true;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int seriesCacheSlots = DEFAULT_SERIES_CACHE_SLOTS;
        private long maxBytesInFlight = 256L << 20;
        private boolean promoteAllResourceAttributes;
        private List<String> ignoredResourceAttributes = List.of();
        private boolean targetInfoEnabled = true;
        private long targetInfoIntervalMs = DEFAULT_TARGET_INFO_INTERVAL_MS;
        private int exponentialHistogramMaxBuckets = DEFAULT_EXPONENTIAL_HISTOGRAM_MAX_BUCKETS;
        private OtlpTranslationStrategy translationStrategy = OtlpTranslationStrategy.KEDIFY_COMPATIBLE;

        /** Prometheus' {@code promote_all_resource_attributes}. */
        public Builder promoteAllResourceAttributes(boolean v) {
            promoteAllResourceAttributes = v;
            return this;
        }

        /** Prometheus' {@code ignore_resource_attributes}: only valid with {@link #promoteAllResourceAttributes}. */
        public Builder ignoredResourceAttributes(List<String> keys) {
            for (String k : keys) {
                if (k == null || k.isEmpty()) {
                    throw new IllegalArgumentException("ignored resource attribute keys must be non-empty, got " + keys);
                }
            }
            ignoredResourceAttributes = keys;
            return this;
        }

        public Builder targetInfoEnabled(boolean v) {
            targetInfoEnabled = v;
            return this;
        }

        public Builder targetInfoIntervalMs(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("targetInfoIntervalMs must be positive, got " + v);
            }
            targetInfoIntervalMs = v;
            return this;
        }

        public Builder exponentialHistogramMaxBuckets(int v) {
            if (v < MIN_EXPONENTIAL_HISTOGRAM_MAX_BUCKETS) {
                throw new IllegalArgumentException("exponentialHistogramMaxBuckets must be at least "
                        + MIN_EXPONENTIAL_HISTOGRAM_MAX_BUCKETS + ", got " + v);
            }
            exponentialHistogramMaxBuckets = v;
            return this;
        }

        public Builder translationStrategy(OtlpTranslationStrategy v) {
            translationStrategy = java.util.Objects.requireNonNull(v, "translationStrategy");
            return this;
        }

        public Builder promotedResourceAttributes(List<String> keys) {
            for (String k : keys) {
                if (k == null || k.isEmpty()) {
                    throw new IllegalArgumentException("promoted resource attribute keys must be non-empty, got " + keys);
                }
            }
            promotedResourceAttributes = keys;
            return this;
        }

        public Builder promoteJobAndInstance(boolean v) {
            promoteJobAndInstance = v;
            return this;
        }

        public Builder maxMessageBytes(int v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxMessageBytes must be positive, got " + v);
            }
            maxMessageBytes = v;
            return this;
        }

        /** Bound of the series cache in slots (rounded down to a power of two); 0 disables it. */
        public Builder seriesCacheSlots(int v) {
            if (v != 0 && v < SeriesCache.MIN_BOUND) {
                throw new IllegalArgumentException("seriesCacheSlots must be 0 or at least " + SeriesCache.MIN_BOUND + ", got " + v);
            }
            seriesCacheSlots = v;
            return this;
        }

        public Builder maxBytesInFlight(long v) {
            if (v <= 0) {
                throw new IllegalArgumentException("maxBytesInFlight must be positive, got " + v);
            }
            maxBytesInFlight = v;
            return this;
        }

        public ReceiverConfig build() {
            if (!promoteAllResourceAttributes && !ignoredResourceAttributes.isEmpty()) {
                // As Prometheus: the ignore list only qualifies promote-all.
                throw new IllegalArgumentException("ignored resource attributes " + ignoredResourceAttributes
                        + " need promoteAllResourceAttributes (they only exclude attributes from promote-all)");
            }
            return new ReceiverConfig(this);
        }
    }
}
