package dev.kedaotel.receiver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Remembers which tsdb series a data point wrote last time, keyed by the raw bytes that determine the
 * series, so a point seen before is appended by series handle without interning its attribute values,
 * building its label set or probing the series registry (see {@code Appender}'s handle API). Workers use
 * it through their {@link SeriesCacheClient}.
 *
 * <h2>The key and why a hit is never a wrong series</h2>
 * A key has two parts, compared byte for byte (the hash only picks the slot and filters probes; layout
 * and hash in {@link CacheKeys}):
 * <ul>
 *   <li>the <em>context</em>: every label the mapper adds that does not come from the data point's own
 *       attributes, as ids: the promoted resource label pairs of the enclosing {@code ResourceMetrics}
 *       (one id for the whole set, from {@link ResourceContexts}), the series' metric name symbol (with
 *       its suffix: {@code _bucket}, {@code _count}…) and the extra label pair ({@code le} /
 *       {@code quantile} and its value), if any;</li>
 *   <li>the data point's <em>attribute bytes</em> exactly as on the wire: its {@code KeyValue} fields
 *       (tags included) from the first to the last, used only when they are contiguous.</li>
 * </ul>
 * The mapper turns exactly these inputs into the series' label set, deterministically (attribute
 * parsing, sanitising and collision joining depend on nothing else; the receiver's configuration is
 * fixed per ingestor). A symbol id names one string for as long as any series holds it; an id whose
 * symbol was freed (its index may be handed out again, with another tag, and after 32 such reuses under
 * the same id) can only be in keys of series that were removed, since no live series held it. So equal
 * keys name the same label set, or a removed series: the cached handle names the series created for the
 * key, and when that series was removed the store checks the handle's generation and answers "dead";
 * the mapper then takes the label path, which re-creates the series and stores the new handle in the
 * key's record. Unequal bytes for the same label set (attribute order, another encoding) only miss and
 * take the label path.
 *
 * <h2>Lookup: predicted, then hashed</h2>
 * Exporters send their series in the same order every time, so each record remembers the record some
 * worker resolved right after it last time (its hint, like the store's {@code Series.nextHint}). A
 * worker first compares its key with the record following its previous one: that record is the only
 * memory it touches, where a hashed lookup also misses on the index slot. Otherwise it probes the index.
 *
 * <h2>Layout</h2>
 * No object per cached series: an index of ints, the records in {@link CacheRecords} pages, and the
 * resource label sets in {@link ResourceContexts} (one per resource, not per series).
 * <pre>
 *   index: int[slots], open addressing, linear probing over at most {@value #PROBES} slots
 *   slot:  31                      7 6          0
 *          +------------------------+------------+
 *          | record address / 8     | hash >>> 25|     0 = empty
 *          +------------------------+------------+
 *          home slot = hash &amp; (slots - 1)
 * </pre>
 * A probe compares the 7-bit hash fragment before it touches a record (a wrong record is read for 1
 * probed slot in 128). Cost per cached series: its record (14 bytes + key, rounded up to 8: 64 bytes for
 * the benchmark's counter with 2 attributes of 38 wire bytes; 9 context bytes whatever the number of
 * promoted resource labels) plus 8-16 bytes of index (4 bytes a slot at a load of 1/4-1/2) plus at most
 * one page of records not yet filled.
 *
 * <h2>Bound</h2>
 * The index doubles when it is half full, or when an insert finds its probe window full once it is 3/8
 * full, up to {@code maxSlots} (the receiver's {@code seriesCacheSlots}), so the cache holds at most
 * {@code maxSlots} keys of at most {@value CacheRecords#MAX_KEY_BYTES} bytes (a point whose attributes
 * make a longer key is not cached). At the bound (or below it, in the rare window full of a cluster of
 * near-equal hashes) a new key whose probe window is full is cached only one time in
 * {@value #EVICT_ONE_IN}, replacing an entry of the window (see {@link #put}). A replaced record stays
 * where it is (a lock-free reader may be comparing it) and is counted as dropped; once the dropped bytes
 * exceed half the live ones (and {@value #MIN_COMPACT_BYTES}), the cache copies the live records into
 * fresh pages and drops the old pages whole. So the records take at most 1.5× their live bytes plus a
 * page, the live ones at most {@code maxSlots} × 528 bytes; while a compaction runs the old pages are held
 * too. Resource context ids are never reused: when {@link ResourceContexts} is full (65,536 resources seen,
 * e.g. after that many pods came and went), the cache starts over empty.
 *
 * <h2>Concurrency</h2>
 * One cache is shared by all ingest workers of an ingestor (per-worker caches would cost the memory
 * above once per thread). Lookups ({@link SeriesCacheClient#get}) are lock-free and allocation-free;
 * every change of the index, the records or the resource contexts (insert, handle update, eviction,
 * growth, compaction, starting over) is made under the cache's monitor, i.e. on the label path, which
 * costs far more than the monitor.
 * <ul>
 *   <li>The index, the records and the resource contexts are published together through the volatile
 *       {@link #state}; a grown index keeps the same records and contexts, a compaction brings new
 *       records, starting over new everything. Index slots are release-stored after the record's bytes
 *       and loaded with acquire (see {@link CacheRecords}). A reader on an old index or old records reads
 *       consistent, complete records (old pages are never reused) and at worst misses a key inserted
 *       since, or reads a handle replaced since: a miss, or a dead handle the store refuses. A worker
 *       resolves its resource's context id in the contexts of the state it reads, again whenever the
 *       state brings other contexts.</li>
 *   <li>A record's key never changes; its handle is only ever replaced by the handle of a series
 *       created for that same key.</li>
 *   <li>Hints are written by any worker without a lock (release) and read with acquire; a hint holds
 *       0 or a record address of the same pages, and a worker follows it only while its previous
 *       record belongs to the current records. A stale or wrong hint costs one failed comparison; a
 *       hint to a replaced record still names a correct key → handle pair. Compaction carries the hints
 *       over to the new addresses.</li>
 * </ul>
 * Every loss (an insert seen late, a hint lost in a race, a handle written into records just replaced by a
 * compaction) is a future miss, never a wrong answer, because each record on its own is a correct
 * key → handle mapping and every hit compares the whole key.
 */
final class SeriesCache {
    /**
     * Probe window. Slots are 4-byte ints, so 16 of them span one or two cache lines; with linear probing
     * a window of 8 is full for ~1.7% of inserts into an index 3/8-1/2 full, one of 16 for ~0.1%.
     */
    static final int PROBES = 16;
    /** Smallest bound (the window then wraps around the whole index). */
    static final int MIN_BOUND = 8;
    static final int MAX_KEY_BYTES = CacheRecords.MAX_KEY_BYTES;
    static final int EVICT_ONE_IN = 64;
    static final int MIN_COMPACT_BYTES = 16 * 1024;
    /** {@link SeriesCacheClient#get}'s answer for a key that is not cached. */
    static final long NONE = -1;
    private static final int MIN_SLOTS = 1024;
    private static final int FRAGMENT_BITS = 7;
    private static final int FRAGMENT_MASK = (1 << FRAGMENT_BITS) - 1;
    /** {@link #put}'s answer when the key's probe window was full and nothing was cached. */
    static final int FULL = -1;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(int[].class);

    /** What readers load with one volatile read: the index, the records it points into, the contexts they name. */
    static final class State {
        final int[] slots;
        final int mask;
        final CacheRecords records;
        final ResourceContexts contexts;

        State(int[] slots, CacheRecords records, ResourceContexts contexts) {
            this.slots = slots;
            this.mask = slots.length - 1;
            this.records = records;
            this.contexts = contexts;
        }
    }

    private final int maxSlots;
    private volatile State state;
    // Writer side (the monitor).
    private int used;
    private long liveBytes;
    private long droppedBytes;
    private int compactions;
    private int resets;
    private int recordsIds;

    /** @param maxSlots upper bound of the index (rounded down to a power of two, at least {@value #MIN_BOUND}) */
    SeriesCache(int maxSlots) {
        if (maxSlots < MIN_BOUND) {
            throw new IllegalArgumentException("maxSlots must be at least " + MIN_BOUND + ", got " + maxSlots);
        }
        this.maxSlots = Integer.highestOneBit(maxSlots);
        this.state = fresh();
    }

    private State fresh() {
        return new State(new int[Math.min(MIN_SLOTS, maxSlots)], new CacheRecords(++recordsIds), new ResourceContexts());
    }

    /** A new client for one ingest worker (not thread-safe, as the worker). */
    SeriesCacheClient client() {
        return new SeriesCacheClient(this);
    }

    /** Whether the series of a point whose attributes take {@code attributeLength} bytes can be cached at all. */
    static boolean cacheable(int attributeLength) {
        return attributeLength <= MAX_KEY_BYTES - CacheKeys.EXTRA_CONTEXT_BYTES;
    }

    State state() {
        return state;
    }

    /** The record address of the key in the index of {@code s}, or 0. Lock-free. */
    static int find(State s, int hash, byte[] context, int contextLength, byte[] buf, int off, int len) {
        int[] slots = s.slots;
        int fragment = hash >>> (32 - FRAGMENT_BITS);
        int i = hash & s.mask;
        for (int probe = 0; probe < PROBES; probe++) {
            int v = (int) SLOTS.getAcquire(slots, i);
            if (v == 0) {
                return 0;
            }
            if ((v & FRAGMENT_MASK) == fragment) {
                int a = address(v);
                if (s.records.matches(a, context, contextLength, buf, off, len)) {
                    return a;
                }
            }
            i = (i + 1) & s.mask;
        }
        return 0;
    }

    private static int address(int slot) {
        return (slot >>> FRAGMENT_BITS) << 3;
    }

    private static int slot(int address, int hash) {
        return (address >>> 3) << FRAGMENT_BITS | hash >>> (32 - FRAGMENT_BITS);
    }

    /**
     * Caches {@code handle} for the key of {@code client}'s last lookup and tells the client which record
     * holds it. The key's resource gets a context id first (starting over when the contexts are full).
     * Then the key's record gets the new handle (its series was removed and created again), else a new
     * record takes a free slot of the probe window (the index grows first when half full, or when the
     * window is full and the index 3/8 full, below the bound), else, for one call in
     * {@value #EVICT_ONE_IN}, the new record replaces one entry of the window. Returns the record's
     * address, 0 when not cached (key too long, pages exhausted) or {@link #FULL} when the window was full
     * and nothing was replaced. Evicting rarely keeps
     * most cached entries hitting when there are more series than slots, keeps misses from writing a
     * record each, and still lets the content follow a changing set of series over time.
     */
    synchronized int put(SeriesCacheClient client, long handle) {
        client.cached(null, 0);
        if (!cacheable(client.len)) {
            return 0;
        }
        if (!client.keyIn(state.contexts)) {
            // Resource contexts full (ids are never reused): start over with an empty cache.
            state = fresh();
            used = 0;
            liveBytes = 0;
            droppedBytes = 0;
            resets++;
            if (!client.keyIn(state.contexts)) {
                return 0; // one resource's labels over the contexts' byte bound
            }
        }
        int hash = client.hash;
        byte[] context = client.context;
        int contextLength = client.contextLength;
        byte[] buf = client.buf;
        int off = client.off;
        int len = client.len;
        State s;
        int free;
        while (true) {
            s = state;
            free = -1;
            int fragment = hash >>> (32 - FRAGMENT_BITS);
            int i = hash & s.mask;
            for (int probe = 0; probe < PROBES; probe++) {
                int v = s.slots[i];
                if (v == 0) {
                    free = i;
                    break;
                }
                int a = address(v);
                if ((v & FRAGMENT_MASK) == fragment && s.records.matches(a, context, contextLength, buf, off, len)) {
                    s.records.setHandle(a, handle);
                    client.cached(s.records, a);
                    return a;
                }
                i = (i + 1) & s.mask;
            }
            // A full window grows the index only once it is 3/8 full (it grows at 1/2 anyway): below that a
            // full window is a rare cluster of near-equal hashes, not worth twice the index.
            boolean belowBound = s.slots.length < maxSlots;
            if (belowBound && ((used + 1) * 2 > s.slots.length || (free < 0 && used * 8 > s.slots.length * 3))) {
                grow(s);
                continue;
            }
            break;
        }
        int target = free;
        if (target < 0) {
            if (ThreadLocalRandom.current().nextInt(EVICT_ONE_IN) != 0) {
                return FULL;
            }
            target = ((hash & s.mask) + (hash >>> 28)) & s.mask;
        }
        int size = CacheRecords.recordSize(contextLength + len);
        int a = s.records.allocate(size);
        if (a == 0) {
            return 0; // pages exhausted (keys of several hundred bytes each): not cached
        }
        s.records.write(a, handle, context, contextLength, buf, off, len);
        int old = s.slots[target];
        SLOTS.setRelease(s.slots, target, slot(a, hash));
        liveBytes += size;
        if (old == 0) {
            used++;
        } else {
            int dropped = s.records.size(address(old));
            liveBytes -= dropped;
            droppedBytes += dropped;
        }
        client.cached(s.records, a);
        if (droppedBytes > MIN_COMPACT_BYTES && droppedBytes * 2 > liveBytes && compact(s)) {
            State c = state; // the record moved
            client.cached(c.records, find(c, hash, context, contextLength, buf, off, len));
        }
        return a;
    }

    /** Doubles the index (same records), re-placing every entry by its recomputed hash. Monitor held. */
    private void grow(State s) {
        int[] slots = new int[s.slots.length * 2];
        int mask = slots.length - 1;
        int placed = 0;
        for (int v : s.slots) {
            if (v == 0) {
                continue;
            }
            int a = address(v);
            int hash = s.records.hash(a);
            int i = hash & mask;
            int probe = 0;
            while (probe < PROBES && slots[i] != 0) {
                i = (i + 1) & mask;
                probe++;
            }
            if (probe < PROBES) {
                slots[i] = slot(a, hash);
                placed++;
            } else {
                int size = s.records.size(a); // cannot be placed within a window: dropped (rare)
                liveBytes -= size;
                droppedBytes += size;
            }
        }
        used = placed;
        state = new State(slots, s.records, s.contexts);
    }

    /**
     * Copies the live records into fresh pages, in address order, carrying their hints over to the new
     * addresses, and publishes an index pointing there (same slots, same size). Monitor held. The copies
     * fit: they are at most 2/3 of the bytes the old pages hold (compaction starts when the dropped bytes
     * exceed half the live ones), and a page loses at most one record's size to packing either way; were
     * that ever not so, the old state is kept (returns false).
     */
    private boolean compact(State s) {
        int[] live = new int[used];
        int n = 0;
        for (int v : s.slots) {
            if (v != 0) {
                live[n++] = address(v);
            }
        }
        Arrays.sort(live, 0, n);
        CacheRecords fresh = new CacheRecords(++recordsIds);
        int[] moved = new int[n];
        for (int k = 0; k < n; k++) {
            moved[k] = fresh.copy(s.records, live[k]);
            if (moved[k] == 0) {
                return false;
            }
        }
        for (int k = 0; k < n; k++) {
            int j = Arrays.binarySearch(live, 0, n, s.records.next(live[k]));
            if (j >= 0) {
                fresh.setNext(moved[k], moved[j]);
            }
        }
        int[] slots = new int[s.slots.length];
        for (int i = 0; i < slots.length; i++) {
            int v = s.slots[i];
            if (v != 0) {
                int a = moved[Arrays.binarySearch(live, 0, n, address(v))];
                slots[i] = (a >>> 3) << FRAGMENT_BITS | (v & FRAGMENT_MASK);
            }
        }
        liveBytes = fresh.allocatedBytes();
        droppedBytes = 0;
        compactions++;
        state = new State(slots, fresh, s.contexts);
        return true;
    }

    /** Number of slots of the current index (tests, diagnostics). */
    int slots() {
        return state.slots.length;
    }

    /** Number of keys in the current index (tests, diagnostics). */
    synchronized int size() {
        return used;
    }

    /** Bytes of the records in the index, and of replaced ones not yet compacted away (tests, diagnostics). */
    synchronized long liveBytes() {
        return liveBytes;
    }

    synchronized long droppedBytes() {
        return droppedBytes;
    }

    /** How many times the records were compacted (tests, diagnostics). */
    synchronized int compactions() {
        return compactions;
    }

    /** How many times the cache started over because its resource contexts were full (tests, diagnostics). */
    synchronized int resets() {
        return resets;
    }
}
