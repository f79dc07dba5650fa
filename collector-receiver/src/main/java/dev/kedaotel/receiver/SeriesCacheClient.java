package dev.kedaotel.receiver;

/**
 * One ingest worker's use of the shared {@link SeriesCache}: it builds the keys of the worker's writes
 * ({@link CacheKeys}), resolves the current resource's context id, predicts each key from the previous
 * one and applies the bypass policy. Not thread-safe: one per worker, as the worker's mapper.
 *
 * <p>A cache write: {@link #get}; when it answers {@link SeriesCache#NONE} or the handle turns out dead,
 * the label path, then {@link #put} with the same key and the handle it resolved to (or {@link #forget}
 * when it stored nothing); always {@link #resolved} at the end. {@link #resource} is called whenever the worker enters
 * another {@code ResourceMetrics}.
 *
 * <h2>Bypass</h2>
 * With more series than the cache holds, most misses find their probe window full and cannot be cached,
 * so every such write pays a failed prediction and probe on top of the label path. When that is so for a
 * quarter of a window of {@value #BYPASS_WINDOW} cache writes, the worker leaves the cache alone for the
 * next {@value #BYPASS_WRITES} cacheable writes, then tries again. The policy lives here, with the cache
 * whose bound it reacts to; the worker only asks {@link #enabled()} before each write.
 */
final class SeriesCacheClient {
    static final int BYPASS_WINDOW = 4096;
    static final int BYPASS_WRITES = 1 << 18;

    private final SeriesCache cache;

    // The current resource: its label ints (the caller's array, unchanged until the next resource) and
    // its id in the contexts it was last resolved in (-1: not there).
    private byte[] resourceInts = new byte[0];
    private int resourceLength;
    private int resourceHash = CacheKeys.resourceHash(resourceInts, 0);
    private ResourceContexts resolvedIn;
    private int resourceId = -1;

    // The key of the current write (the context is built by every get, the rest is set by put).
    final byte[] context = new byte[CacheKeys.EXTRA_CONTEXT_BYTES];
    int contextLength;
    int hash;
    byte[] buf;
    int off;
    int len;
    private long attributeHash;
    private int metric;
    private int extraName;
    private int extraValue;

    // The record of this write (0: none), the id of the records it lives in and whether the prediction found
    // it; the record of the previous write (whose hint predicts this one) and its records' id. Ints, not
    // references: a reference store into this long-lived object costs a GC write barrier on every write.
    private int current;
    private int currentRecords;
    private boolean predicted;
    private int previous;
    private int previousRecords;

    /** Cache writes and full-window misses of the current window; remaining writes that bypass the cache. */
    private int windowWrites;
    private int windowFull;
    private int bypass;

    SeriesCacheClient(SeriesCache cache) {
        this.cache = cache;
    }

    /** The worker entered a resource whose promoted labels are {@code ints[0, len)} (symbol ids, little-endian). */
    void resource(byte[] ints, int len) {
        resourceInts = ints;
        resourceLength = len;
        resourceHash = CacheKeys.resourceHash(ints, len);
        resolvedIn = null;
        resourceId = -1;
    }

    /** Whether this write should use the cache; false while bypassing, each call counting one bypassed write. */
    boolean enabled() {
        if (bypass == 0) {
            return true;
        }
        bypass--;
        return false;
    }

    /**
     * The cached handle of the series (current resource, {@code metric}, extra label, point attributes
     * {@code buf[off, off + len)} whose {@link CacheKeys#attributeHash} is given), or {@link SeriesCache#NONE}:
     * the record predicted after this worker's previous write first, then the index. Lock-free,
     * allocation-free.
     */
    long get(long attributeHash, int metric, int extraName, int extraValue, byte[] buf, int off, int len) {
        SeriesCache.State s = cache.state();
        CacheRecords r = s.records;
        currentRecords = r.id;
        current = 0;
        predicted = false;
        if (resolvedIn != s.contexts) {
            resourceId = s.contexts.find(resourceInts, resourceLength, resourceHash);
            resolvedIn = s.contexts;
        }
        if (resourceId < 0) {
            return SeriesCache.NONE; // no key of this resource is cached
        }
        contextLength = CacheKeys.writeContext(context, resourceId, metric, extraName, extraValue);
        if (previous != 0 && previousRecords == r.id) {
            int guess = r.next(previous);
            if (guess != 0) {
                long handle = r.handleIfMatches(guess, context, contextLength, buf, off, len, SeriesCache.NONE);
                if (handle != SeriesCache.NONE) {
                    current = guess;
                    predicted = true;
                    return handle;
                }
            }
        }
        int hash = CacheKeys.seriesHash(attributeHash, resourceId, metric, extraName, extraValue); // only for the index
        int a = SeriesCache.find(s, hash, context, contextLength, buf, off, len);
        current = a;
        return a == 0 ? SeriesCache.NONE : r.handle(a);
    }

    /**
     * Caches {@code handle} for the key of the last {@link #get}, given again (see {@link SeriesCache#put}):
     * only a miss pays for remembering it.
     */
    void put(long attributeHash, int metric, int extraName, int extraValue, byte[] buf, int off, int len, long handle) {
        this.attributeHash = attributeHash;
        this.metric = metric;
        this.extraName = extraName;
        this.extraValue = extraValue;
        this.buf = buf;
        this.off = off;
        this.len = len;
        if (cache.put(this, handle) == SeriesCache.FULL) {
            windowFull++;
        }
    }

    /** This write resolved to no series (the label path refused the point): nothing to remember. */
    void forget() {
        current = 0;
        predicted = false;
    }

    /** Ends a cache write: links the previous record to this one (the prediction), the bypass policy. */
    void resolved() {
        // A predicted record is already the previous one's hint; otherwise link it (when not already).
        if (!predicted && current != 0 && previous != 0 && previousRecords == currentRecords) {
            CacheRecords r = cache.state().records;
            if (r.id == currentRecords && r.next(previous) != current) {
                r.setNext(previous, current);
            }
        }
        previous = current;
        previousRecords = currentRecords;
        if (++windowWrites == BYPASS_WINDOW) {
            if (windowFull * 4 > windowWrites) {
                bypass = BYPASS_WRITES;
                previous = 0;
            }
            windowWrites = 0;
            windowFull = 0;
        }
    }

    /**
     * Makes the current key's resource context one of {@code contexts}, adding it there if new, and the
     * key's bytes and hash follow; false when {@code contexts} is full. Under the cache's monitor.
     */
    boolean keyIn(ResourceContexts contexts) {
        if (resolvedIn != contexts || resourceId < 0) {
            resourceId = contexts.intern(resourceInts, resourceLength, resourceHash);
            resolvedIn = contexts;
            if (resourceId < 0) {
                return false;
            }
        }
        makeKey();
        return true;
    }

    /** Records a put's outcome: the record now holding the key (0: none), in {@code records}. */
    void cached(CacheRecords records, int address) {
        currentRecords = records == null ? 0 : records.id;
        current = address;
        predicted = false;
    }

    private void makeKey() {
        contextLength = CacheKeys.writeContext(context, resourceId, metric, extraName, extraValue);
        hash = CacheKeys.seriesHash(attributeHash, resourceId, metric, extraName, extraValue);
    }
}
