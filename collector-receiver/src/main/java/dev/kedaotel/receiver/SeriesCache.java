package dev.kedaotel.receiver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
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
 * <h2>Lookup: predicted, then hashed</h2>
 * Exporters send their series in the same order every time, so each {@link Entry} remembers the entry
 * some worker resolved right after it last time ({@link Entry#next}, a racy hint like the store's
 * {@code Series.nextHint}). A worker first compares the key with the entry following its previous one:
 * that entry and its key array (allocated together, so usually adjacent in memory) are the only memory
 * it touches, where a hashed lookup also misses on the table slot. Otherwise it probes the table.
 *
 * <h2>Layout and memory bound</h2>
 * An open-addressing table of {@link Entry} references, linear probing over at most {@value #PROBES}
 * slots. An entry is immutable except its hint: handle, hash, context length and one key array
 * (context bytes, i32 symbol ids little-endian, then the attribute bytes as sent).
 * Cost per cached series: the entry (40 bytes) and its key array (16-byte header + key, e.g. 80 bytes for
 * the benchmark's 2-attribute counter with one promoted resource label) plus 16-32 bytes of table (a
 * 4-byte reference and a 4-byte hash per slot, at a load of 1/4-1/2): measured 140 bytes per series at
 * 100k series (bench/README.md, "Ingest path"). The
 * table doubles at half load up to {@code maxSlots}; beyond that a new key finds its probe window full
 * and is cached only now and then, evicting an entry of the window (see {@link #put}), so the cache
 * never holds more than {@code maxSlots} entries of at most {@value #MAX_KEY_BYTES} key bytes, whatever
 * the number of series (plus, at most, one replaced entry still named by another entry's hint). Longer
 * keys are not cached.
 *
 * <h2>Concurrency</h2>
 * One cache is shared by all ingest workers of an ingestor (per-worker caches would cost the memory
 * above once per thread). An entry's key fields are final, so it is complete however a thread reaches
 * it; entries are also published into their slot with a CAS or release store and read with acquire.
 * Writers change slots only by CAS or atomic swap, so each entry that leaves the table is retired
 * exactly once. A grow (copy into a table twice the size under a monitor, then a volatile publish) may
 * drop inserts made concurrently into the old table (such an entry is not retired and may stay named by
 * a hint: a handful per growth at most). The hints ({@link Entry#next}) and the evicted flag are plain
 * fields any worker may overwrite: a stale hint costs one failed comparison, a stale flag one missed
 * prediction. Every loss is a future miss, never a wrong answer, because each entry on its own is a
 * correct key → handle mapping and every hit compares the whole key.
 */
final class SeriesCache {
    static final int PROBES = 8;
    static final int MAX_KEY_BYTES = 512;
    private static final int MIN_SLOTS = 1024;
    static final int EVICT_ONE_IN = 64;
    /** Returned by {@link #put} when the key was not cached because its probe window is full. */
    static final Entry FULL = new Entry(-1, 0, 0, new byte[0]);

    static {
        FULL.evicted = true;
    }

    private static final VarHandle ENTRIES = MethodHandles.arrayElementVarHandle(Entry[].class);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** One cached key → series handle. */
    static final class Entry {
        final long handle;
        final int hash;
        final int contextLength;
        /** Context bytes, then attribute bytes. */
        final byte[] key;
        /** The entry resolved right after this one last time, by any worker (racy hint, may be stale). */
        Entry next;
        /**
         * Set (plainly) once the entry left the table. An evicted entry is never used as a prediction nor
         * linked again, and its hint is cleared, so hints cannot keep chains of evicted entries alive:
         * besides the table's entries, at most one evicted entry per entry stays reachable.
         */
        boolean evicted;

        Entry(long handle, int hash, int contextLength, byte[] key) {
            this.handle = handle;
            this.hash = hash;
            this.contextLength = contextLength;
            this.key = key;
        }

        boolean matches(int h, byte[] context, int ctxLength, byte[] buf, int off, int len) {
            byte[] k = key;
            return hash == h && contextLength == ctxLength && k.length == ctxLength + len
                    && Arrays.equals(k, 0, ctxLength, context, 0, ctxLength)
                    && Arrays.equals(k, ctxLength, k.length, buf, off, off + len);
        }
    }

    private static final class Table {
        final Entry[] entries;
        final int mask;
        final AtomicInteger used = new AtomicInteger();

        /**
         * The hash of each slot's entry, so probing compares ints in one cache line instead of
         * dereferencing every entry of the window; 0 = empty. Written (plainly) before the entry's CAS or
         * swap; a reader may see a hash that does not belong to the entry it then loads (a writer that
         * lost an insert race leaves its own): only a filter, the full key comparison decides, a wrong
         * hash costs misses until the next replacement of that key rewrites it.
         */
        final int[] hashes;

        Table(int slots) {
            entries = new Entry[slots];
            hashes = new int[slots];
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

    /** A new client for one ingest worker (not thread-safe, as the worker). */
    Client client() {
        return new Client(this);
    }

    /**
     * One ingest worker's use of the shared cache: the entry it resolved last (whose hint predicts its
     * next key) and the bypass policy. With more series than the cache holds, most misses find their
     * probe window full and cannot be cached, so every such write pays a failed prediction and probe on
     * top of the label path. When that is so for a quarter of a window of {@value #BYPASS_WINDOW} cache
     * writes, the worker leaves the cache alone for the next {@value #BYPASS_WRITES} cacheable writes,
     * then tries again. The policy lives here, with the cache whose bound it reacts to; the worker only
     * asks {@link #enabled()} before each write and reports what the write resolved to.
     */
    static final class Client {
        static final int BYPASS_WINDOW = 4096;
        static final int BYPASS_WRITES = 1 << 18;

        private final SeriesCache cache;
        /** The entry of this worker's previous cache write (its hint predicts the next one). */
        private Entry previous;
        /** Cache writes and full-window misses of the current window; remaining writes that bypass the cache. */
        private int windowWrites;
        private int windowFull;
        private int bypass;

        private Client(SeriesCache cache) {
            this.cache = cache;
        }

        /**
         * Whether this write should look the cache up (then: {@link #get}, on a miss {@link #put}, and
         * always {@link #resolved}); false while bypassing, each call counting one bypassed write.
         */
        boolean enabled() {
            if (bypass == 0) {
                return true;
            }
            bypass--;
            return false;
        }

        /** The entry of the key, or null; predicted from this worker's previous write first. */
        Entry get(int hash, byte[] context, int contextLength, byte[] buf, int off, int len) {
            return cache.get(hash, context, contextLength, buf, off, len, previous);
        }

        /** Caches {@code handle} for the key after a miss; the new entry, or null when not cached. */
        Entry put(int hash, byte[] context, int contextLength, byte[] buf, int off, int len, long handle) {
            Entry e = cache.put(hash, context, contextLength, buf, off, len, handle);
            if (e == FULL) {
                windowFull++;
                return null;
            }
            return e;
        }

        /** Ends a cache write that resolved to {@code e} (null: not cached): the prediction, the policy. */
        void resolved(Entry e) {
            link(previous, e);
            previous = e;
            if (++windowWrites == BYPASS_WINDOW) {
                if (windowFull * 4 > windowWrites) {
                    bypass = BYPASS_WRITES;
                    previous = null;
                }
                windowWrites = 0;
                windowFull = 0;
            }
        }
    }

    /** Whether a key of these lengths can be cached at all. */
    static boolean cacheable(int contextLength, int attributeLength) {
        return contextLength + attributeLength <= MAX_KEY_BYTES;
    }

    /**
     * The entry of the key, or null: first the one predicted after {@code previous} (may be null), then
     * the table. Lock-free, allocation-free.
     */
    Entry get(int hash, byte[] context, int contextLength, byte[] buf, int off, int len, Entry previous) {
        Entry guess = previous == null ? null : previous.next;
        if (guess != null && !guess.evicted && guess.matches(hash, context, contextLength, buf, off, len)) {
            return guess;
        }
        Table t = table;
        Entry[] entries = t.entries;
        int[] hashes = t.hashes;
        int i = hash & t.mask;
        for (int probe = 0; probe < PROBES; probe++) {
            if (hashes[i] == hash) {
                Entry e = (Entry) ENTRIES.getAcquire(entries, i);
                if (e != null && e.matches(hash, context, contextLength, buf, off, len)) {
                    return e;
                }
            } else if (hashes[i] == 0) {
                return null; // empty (hashes are never 0, see finish)
            }
            i = (i + 1) & t.mask;
        }
        return null;
    }

    /** Records that {@code e} was resolved right after {@code previous} (the prediction for next time). */
    static void link(Entry previous, Entry e) {
        if (previous != null && !previous.evicted && previous.next != e) {
            previous.next = e;
        }
    }

    /**
     * Caches {@code handle} for the key (replacing an entry with the same key, taking a free slot of the
     * probe window, or, when the window is full, evicting one entry of it for one call in
     * {@value #EVICT_ONE_IN}) and returns the new entry; {@link #FULL} when the window was full and
     * nothing was cached, null when not cached for another reason (key too long, lost a race).
     * A full window only happens at {@code maxSlots}, i.e. with more series than the cache holds: evicting
     * rarely keeps most of the cached entries hitting there and keeps misses from allocating an entry each,
     * while still letting the content follow a changing set of series (or replace dead ones) over time.
     */
    Entry put(int hash, byte[] context, int contextLength, byte[] buf, int off, int len, long handle) {
        if (!cacheable(contextLength, len)) {
            return null;
        }
        Table t = table;
        Entry[] entries = t.entries;
        int home = hash & t.mask;
        int i = home;
        for (int probe = 0; probe < PROBES; probe++) {
            Entry e = (Entry) ENTRIES.getAcquire(entries, i);
            if (e == null) {
                Entry entry = newEntry(hash, context, contextLength, buf, off, len, handle);
                t.hashes[i] = hash; // harmless if the CAS fails: the slot's hash is only a filter
                if (ENTRIES.compareAndSet(entries, i, (Entry) null, entry)) {
                    if (t.used.incrementAndGet() * 2 > entries.length && entries.length < maxSlots) {
                        grow(t);
                    }
                    return entry;
                }
                e = (Entry) ENTRIES.getAcquire(entries, i);
            }
            if (e.matches(hash, context, contextLength, buf, off, len)) {
                // Same key, new handle (the old series was removed).
                Entry entry = newEntry(hash, context, contextLength, buf, off, len, handle);
                t.hashes[i] = hash; // also repairs a hash left by a writer that lost the slot's insert race
                if (!ENTRIES.compareAndSet(entries, i, e, entry)) {
                    return null; // another worker replaced it first
                }
                retire(e);
                return entry;
            }
            i = (i + 1) & t.mask;
        }
        if (ThreadLocalRandom.current().nextInt(EVICT_ONE_IN) != 0) {
            return FULL;
        }
        Entry entry = newEntry(hash, context, contextLength, buf, off, len, handle);
        int victim = (home + (hash >>> 29)) & t.mask;
        t.hashes[victim] = hash;
        Entry old = (Entry) ENTRIES.getAndSet(entries, victim, entry);
        retire(old);
        return entry;
    }

    private static void retire(Entry e) {
        if (e != null) {
            e.evicted = true;
            e.next = null;
        }
    }

    private static Entry newEntry(int hash, byte[] context, int contextLength, byte[] buf, int off, int len, long handle) {
        byte[] key = new byte[contextLength + len];
        System.arraycopy(context, 0, key, 0, contextLength);
        System.arraycopy(buf, off, key, contextLength, len);
        return new Entry(handle, hash, contextLength, key);
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
            Entry e = (Entry) ENTRIES.getAcquire(old.entries, j);
            if (e != null) {
                if (place(t, e)) {
                    placed++;
                } else {
                    retire(e);
                }
            }
        }
        t.used.set(placed);
        table = t;
    }

    private static boolean place(Table t, Entry e) {
        int i = e.hash & t.mask;
        for (int probe = 0; probe < PROBES; probe++) {
            if (t.entries[i] == null) {
                t.hashes[i] = e.hash;
                ENTRIES.setRelease(t.entries, i, e);
                return true;
            }
            i = (i + 1) & t.mask;
        }
        return false;
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

    /** The slot hash of a hash state; never 0, which marks an empty slot in the table's hashes. */
    static int finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        int r = (int) h;
        return r == 0 ? 1 : r;
    }
}
