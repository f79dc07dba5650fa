package dev.kedaotel.receiver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Remembers which tsdb series a data point wrote last time, keyed by the raw bytes that determine the
 * series, so a point seen before is appended by series handle without interning its attribute values,
 * building its label set or probing the series registry (see {@code Appender}'s handle API).
 *
 * <h2>The key and why a hit is never a wrong series</h2>
 * A key has two parts, compared byte for byte (the hash only picks the slot):
 * <ul>
 *   <li>the <em>context</em>: every label the mapper adds that does not come from the data point's own
 *       attributes, as symbol ids: the promoted resource label pairs of the enclosing
 *       {@code ResourceMetrics}, the series' metric name symbol (with its suffix: {@code _bucket},
 *       {@code _count}…) and the extra label pair ({@code le} / {@code quantile} and its value, or -1, -1);</li>
 *   <li>the data point's <em>attribute bytes</em> exactly as on the wire: its {@code KeyValue} fields
 *       (tags included) from the first to the last, used only when they are contiguous.</li>
 * </ul>
 * The mapper turns exactly these inputs into the series' label set, deterministically (attribute
 * parsing, sanitising and collision joining depend on nothing else; the receiver's configuration is
 * fixed per ingestor; symbol ids are never reused while the store lives). So equal keys name the same
 * label set, and the cached handle names the series created for it. That series may since have been
 * removed by retention: the store checks the handle's generation and answers "dead", and the mapper
 * falls back to the label path, which re-creates the series and replaces the entry. Unequal bytes for
 * the same label set (attribute order, another encoding) only miss and take the label path.
 *
 * <h2>Layout and memory bound</h2>
 * An open-addressing table of {@code byte[]} entries, linear probing over at most {@value #PROBES}
 * slots. One entry is one immutable array:
 * <pre>
 *   0          8        12           16                  16 + contextLength          length
 *   +----------+--------+------------+-------------------+---------------------------+
 *   | handle   | hash   | context    | context bytes     | attribute bytes           |
 *   | i64 (LE) | i32    | length i32 | (i32 ids, LE)     | (KeyValue fields as sent) |
 *   +----------+--------+------------+-------------------+---------------------------+
 * </pre>
 * Cost per cached series: the array (16-byte array header + 16 + key, e.g. 104 bytes for the benchmark's
 * 2-attribute counter with one promoted resource label) plus 8-16 bytes of table (4-byte references at
 * a load of 1/4-1/2). The table doubles at half load up to {@code maxSlots}; beyond that new keys replace
 * old ones in their probe window, so the cache never holds more than {@code maxSlots} entries of at most
 * {@value #MAX_KEY_BYTES} key bytes, whatever the number of series. Keys longer than that are not cached.
 *
 * <h2>Concurrency</h2>
 * One cache is shared by all ingest workers of an ingestor (per-worker caches would cost the memory
 * above once per thread). Entries are immutable and published with a release store into their slot;
 * readers load slots with acquire, so a visible entry is complete. Writers race freely: two inserts
 * into one slot keep the later one, a grow (copy into a table twice the size under a monitor, then a
 * volatile publish) may drop inserts made concurrently into the old table. Every such loss is a future
 * miss, never a wrong answer, because each entry on its own is a correct key → handle mapping.
 */
final class SeriesCache {
    /** The value of {@link #get} when the key is not cached. Any negative value is "no handle". */
    static final long MISSING = -1L;
    static final int PROBES = 8;
    static final int MAX_KEY_BYTES = 512;
    static final int HEADER_BYTES = 16;
    private static final int MIN_SLOTS = 1024;

    private static final VarHandle ENTRIES = MethodHandles.arrayElementVarHandle(byte[][].class);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final class Table {
        final byte[][] entries;
        final int mask;
        final AtomicInteger used = new AtomicInteger();

        Table(int slots) {
            entries = new byte[slots][];
            mask = slots - 1;
        }
    }

    private final int maxSlots;
    private volatile Table table;

    /** @param maxSlots upper bound of the table (rounded down to a power of two, at least {@value #PROBES}) */
    SeriesCache(int maxSlots) {
        if (maxSlots < PROBES) {
            throw new IllegalArgumentException("maxSlots must be at least " + PROBES + ", got " + maxSlots);
        }
        this.maxSlots = Integer.highestOneBit(maxSlots);
        this.table = new Table(Math.min(MIN_SLOTS, this.maxSlots));
    }

    /** Whether a key of these lengths can be cached at all. */
    static boolean cacheable(int contextLength, int attributeLength) {
        return contextLength + attributeLength <= MAX_KEY_BYTES;
    }

    /** The handle cached for the key, or {@link #MISSING}. Lock-free, allocation-free. */
    long get(int hash, byte[] context, int contextLength, byte[] buf, int off, int len) {
        Table t = table;
        byte[][] entries = t.entries;
        int i = hash & t.mask;
        for (int probe = 0; probe < PROBES; probe++) {
            byte[] e = (byte[]) ENTRIES.getAcquire(entries, i);
            if (e == null) {
                return MISSING;
            }
            if ((int) INTS.get(e, 8) == hash && matches(e, context, contextLength, buf, off, len)) {
                return (long) LONGS.get(e, 0);
            }
            i = (i + 1) & t.mask;
        }
        return MISSING;
    }

    /** Caches {@code handle} for the key (replacing an entry with the same key, or evicting one when full). */
    void put(int hash, byte[] context, int contextLength, byte[] buf, int off, int len, long handle) {
        if (!cacheable(contextLength, len)) {
            return;
        }
        byte[] entry = new byte[HEADER_BYTES + contextLength + len];
        LONGS.set(entry, 0, handle);
        INTS.set(entry, 8, hash);
        INTS.set(entry, 12, contextLength);
        System.arraycopy(context, 0, entry, HEADER_BYTES, contextLength);
        System.arraycopy(buf, off, entry, HEADER_BYTES + contextLength, len);

        Table t = table;
        byte[][] entries = t.entries;
        int home = hash & t.mask;
        int i = home;
        for (int probe = 0; probe < PROBES; probe++) {
            byte[] e = (byte[]) ENTRIES.getAcquire(entries, i);
            if (e == null) {
                if (ENTRIES.compareAndSet(entries, i, (byte[]) null, entry)) {
                    if (t.used.incrementAndGet() * 2 > entries.length && entries.length < maxSlots) {
                        grow(t);
                    }
                    return;
                }
                e = (byte[]) ENTRIES.getAcquire(entries, i);
            }
            if ((int) INTS.get(e, 8) == hash && matches(e, context, contextLength, buf, off, len)) {
                ENTRIES.setRelease(entries, i, entry); // same key, new handle (the old series was removed)
                return;
            }
            i = (i + 1) & t.mask;
        }
        // Window full (only at maxSlots): evict one entry of the window, chosen by other hash bits.
        ENTRIES.setRelease(entries, (home + (hash >>> 29)) & t.mask, entry);
    }

    /** Number of slots of the current table (tests, diagnostics). */
    int slots() {
        return table.entries.length;
    }

    /** Number of entries in the current table (tests, diagnostics). */
    int size() {
        return table.used.get();
    }

    private synchronized void grow(Table old) {
        if (table != old) {
            return;
        }
        Table t = new Table(old.entries.length * 2);
        int placed = 0;
        for (int j = 0; j < old.entries.length; j++) {
            byte[] e = (byte[]) ENTRIES.getAcquire(old.entries, j);
            if (e != null && place(t, e)) {
                placed++;
            }
        }
        t.used.set(placed);
        table = t;
    }

    private static boolean place(Table t, byte[] e) {
        int i = (int) INTS.get(e, 8) & t.mask;
        for (int probe = 0; probe < PROBES; probe++) {
            if (t.entries[i] == null) {
                ENTRIES.setRelease(t.entries, i, e);
                return true;
            }
            i = (i + 1) & t.mask;
        }
        return false;
    }

    private static boolean matches(byte[] e, byte[] context, int contextLength, byte[] buf, int off, int len) {
        int attrs = HEADER_BYTES + contextLength;
        return e.length == attrs + len
                && (int) INTS.get(e, 12) == contextLength
                && Arrays.equals(e, HEADER_BYTES, attrs, context, 0, contextLength)
                && Arrays.equals(e, attrs, e.length, buf, off, off + len);
    }

    /** Hash state of {@code buf[off, off+len)}, eight bytes at a time; {@link #finish} turns it into a slot hash. */
    static long hashBytes(byte[] buf, int off, int len) {
        long h = 0x9E3779B97F4A7C15L ^ len;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONGS.get(buf, i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        for (; i < end; i++) {
            h = (h ^ (buf[i] & 0xff)) * 0x94D049BB133111EBL;
        }
        return h;
    }

    /** Mixes {@code v} into hash state {@code h} (for the context ids). */
    static long mix(long h, int v) {
        h = (h ^ (v & 0xffffffffL)) * 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    static int finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (int) h;
    }
}
