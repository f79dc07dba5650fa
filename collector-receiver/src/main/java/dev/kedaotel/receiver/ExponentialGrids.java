package dev.kedaotel.receiver;

/**
 * The fixed {@code le} grid of each exponential histogram series, shared by the ingest workers, so that
 * a series' {@code _bucket} series stay the same from export to export whatever scale the sender uses.
 *
 * <p><b>Why a grid per series.</b> {@code rate()} and {@code histogram_quantile} need the same {@code le}
 * boundaries sample after sample, but SDKs change the scale of a series as its range grows (the Java
 * SDK starts at scale 20 and halves its resolution whenever its buckets no longer fit), and a delta
 * point covers only its own interval's range. So each series (resource labels, metric, point attributes)
 * has a grid: a scale {@code g} and the index ranges of its positive and negative buckets at {@code g},
 * plus whether it has a zero bucket boundary. Every point is downscaled to {@code g} (exact: boundaries
 * nest) and written at every boundary of the grid, also those outside its own range (their cumulative
 * counts are exact too: 0 below the point's values, all of them above).
 *
 * <p><b>How the grid changes.</b> Only by growing: its ranges become the union with each point's, and
 * its scale only goes down: to the point's when a point arrives coarser than the grid (its counts at the
 * finer boundaries are unknown), and one step at a time while the grid would have more than
 * {@code maxBuckets} {@code le} series. A new series starts at scale at most {@value #MAX_GRID_SCALE}
 * (boundaries 9.05% apart), which SDK data usually is already at: finer grids would cost more coarsening
 * steps as a series' range grows for an accuracy that interpolation inside a bucket mostly gives anyway.
 * When the scale goes down, the boundaries of the old scale that the new one lacks stop being written;
 * the caller marks them stale at once (see {@link Plan#coarsened}), so an instant query never mixes
 * their old counts with the new ones, and a {@code rate()} over a window sees them only until the window
 * has left their last samples (it needs two samples), i.e. for at most one range after the change. The
 * boundaries that stay are the same series before and after, so their rates are unaffected.
 *
 * <p><b>Delta temporality.</b> A boundary that joins the grid later (the range grew) starts from the
 * counts of the earlier points that are below it, which this table keeps per series (negative, zero and
 * all bucket counts so far), so its accumulated series equals the cumulative count from the first point.
 *
 * <p>A grid not written for the store's retention starts over with the next point, like the series it
 * describes, which the store has removed by then.
 *
 * <p><b>Bounded.</b> A table of {@value #SLOTS} series in groups of {@value #WAYS} (58 bytes each, ~1.9 MiB),
 * allocated on the first exponential histogram; when a group is full the least recently written series of it is forgotten,
 * and starts over like a new one if it comes back (possibly finer: its coarse boundaries go on as
 * before, finer ones are added). Two series share an entry only if their 64-bit hashes are equal.
 * Thread-safe: each group is guarded by one of {@value #LOCKS} locks, held only to plan one point;
 * nothing is allocated after the table.
 */
final class ExponentialGrids {
    /** Finest scale a grid starts at: boundaries 2^(1/8) = 9.05% apart. */
    static final int MAX_GRID_SCALE = 3;
    static final int SLOTS = 1 << 15;
    static final int WAYS = 8;
    private static final int LOCKS = 64;
    /** An empty range has lo > hi. */
    static final int EMPTY_LO = Integer.MAX_VALUE;
    static final int EMPTY_HI = Integer.MIN_VALUE;

    private final int maxBuckets;
    private final Object[] locks = new Object[LOCKS];
    private volatile Table table;

    /** The plan of one point, filled by {@link #plan}; one per ingest worker, reused. */
    static final class Plan {
        /** The grid after this point: scale, index ranges at it, whether it has a zero boundary. */
        int scale;
        int posLo;
        int posHi;
        int negLo;
        int negHi;
        boolean zero;
        /** Whether a grid existed before this point; then its scale and ranges before it. */
        boolean existed;
        int prevScale;
        int prevPosLo;
        int prevPosHi;
        int prevNegLo;
        int prevNegHi;
        boolean prevZero;
        /** Counts of the earlier points (delta temporality only): negative, zero, all buckets. */
        long priorNeg;
        long priorZero;
        long priorBuckets;

