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
        RefSet union = new RefSet(16);
        int[] lists = {0};
        values.forEachInt((valueSym, p) -> {
            if (m.matches(symbols.symbol(valueSym)) == accepted) {
                union.append(p);
                lists[0]++;
            }
        });
        if (lists[0] > 1) {
            // Values of one label partition its series, so the concatenation has no duplicates.
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

        RefSet intersect(RefSet o) {
            int[] src = a;
            int[] dst = n == 0 ? a : target();
            int i = 0;
            int j = 0;
            int w = 0;
            while (i < n && j < o.n) {
                int x = src[i];
                int y = o.a[j];
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
            n = w;
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
