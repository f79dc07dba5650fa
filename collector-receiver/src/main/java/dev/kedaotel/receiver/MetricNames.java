package dev.kedaotel.receiver;

import dev.kedaotel.model.OtlpMetricType;
import dev.kedaotel.model.OtlpNames;
import dev.kedaotel.model.OtlpTranslationStrategy;
import dev.kedaotel.tsdb.MetricMetadataRegistry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Translates each OTLP metric's (name, unit, type) into the family name its series are stored under,
 * by the configured {@link OtlpTranslationStrategy} ({@link OtlpNames} has the rules), and records the
 * family's metadata (type, help = the OTLP description, unit) in the {@link MetricMetadataRegistry}.
 *
 * <p>Translation allocates (it works on strings), so it runs once per distinct (name, unit, type) per
 * ingest worker: the result is kept as UTF-8 bytes in a direct-mapped cache keyed by the raw wire bytes
 * of name and unit plus the type, together with the family's registry entry. A hit compares those bytes,
 * touches the entry (marks the family seen, so it outlives the retention only while it is sent) and
 * allocates nothing; a miss (a new metric, or one that shared the slot) translates and records again.
 * The description is not part of the key: a changed description is recorded when the metric next misses.
 * Not thread-safe; one per ingest worker.
 */
final class MetricNames {
    private static final int SLOTS = 1024;

    private final OtlpTranslationStrategy strategy;
    /** Null: no metadata kept (tests, a receiver without a registry). */
    private final MetricMetadataRegistry registry;
    private final byte[][] keys = new byte[SLOTS][];
    private final int[] nameLens = new int[SLOTS];
    private final int[] unitLens = new int[SLOTS];
    private final byte[] types = new byte[SLOTS];
    private final byte[][] families = new byte[SLOTS][];
    private final MetricMetadataRegistry.Entry[] entries = new MetricMetadataRegistry.Entry[SLOTS];

    /** The last {@link #translate} result. */
    private byte[] family;

    MetricNames(OtlpTranslationStrategy strategy, MetricMetadataRegistry registry) {
        this.strategy = strategy;
        this.registry = registry;
        Arrays.fill(nameLens, -1);
    }

    /**
     * Translates the metric whose name, unit and description are the given byte ranges of {@code buf};
     * the family name is then {@link #family()} (empty when the strategy leaves nothing of the name).
     */
    void translate(byte[] buf, int nameOff, int nameLen, int unitOff, int unitLen, int descOff, int descLen,
                   OtlpMetricType type, long nowMs) {
        int slot = slot(buf, nameOff, nameLen, unitOff, unitLen, type);
        byte[] k = keys[slot];
        if (k != null && nameLens[slot] == nameLen && unitLens[slot] == unitLen && types[slot] == type.ordinal()
                && Arrays.equals(k, 0, nameLen, buf, nameOff, nameOff + nameLen)
                && Arrays.equals(k, nameLen, nameLen + unitLen, buf, unitOff, unitOff + unitLen)) {
            family = families[slot];
            MetricMetadataRegistry.Entry e = entries[slot];
            if (e == null || e.touch(nowMs)) {
                return;
            }
        }
        String name = new String(buf, nameOff, nameLen, StandardCharsets.UTF_8);
        String unit = new String(buf, unitOff, unitLen, StandardCharsets.UTF_8);
        String translated = OtlpNames.metricName(strategy, name, unit, type);
        byte[] f = translated.getBytes(StandardCharsets.UTF_8);
        MetricMetadataRegistry.Entry entry = null;
        if (registry != null && f.length > 0) {
            entry = registry.record(translated, type.prometheusType(),
                    new String(buf, descOff, descLen, StandardCharsets.UTF_8), OtlpNames.unitName(strategy, unit), nowMs);
        }
        byte[] key = new byte[nameLen + unitLen];
        System.arraycopy(buf, nameOff, key, 0, nameLen);
        System.arraycopy(buf, unitOff, key, nameLen, unitLen);
        keys[slot] = key;
        nameLens[slot] = nameLen;
        unitLens[slot] = unitLen;
        types[slot] = (byte) type.ordinal();
        families[slot] = f;
        entries[slot] = entry;
        family = f;
    }

    /** The family name bytes of the last {@link #translate}; its length may be 0. */
    byte[] family() {
        return family;
    }

    /** The label naming of the strategy (see {@link NameSymbols#label}). */
    OtlpTranslationStrategy strategy() {
        return strategy;
    }

    private static int slot(byte[] buf, int nameOff, int nameLen, int unitOff, int unitLen, OtlpMetricType type) {
        int h = 31 * nameLen + type.ordinal();
        for (int i = nameOff, end = nameOff + nameLen; i < end; i++) {
            h = h * 31 + buf[i];
        }
        for (int i = unitOff, end = unitOff + unitLen; i < end; i++) {
            h = h * 31 + buf[i];
        }
        h ^= h >>> 16;
        return h & (SLOTS - 1);
    }
}