        /** Whether the grid's scale went down with this point (the old scale's extra boundaries must be marked stale). */
        boolean coarsened() {
            return existed && scale < prevScale;
        }
    }

    private static final class Table {
        final long[] keys = new long[SLOTS];
        final long[] used = new long[SLOTS];
        final byte[] scales = new byte[SLOTS];
        final boolean[] zero = new boolean[SLOTS];
        final int[] posLo = new int[SLOTS];
        final int[] posHi = new int[SLOTS];
        final int[] negLo = new int[SLOTS];
        final int[] negHi = new int[SLOTS];
        final long[] priorNeg = new long[SLOTS];
        final long[] priorZero = new long[SLOTS];
        final long[] priorBuckets = new long[SLOTS];
    }

    ExponentialGrids(int maxBuckets) {
        this.maxBuckets = maxBuckets;
        for (int i = 0; i < LOCKS; i++) {
            locks[i] = new Object();
        }
    }

    int maxBuckets() {
        return maxBuckets;
    }

    /** The number of {@code le} series (with {@code +Inf}) of a grid with these ranges. */
    static long leCount(long posLo, long posHi, long negLo, long negHi, boolean zero) {
        long n = 1;
        if (posLo <= posHi) {
            n += posHi - posLo + 2;
        }
        if (negLo <= negHi) {
            n += negHi - negLo + 2;
        }
        return zero ? n + 1 : n;
    }

    /**
     * Forgets every grid (after the store was emptied by {@code /memstore/reset}): the next point of each
     * series starts a new grid with no earlier delta counts, as a series new to the store must. A point
     * being planned at this moment finishes on the old table and is forgotten with it.
     */
    void forgetAll() {
        table = null;
    }

    private Table table() {
        Table t = table;
        if (t == null) {
            synchronized (this) {
                t = table;
                if (t == null) {
                    t = new Table();
                    table = t;
                }
            }
        }
        return t;
    }

    /**
     * Plans a point of series {@code key} (never 0) at {@code scale} whose populated buckets have the
     * index ranges {@code [posLo, posHi]} and {@code [negLo, negHi]} (empty: lo > hi): merges them into
     * the series' grid, coarsening it to at most {@code maxBuckets} {@code le} series, and fills {@code plan}.
     * With {@code delta}, the point's counts are added to the series' prior counts after they were copied.
     * A grid last written before {@code expiredBefore} starts over: its series were removed by retention,
     * so they (and a delta series' counts) start over too.
     */
    void plan(long key, long ts, long expiredBefore, int scale, long posLo, long posHi, long negLo, long negHi,
              boolean zero, boolean delta, long negCount, long zeroCount, long bucketCount, Plan plan) {
        Table t = table();
        int group = group(key);
        synchronized (locks[group & (LOCKS - 1)]) {
            int slot = slot(t, key, group);
            boolean existed = t.keys[slot] == key && t.used[slot] >= expiredBefore;
            plan.existed = existed;
            int g = Math.min(scale, MAX_GRID_SCALE);
            long pl = EMPTY_LO;
            long ph = EMPTY_HI;
            long nl = EMPTY_LO;
            long nh = EMPTY_HI;
            boolean z = zero;
            if (existed) {
                int ps = t.scales[slot];
                plan.prevScale = ps;
                plan.prevPosLo = t.posLo[slot];
                plan.prevPosHi = t.posHi[slot];
                plan.prevNegLo = t.negLo[slot];
                plan.prevNegHi = t.negHi[slot];
                plan.prevZero = t.zero[slot];
                plan.priorNeg = t.priorNeg[slot];
                plan.priorZero = t.priorZero[slot];
                plan.priorBuckets = t.priorBuckets[slot];
                g = Math.min(g, ps);
                if (plan.prevPosLo <= plan.prevPosHi) {
                    pl = ExponentialBoundaries.downscale(plan.prevPosLo, ps - g);
                    ph = ExponentialBoundaries.downscale(plan.prevPosHi, ps - g);
                }
                if (plan.prevNegLo <= plan.prevNegHi) {
                    nl = ExponentialBoundaries.downscale(plan.prevNegLo, ps - g);
                    nh = ExponentialBoundaries.downscale(plan.prevNegHi, ps - g);
                }
                z |= plan.prevZero;
            } else {
                plan.priorNeg = 0;
                plan.priorZero = 0;
                plan.priorBuckets = 0;
                plan.prevZero = false;
            }
            if (posLo <= posHi) {
                pl = Math.min(pl, ExponentialBoundaries.downscale(posLo, scale - g));
                ph = Math.max(ph, ExponentialBoundaries.downscale(posHi, scale - g));
            }
            if (negLo <= negHi) {
                nl = Math.min(nl, ExponentialBoundaries.downscale(negLo, scale - g));
                nh = Math.max(nh, ExponentialBoundaries.downscale(negHi, scale - g));
            }
            while (g > ExponentialBoundaries.MIN_SCALE && leCount(pl, ph, nl, nh, z) > maxBuckets) {
                g--;
                if (pl <= ph) {
                    pl >>= 1;
                    ph >>= 1;
                }
                if (nl <= nh) {
                    nl >>= 1;
                    nh >>= 1;
                }
            }
            plan.scale = g;
            plan.posLo = (int) pl;
            plan.posHi = (int) ph;
            plan.negLo = (int) nl;
            plan.negHi = (int) nh;
            plan.zero = z;
            t.keys[slot] = key;
            t.used[slot] = Math.max(existed ? t.used[slot] : Long.MIN_VALUE, ts);
            t.scales[slot] = (byte) g;
            t.posLo[slot] = plan.posLo;
            t.posHi[slot] = plan.posHi;
            t.negLo[slot] = plan.negLo;
            t.negHi[slot] = plan.negHi;
            t.zero[slot] = z;
            if (delta) {
                t.priorNeg[slot] = plan.priorNeg + negCount;
                t.priorZero[slot] = plan.priorZero + zeroCount;
                t.priorBuckets[slot] = plan.priorBuckets + bucketCount;
            } else if (!existed) {
                t.priorNeg[slot] = 0;
                t.priorZero[slot] = 0;
                t.priorBuckets[slot] = 0;
            }
        }
    }

