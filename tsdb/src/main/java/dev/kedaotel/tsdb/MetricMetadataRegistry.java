package dev.kedaotel.tsdb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Prometheus' {@code /api/v1/metadata} reports: per metric family (the stored name, as the OTLP
 * translation strategy made it, e.g. {@code http_server_duration_seconds} for the series
 * {@code http_server_duration_seconds_bucket}…), its type, help and unit. The receiver records an entry
 * when it first translates an OTLP metric's (name, unit, type) and marks it seen with every request
 * carrying the metric; the entries live beside the store, not in it, because they describe names rather
 * than series.
 *
 * <p>Bounded two ways, so a churn of metric names cannot grow it: an entry not seen for the store's
 * retention is dropped by {@link #expire} (its series, which need a sample inside that window, are gone by
 * then too), and at {@code maxEntries} a new entry replaces the one seen longest ago. A family whose
 * (type, help, unit) changes has one entry per distinct triple, as Prometheus lists them; the old one
 * ages out. Thread-safe: any number of receivers record and touch, readers list, concurrently.
 */
public final class MetricMetadataRegistry {
    /** Default bound: far more families than a scaler's store holds, ~200 bytes each. */
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    /** One (family, type, help, unit); {@link #touch} marks it seen. */
    public static final class Entry {
        final String family;
        final String type;
        final String help;
        final String unit;
        private volatile long lastSeenMs;
        private volatile boolean removed;

        Entry(String family, String type, String help, String unit, long nowMs) {
            this.family = family;
            this.type = type;
            this.help = help;
            this.unit = unit;
            this.lastSeenMs = nowMs;
        }

        public String family() {
            return family;
        }

        public String type() {
            return type;
        }

        public String help() {
            return help;
        }

        public String unit() {
            return unit;
        }

        /**
         * Marks the entry seen at {@code nowMs}; false when it was dropped meanwhile (expired or replaced),
         * so the caller records it again. Allocation-free: the receiver calls it per metric per request.
         */
        public boolean touch(long nowMs) {
            if (lastSeenMs < nowMs) {
                lastSeenMs = nowMs;
            }
            return !removed;
        }

        long lastSeenMs() {
            return lastSeenMs;
        }

        private String key() {
            return key(family, type, help, unit);
        }

        static String key(String family, String type, String help, String unit) {
            return family + '\u0000' + type + '\u0000' + unit + '\u0000' + help;
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long retentionMs;
    private final int maxEntries;

    public MetricMetadataRegistry(long retentionMs, int maxEntries) {
        if (retentionMs <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("retentionMs and maxEntries must be positive, got " + retentionMs + ", " + maxEntries);
        }
        this.retentionMs = retentionMs;
        this.maxEntries = maxEntries;
    }

    /** Records (or finds) the entry and marks it seen; the caller keeps it and {@link Entry#touch touches} it. */
    public Entry record(String family, String type, String help, String unit, long nowMs) {
        Objects.requireNonNull(family, "family");
        String key = Entry.key(family, type, help, unit);
        Entry e = entries.get(key);
        if (e != null) {
            e.touch(nowMs);
            return e;
        }
        Entry fresh = new Entry(family, type, help, unit, nowMs);
        e = entries.putIfAbsent(key, fresh);
        if (e != null) {
            e.touch(nowMs);
            return e;
        }
        if (entries.size() > maxEntries) {
            evictOldest(fresh);
        }
        return fresh;
    }

    /** Drops the entry seen longest ago (not {@code keep}); rare: only when a new family arrives at the bound. */
    private synchronized void evictOldest(Entry keep) {
        while (entries.size() > maxEntries) {
            Entry oldest = null;
            for (Entry e : entries.values()) {
                if (e != keep && (oldest == null || e.lastSeenMs() < oldest.lastSeenMs())) {
                    oldest = e;
                }
            }
            if (oldest == null) {
                return;
            }
            remove(oldest);
        }
    }

    private void remove(Entry e) {
        if (entries.remove(e.key(), e)) {
            e.removed = true;
        }
    }

    /** Drops the entries not seen since {@code nowMs - retention}; returns how many. */
    public int expire(long nowMs) {
        int n = 0;
        long cutoff = nowMs - retentionMs;
        for (Entry e : entries.values()) {
            if (e.lastSeenMs() < cutoff) {
                remove(e);
                n++;
            }
        }
        return n;
    }

    /** Forgets everything (the store was reset). */
    public void clear() {
        for (Entry e : entries.values()) {
            remove(e);
        }
    }

    /** The entries, by family name, then type, unit and help. */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>(entries.values());
        out.sort(Comparator.comparing(Entry::family).thenComparing(Entry::type).thenComparing(Entry::unit)
                .thenComparing(Entry::help));
        return out;
    }

    public int size() {
        return entries.size();
    }
}
