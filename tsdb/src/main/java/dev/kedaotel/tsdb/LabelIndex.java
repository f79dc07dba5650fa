package dev.kedaotel.tsdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.StampedLock;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * Inverted index: (label name symbol, value symbol) → postings of live series refs, plus the postings
 * of all live series. Serves {@link LabelMatcher} selections with Prometheus semantics: an absent label
 * reads as "".
 *
 * <p>Selection strategy: matchers that do not match "" can only select series carrying the label, so
 * each one narrows the candidates to the union of the postings of its matching values (intersected
 * across such matchers, smallest first by construction order). Matchers that do match "" (e.g.
 * {@code a!="x"}, {@code a=~"x|"}) would also select series lacking the label, so they filter instead:
 * the postings of the values they reject are subtracted. Without any narrowing matcher the candidates
 * are all live series.
 *
 * <p>Concurrency: a {@link StampedLock}. Queries take the read lock; series creation ({@link #add}) and
 * removal ({@link #removeAll}) take the write lock. Agrona maps are only read with index loops
 * ({@code get}, {@code forEachInt}), never with their shared cached iterators, so concurrent readers are safe.
 */
final class LabelIndex {
    private final SymbolTable symbols;
    private final StampedLock lock = new StampedLock();
    private final Int2ObjectHashMap<Int2ObjectHashMap<Postings>> byName = new Int2ObjectHashMap<>();
    private final Postings all = new Postings();

    LabelIndex(SymbolTable symbols) {
        this.symbols = symbols;
    }

    void add(Series s) {
        long stamp = lock.writeLock();
        try {
            all.add(s.ref);
            int[] key = s.key;
            for (int i = 0; i < key.length; i += 2) {
                byName.computeIfAbsent(key[i], n -> new Int2ObjectHashMap<>())
                        .computeIfAbsent(key[i + 1], v -> new Postings())
                        .add(s.ref);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Removes a batch of series in one pass per touched postings list. */
    void removeAll(List<Series> removed) {
        if (removed.isEmpty()) {
            return;
        }
        BitSet marks = new BitSet();
        for (Series s : removed) {
            marks.set(s.ref);
        }
        List<Postings> touched = new ArrayList<>();
        long stamp = lock.writeLock();
        try {
            for (Series s : removed) {
                int[] key = s.key;
                for (int i = 0; i < key.length; i += 2) {
                    Int2ObjectHashMap<Postings> values = byName.get(key[i]);
                    Postings p = values == null ? null : values.get(key[i + 1]);
                    if (p != null && !p.touched) {
                        p.touched = true;
                        touched.add(p);
                    }
                }
            }
            for (Postings p : touched) {
                p.removeMarked(marks);
                p.touched = false;
            }
            all.removeMarked(marks);
            for (Series s : removed) {
                int[] key = s.key;
                for (int i = 0; i < key.length; i += 2) {
                    Int2ObjectHashMap<Postings> values = byName.get(key[i]);
                    if (values == null) {
                        continue;
                    }
                    Postings p = values.get(key[i + 1]);
                    if (p != null && p.size() == 0) {
                        values.remove(key[i + 1]);
                    }
                    if (values.isEmpty()) {
                        byName.remove(key[i]);
                    }
                }
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Appends the refs of live series matching all matchers, ascending. */
    void select(List<LabelMatcher> matchers, IntList out) {
        if (matchers.isEmpty()) {
            return;
        }
        long stamp = lock.readLock();
        try {
            RefSet candidates = null;
            for (LabelMatcher m : matchers) {
                if (!m.matchesEmpty()) {
                    RefSet s = refsWithValues(m, true);
                    candidates = candidates == null ? s : candidates.intersect(s);
                    if (candidates.n == 0) {
                        return;
                    }
                }
            }
            if (candidates == null) {
                candidates = RefSet.view(all);
            }
            for (LabelMatcher m : matchers) {
                if (m.matchesEmpty()) {
                    candidates = candidates.subtract(refsWithValues(m, false));
                    if (candidates.n == 0) {
                        return;
                    }
                }
            }
            int[] refs = candidates.a;
            for (int i = 0; i < candidates.n; i++) {
                out.add(refs[i]);
            }
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Refs of series whose value of m's label does ({@code accepted}) or does not satisfy m; absent labels excluded. */
    private RefSet refsWithValues(LabelMatcher m, boolean accepted) {
        int nameSym = symbols.lookup(m.name());
        Int2ObjectHashMap<Postings> values = nameSym < 0 ? null : byName.get(nameSym);
        if (values == null) {
            return RefSet.EMPTY;
        }
        // Equality needs no scan: one postings list answers "=" (accepted) and "!=" (rejected).
        if ((m.type() == LabelMatcher.Type.EQ && accepted) || (m.type() == LabelMatcher.Type.NEQ && !accepted)) {
            int v = symbols.lookup(m.value());
            Postings p = v < 0 ? null : values.get(v);
            return p == null ? RefSet.EMPTY : RefSet.view(p);
        }
        List<Postings> hits = new ArrayList<>();
        values.forEachInt((valueSym, p) -> {
            if (m.matches(symbols.symbol(valueSym)) == accepted) {
                hits.add(p);
            }
        });
        return union(hits);
    }

    /**
     * The sorted union of postings lists of one label's values (disjoint: values of one label partition
     * its series). Dense unions (at least one ref in 64 of the range) go through a bitmap over the ref
     * range, linear in refs + range / 64; sparse ones are concatenated and sorted.
     */
    private static RefSet union(List<Postings> hits) {
        if (hits.isEmpty()) {
            return RefSet.EMPTY;
        }
        if (hits.size() == 1) {
            return RefSet.view(hits.get(0));
        }
        int total = 0;
        int maxRef = 0;
        for (Postings p : hits) {
            total += p.size();
            if (p.size() > 0) {
                maxRef = Math.max(maxRef, p.get(p.size() - 1));
            }
        }
        RefSet union = new RefSet(total);
        if ((long) total * 64 >= maxRef) {
            long[] bits = new long[(maxRef >>> 6) + 1];
            for (Postings p : hits) {
                int[] refs = p.array();
                for (int i = 0, n = p.size(); i < n; i++) {
                    bits[refs[i] >>> 6] |= 1L << refs[i];
                }
            }
            int w = 0;
            for (int word = 0; word < bits.length; word++) {
                long b = bits[word];
                while (b != 0) {
                    union.a[w++] = (word << 6) + Long.numberOfTrailingZeros(b);
                    b &= b - 1;
                }
            }
            union.n = w;
        } else {
            for (Postings p : hits) {
                union.append(p);
            }
            Arrays.sort(union.a, 0, union.n);
        }
        return union;
    }

    /** Sorted label names of live series. */
    List<String> labelNames() {
        List<String> names = new ArrayList<>();
        long stamp = lock.readLock();
        try {
            byName.forEachInt((n, values) -> names.add(symbols.symbol(n)));
        } finally {
            lock.unlockRead(stamp);
        }
        names.sort(null);
        return names;
    }

    /** Sorted values of one label over live series. */
    List<String> labelValues(String name) {
        List<String> out = new ArrayList<>();
        int nameSym = symbols.lookup(name);
        if (nameSym < 0) {
            return out;
        }
        long stamp = lock.readLock();
        try {
            Int2ObjectHashMap<Postings> values = byName.get(nameSym);
            if (values != null) {
                values.forEachInt((v, p) -> out.add(symbols.symbol(v)));
            }
        } finally {
            lock.unlockRead(stamp);
        }
        out.sort(null);
        return out;
    }

    /**
     * A sorted ref array with set operations, private to one selection. It may start as a read-only view
     * of a postings list (valid while the read lock is held), so the common single-equality selection
     * copies refs once, straight into the caller's list; the first operation that would modify a view
     * copies it.
     */
    private static final class RefSet {
        static final RefSet EMPTY = new RefSet(0);
        int[] a;
        int n;
        private boolean view;

        RefSet(int capacity) {
            a = new int[capacity];
        }

        private RefSet(int[] a, int n) {
            this.a = a;
            this.n = n;
            this.view = true;
        }

        static RefSet view(Postings p) {
            return new RefSet(p.array(), p.size());
        }

        void append(Postings p) {
            if (n + p.size() > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, n + p.size()));
            }
            System.arraycopy(p.array(), 0, a, n, p.size());
            n += p.size();
        }

        /** Where results go: in place, or a private copy when this is a view of a postings list. */
        private int[] target() {
            if (view) {
                view = false;
                a = n == 0 ? a : new int[n];
            }
            return a;
        }

        /**
         * Keeps the refs also in {@code o}. Works from the smaller side into an array of the smaller
         * size (a selective matcher against a whole metric's postings copies 100 refs, not 100k), and
         * gallops through the bigger side when the sizes differ a lot.
         */
        RefSet intersect(RefSet o) {
            RefSet small = n <= o.n ? this : o;
            RefSet big = small == this ? o : this;
            int[] s = small.a;
            int[] b = big.a;
            int sn = small.n;
            int bn = big.n;
            // In place when this set is private and the smaller one; else a fresh array of the smaller size.
            int[] dst = small == this && !view ? a : new int[sn];
            int w = 0;
            if ((long) sn * 16 < bn) {
                int lo = 0;
                for (int i = 0; i < sn && lo < bn; i++) {
                    int x = s[i];
                    int step = 1;
                    int hi = lo;
                    while (hi < bn && b[hi] < x) { // gallop to a bracket, then binary search inside it
                        lo = hi + 1;
                        hi += step;
                        step <<= 1;
                    }
                    int found = Arrays.binarySearch(b, lo, Math.min(hi + 1, bn), x);
                    if (found >= 0) {
                        dst[w++] = x;
                        lo = found + 1;
                    } else {
                        lo = -found - 1;
                    }
                }
            } else {
                int i = 0;
                int j = 0;
                while (i < sn && j < bn) {
                    int x = s[i];
                    int y = b[j];
                    if (x == y) {
                        dst[w++] = x;
                        i++;
                        j++;
                    } else if (x < y) {
                        i++;
                    } else {
                        j++;
                    }
                }
            }
            a = dst;
            n = w;
            view = false;
            return this;
        }

        RefSet subtract(RefSet o) {
            if (o.n == 0 || n == 0) {
                return this;
            }
            int[] src = a;
            int[] dst = target();
            int j = 0;
            int w = 0;
            for (int i = 0; i < n; i++) {
                int x = src[i];
                while (j < o.n && o.a[j] < x) {
                    j++;
                }
                if (j >= o.n || o.a[j] != x) {
                    dst[w++] = x;
                }
            }
            n = w;
            return this;
        }
    }
}
