package dev.kedaotel.receiver;

import dev.kedaotel.model.OtlpTranslationStrategy;

import java.util.List;

/**
 * Settings of the OTLP receiver. Immutable; build with {@link #builder()}.
 */
public final class ReceiverConfig {
    /** Resource attributes copied onto every series by default (stored under sanitised names). */
    public static final List<String> DEFAULT_PROMOTED_RESOURCE_ATTRIBUTES = List.of(
            "k8s.pod.name", "k8s.namespace.name", "k8s.deployment.name", "k8s.statefulset.name", "k8s.node.name",
            "service.name", "service.namespace", "service.instance.id", "host.name");

    /** 4 MiB, gRPC's customary default receive limit. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    /**
     * Default bound of the series cache (see {@link SeriesCache}): 262,144 slots, i.e. up to ~130k series
     * cached at the index's normal load and at most 262,144; for keys like the benchmark's (64-byte
     * records) ~16 MiB at most, and never more than 262,144 × 528 bytes of live records.
     */
    public static final int DEFAULT_SERIES_CACHE_SLOTS = 1 << 18;

    private final List<String> promotedResourceAttributes;
    private final int seriesCacheSlots;
    private final boolean promoteJobAndInstance;
    private final int maxMessageBytes;
    private final long maxBytesInFlight;
    private final OtlpTranslationStrategy translationStrategy;

    private ReceiverConfig(Builder b) {
        this.translationStrategy = b.translationStrategy;
        this.promotedResourceAttributes = List.copyOf(b.promotedResourceAttributes);
        this.promoteJobAndInstance = b.promoteJobAndInstance;
        this.maxMessageBytes = b.maxMessageBytes;
        this.seriesCacheSlots = b.seriesCacheSlots;
        this.maxBytesInFlight = b.maxBytesInFlight;
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
        private OtlpTranslationStrategy translationStrategy = OtlpTranslationStrategy.KEDIFY_COMPATIBLE;

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
            return new ReceiverConfig(this);
        }
    }
}
