package dev.kedaotel.tsdb;

import dev.kedaotel.model.LabelMatcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.StampedLock;
import org.agrona.collections.Int2ObjectHashMap;

/**
 * Inverted index: (label name symbol, value symbol) → refs of the live series carrying it, plus the set
 * of all indexed refs. Serves {@link LabelMatcher} selections with Prometheus semantics: an absent label
 * reads as "".
 *
 * <p>Layout: per label name a {@link ValueRefs} (value symbol → a single ref stored inline, or the index
 * of a {@link Postings} list in {@link #lists} once a second series carries the value; back to inline when
 * removals leave one). The set of all indexed refs is a bitmap over the ref range ({@link #indexed}, one
 * bit per ref). Cost per series for a label value only it carries: one {@code ValueRefs} slot (8 bytes
 * at 1/2-3/4 load); for a shared value: 4 bytes in that value's postings (grown by 1.25×), or, for a value
 * carried by at least 1 in 16 of the series its refs span, a bit of that span (a dense list, see
 * {@link Postings}), i.e. at most 2 bytes.
 *
 * <p>Selection strategy: matchers that do not match "" can only select series carrying the label, so
 * each one narrows the candidates to the union of the postings of its matching values (intersected
 * across such matchers, smallest first by construction order). Matchers that do match "" (e.g.
 * {@code a!="x"}, {@code a=~"x|"}) would also select series lacking the label, so they filter instead:
 * the postings of the values they reject are subtracted. Without any narrowing matcher the candidates
 * are all indexed series.
 *
 * <p>Concurrency: a {@link StampedLock}. Queries take the read lock; series creation ({@link #add}) and
 * removal ({@link #removeAll}) take the write lock (and are called under the store's write lock). The
 * Agrona map of names is only read with index loops ({@code get}, {@code forEachInt}), never with its
 * shared cached iterators, so concurrent readers are safe.
 */
final class LabelIndex {
    /** How many label values a matcher is tested against between two cancellation checks. */
    static final int CHECK_EVERY_VALUES = 64;

    private final SymbolTable symbols;
    private final SeriesRegistry registry;
    private final StampedLock lock = new StampedLock();
    private final Int2ObjectHashMap<ValueRefs> byName = new Int2ObjectHashMap<>();
    /** Postings of values carried by several series; free entries are null and listed in {@link #freeLists}. */
    private Postings[] lists = new Postings[64];
    private int listCount;
    private final IntList freeLists = new IntList();
    /** Bit r set: ref r is indexed (live). */
    private long[] indexed = new long[16];

    LabelIndex(SymbolTable symbols, SeriesRegistry registry) {
        this.symbols = symbols;
        this.registry = registry;
    }

    /**
     * Number of live series carrying (name, value). For the store's writer (its write lock held): the
     * index only changes under that lock, so this reads without the index' lock.
     */
    int seriesWith(int nameSym, int valueSym) {
        ValueRefs values = byName.get(nameSym);
        int t = values == null ? ValueRefs.NOT_FOUND : values.get(valueSym);
        if (t == ValueRefs.NOT_FOUND) {
            return 0;
        }
        return ValueRefs.isList(t) ? lists[ValueRefs.listIndex(t)].size() : 1;
    }