    /** Fills {@code plan} with the grid of series {@code key} as it is, without changing it; false when it has none. */
    boolean current(long key, Plan plan) {
        Table t = table;
        if (t == null) {
            return false;
        }
        int group = group(key);
        synchronized (locks[group & (LOCKS - 1)]) {
            int base = group * WAYS;
            for (int i = base; i < base + WAYS; i++) {
                if (t.keys[i] == key) {
                    plan.existed = true;
                    plan.scale = plan.prevScale = t.scales[i];
                    plan.posLo = plan.prevPosLo = t.posLo[i];
                    plan.posHi = plan.prevPosHi = t.posHi[i];
                    plan.negLo = plan.prevNegLo = t.negLo[i];
                    plan.negHi = plan.prevNegHi = t.negHi[i];
                    plan.zero = plan.prevZero = t.zero[i];
                    return true;
                }
            }
        }
        return false;
    }

    /** The slot of {@code key} in its group, else an empty one, else the least recently used one. */
    private static int slot(Table t, long key, int group) {
        int base = group * WAYS;
        int victim = -1;
        for (int i = base; i < base + WAYS; i++) {
            long k = t.keys[i];
            if (k == key) {
                return i;
            }
            if (k == 0) {
                if (victim < 0 || t.keys[victim] != 0) {
                    victim = i;
                }
            } else if (victim < 0 || (t.keys[victim] != 0 && t.used[i] < t.used[victim])) {
                victim = i;
            }
        }
        return victim;
    }

    /** A 64-bit hash step (SplitMix64's finaliser over the running value xor the input). */
    static long mix(long h, long v) {
        long x = (h ^ v) * 0xBF58476D1CE4E5B9L;
        x ^= x >>> 31;
        x *= 0x94D049BB133111EBL;
        return x ^ (x >>> 29);
    }

    /** The group of {@value #WAYS} slots {@code key} may occupy. */
    static int group(long key) {
        return (int) (mix(0x9E3779B97F4A7C15L, key) & (SLOTS / WAYS - 1));
    }
}