    /** Indexes a new series (canonical label set {@code key}). */
    void add(int ref, LabelSetBuilder key) {
        long stamp = lock.writeLock();
        try {
            if ((ref >>> 6) >= indexed.length) {
                indexed = Arrays.copyOf(indexed, Math.max((ref >>> 6) + 1, indexed.length * 2));
            }
            indexed[ref >>> 6] |= 1L << ref;
            for (int i = 0; i < key.size(); i++) {
                ValueRefs values = byName.get(key.name(i));
                if (values == null) {
                    values = new ValueRefs();
                    byName.put(key.name(i), values);
                }
                int v = key.value(i);
                int t = values.get(v);
                if (t == ValueRefs.NOT_FOUND) {
                    values.put(v, ref);
                } else if (ValueRefs.isList(t)) {
                    lists[ValueRefs.listIndex(t)].add(ref);
                } else {
                    Postings p = new Postings();
                    p.add(t);
                    p.add(ref);
                    values.put(v, ValueRefs.listTag(allocateList(p)));
                }
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    private int allocateList(Postings p) {
        int i;
        if (freeLists.size() > 0) {
            i = freeLists.get(freeLists.size() - 1);
            freeLists.removeLast();
        } else {
            if (listCount == lists.length) {
                lists = Arrays.copyOf(lists, listCount * 2);
            }
            i = listCount++;
        }
        lists[i] = p;
        return i;
    }

    /**
     * Removes a batch of series in one pass per touched postings list. Their keys are read from the
     * registry, which keeps a removed series' key until its ref is reused.
     */
    void removeAll(IntList removed) {
        if (removed.size() == 0) {
            return;
        }
        BitSet marks = new BitSet();
        for (int i = 0; i < removed.size(); i++) {
            marks.set(removed.get(i));
        }
        IntList touched = new IntList(); // name, value, list index
        long stamp = lock.writeLock();
        try {
            for (int r = 0; r < removed.size(); r++) {
                int ref = removed.get(r);
                indexed[ref >>> 6] &= ~(1L << ref);
                int[] names = registry.shape(ref).names;
                for (int i = 0; i < names.length; i++) {
                    ValueRefs values = byName.get(names[i]);
                    int v = registry.value(ref, i);
                    int t = values == null ? ValueRefs.NOT_FOUND : values.get(v);
                    if (t == ValueRefs.NOT_FOUND) {
                        continue;
                    }
                    if (!ValueRefs.isList(t)) {
                        if (t == ref) {
                            values.remove(v);
                            if (values.size() == 0) {
                                byName.remove(names[i]);
                            }
                        }
                        continue;
                    }
                    Postings p = lists[ValueRefs.listIndex(t)];
                    if (!p.touched) {
                        p.touched = true;
                        touched.add(names[i]);
                        touched.add(v);
                        touched.add(ValueRefs.listIndex(t));
                    }
                }
            }
            for (int i = 0; i < touched.size(); i += 3) {
                int list = touched.get(i + 2);
                Postings p = lists[list];
                p.touched = false;
                p.removeMarked(marks);
                if (p.size() > 1) {
                    continue;
                }
                ValueRefs values = byName.get(touched.get(i));
                if (p.size() == 1) {
                    values.put(touched.get(i + 1), p.first());
                } else {
                    values.remove(touched.get(i + 1));
                    if (values.size() == 0) {
                        byName.remove(touched.get(i));
                    }
                }
                lists[list] = null;
                freeLists.add(list);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /**
     * Appends the refs of live series matching all matchers, ascending. {@code cancellation} is checked
     * while values are scanned (see {@link Cancellation}); the read lock is released however this ends.
     */
    <E extends Exception> void select(List<LabelMatcher> matchers, IntList out, Cancellation<E> cancellation) throws E {
        if (matchers.isEmpty()) {
            return;
        }
        long stamp = lock.readLock();
        try {
            RefSet candidates = null;
            for (LabelMatcher m : matchers) {
                if (!m.matchesEmpty()) {
                    RefSet s = refsWithValues(m, true, cancellation);
                    candidates = candidates == null ? s : candidates.intersect(s);
                    if (candidates.n == 0) {
                        return;
                    }
                }
            }
            if (candidates == null) {
                candidates = RefSet.ofBits(indexed);
            }
            for (LabelMatcher m : matchers) {
                if (m.matchesEmpty()) {
                    candidates = candidates.subtract(refsWithValues(m, false, cancellation));
                    if (candidates.n == 0) {
                        return;
                    }
                }
            }
            candidates.addTo(out);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Refs of series whose value of m's label does ({@code accepted}) or does not satisfy m; absent labels excluded. */
    private <E extends Exception> RefSet refsWithValues(LabelMatcher m, boolean accepted, Cancellation<E> cancellation)
            throws E {
        int nameSym = symbols.lookup(m.name());
        ValueRefs values = nameSym < 0 ? null : byName.get(nameSym);
        if (values == null) {
            return RefSet.EMPTY;
        }
        // Equality needs no scan: one value answers "=" (accepted) and "!=" (rejected).
        if ((m.type() == LabelMatcher.Type.EQ && accepted) || (m.type() == LabelMatcher.Type.NEQ && !accepted)) {
            int v = symbols.lookup(m.value());
            int t = v <= 0 ? ValueRefs.NOT_FOUND : values.get(v);
            return t == ValueRefs.NOT_FOUND ? RefSet.EMPTY : refs(t);
        }
        // A regex of literals (a|b|c: a kedify name's candidates under a suffix strategy, a Grafana
        // multi-value variable) looks its values up when they are fewer than the label's values.
        java.util.Set<String> literals = m.type() == LabelMatcher.Type.RE && accepted ? m.literalValues() : null;
        if (literals != null && literals.size() < values.size()) {
            IntList hits = new IntList();
            for (String literal : literals) {
                int v = symbols.lookup(literal);
                int t = v <= 0 ? ValueRefs.NOT_FOUND : values.get(v);
                if (t != ValueRefs.NOT_FOUND) {
                    hits.add(t);
                }
            }
            return union(hits);
        }
        IntList hits = new IntList();
        for (int i = 0, n = values.capacity(), tested = 0; i < n; i++) {
            int v = values.valueAt(i);
            if (v > 0) {
                if (++tested % CHECK_EVERY_VALUES == 0) {
                    cancellation.check();
                }
                if (m.matches(symbols.symbol(v)) == accepted) {
                    hits.add(values.taggedAt(i));
                }
            }
        }
        return union(hits);
    }

    /** The refs of one value: a view of its postings, or its single ref. */
    private RefSet refs(int tagged) {
        return ValueRefs.isList(tagged) ? RefSet.view(lists[ValueRefs.listIndex(tagged)]) : RefSet.single(tagged);
    }

    /**
     * The sorted union of the refs of one label's values (disjoint: values of one label partition its
     * series), each a tagged int of {@link ValueRefs}. Dense unions (at least one ref in 64 of the range)
     * go through a bitmap over the ref range, linear in refs + range / 64; sparse ones are concatenated
     * and sorted.
     */
    private RefSet union(IntList hits) {
        if (hits.size() == 0) {
            return RefSet.EMPTY;
        }
        if (hits.size() == 1) {
            return refs(hits.get(0));
        }
        int total = 0;
        int maxRef = 0;
        for (int h = 0; h < hits.size(); h++) {
            int t = hits.get(h);
            if (ValueRefs.isList(t)) {
                Postings p = lists[ValueRefs.listIndex(t)];
                total += p.size();
                if (p.size() > 0) {
                    maxRef = Math.max(maxRef, p.last());
                }
            } else {
                total++;
                maxRef = Math.max(maxRef, t);
            }
        }
        RefSet union = new RefSet(total);
        if ((long) total * 64 >= maxRef) {
            long[] bits = new long[(maxRef >>> 6) + 1];
            for (int h = 0; h < hits.size(); h++) {
                int t = hits.get(h);
                if (ValueRefs.isList(t)) {
                    lists[ValueRefs.listIndex(t)].setBitsIn(bits);
                } else {
                    bits[t >>> 6] |= 1L << t;
                }
            }
            union.n = RefSet.fromBits(bits, union.a);
        } else {
            for (int h = 0; h < hits.size(); h++) {
                int t = hits.get(h);
                if (ValueRefs.isList(t)) {
                    union.append(lists[ValueRefs.listIndex(t)]);
                } else {
                    union.a[union.n++] = t;
                }
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
            ValueRefs values = byName.get(nameSym);
            if (values != null) {
                for (int i = 0, n = values.capacity(); i < n; i++) {
                    if (values.valueAt(i) > 0) {
                        out.add(symbols.symbol(values.valueAt(i)));
                    }
                }
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
     * copies it. A view of a dense list ({@link #dense}) has no array: intersections and subtractions test
     * its bits for the refs of the other side, and only a set that must be filtered itself is expanded.
     */
    private static final class RefSet {
        static final RefSet EMPTY = new RefSet(0);
        int[] a;
        int n;
        private boolean view;
        /** Non-null: this set is the refs of this dense list (and {@link #a} is unused). */
        private Postings dense;

        RefSet(int capacity) {
            a = new int[capacity];
        }

        private RefSet(int[] a, int n) {
            this.a = a;
            this.n = n;
            this.view = true;
        }

        private RefSet(Postings dense) {
            this.dense = dense;
            this.n = dense.size();
            this.view = true;
        }

        static RefSet view(Postings p) {
            return p.isDense() ? new RefSet(p) : new RefSet(p.array(), p.size());
        }

        /** Appends the refs, ascending, to {@code out}. */
        void addTo(IntList out) {
            if (dense != null) {
                dense.addTo(out);
                return;
            }
            for (int i = 0; i < n; i++) {
                out.add(a[i]);
            }
        }

        /** Turns a view of a dense list into a private array. */
        private void expand() {
            if (dense != null) {
                a = new int[n];
                dense.copyTo(a, 0);
                dense = null;
                view = false;
            }
        }

        /** Keeps the refs of the array side {@code list} that {@code set} (a dense list) holds or, if {@code !keep}, lacks. */
        private RefSet filter(RefSet list, Postings set, boolean keep) {
            int[] src = list.a;
            int[] dst = list == this && !view ? a : new int[list.n];
            int w = 0;
            for (int i = 0; i < list.n; i++) {
                if (set.contains(src[i]) == keep) {
                    dst[w++] = src[i];
                }
            }
            a = dst;
            n = w;
            view = false;
            dense = null;
            return this;
        }

        static RefSet single(int ref) {
            RefSet s = new RefSet(1);
            s.a[0] = ref;
            s.n = 1;
            return s;
        }

        /** The refs whose bits are set, ascending. */
        static RefSet ofBits(long[] bits) {
            int count = 0;
            for (long b : bits) {
                count += Long.bitCount(b);
            }
            RefSet s = new RefSet(count);
            s.n = fromBits(bits, s.a);
            return s;
        }

        /** Writes the positions of the set bits, ascending, into {@code out}; returns how many. */
        static int fromBits(long[] bits, int[] out) {
            int w = 0;
            for (int word = 0; word < bits.length; word++) {
                long b = bits[word];
                while (b != 0) {
                    out[w++] = (word << 6) + Long.numberOfTrailingZeros(b);
                    b &= b - 1;
                }
            }
            return w;
        }

        void append(Postings p) {
            if (n + p.size() > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, n + p.size()));
            }
            n = p.copyTo(a, n);
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
            if (dense != null || o.dense != null) {
                // Test the array side's refs against the dense side's bits (both dense: expand the smaller).
                RefSet list = dense == null ? this : o.dense == null ? o : n <= o.n ? this : o;
                RefSet set = list == this ? o : this;
                list.expand();
                return filter(list, set.dense, true);
            }
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
            expand();
            if (o.dense != null) {
                return filter(this, o.dense, false);
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
