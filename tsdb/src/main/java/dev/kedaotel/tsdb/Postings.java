package dev.kedaotel.tsdb;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A duplicate-free set of series refs, iterated in ascending order: the series carrying one label value,
 * when there are at least two (a value of one series is stored inline in {@link ValueRefs}). Guarded by
 * {@link LabelIndex}'s lock.
 *
 * <p>Two forms, whichever is smaller for the refs it holds:
 * <ul>
 *   <li><b>sparse</b>: a sorted {@code int[]}, 4 bytes a ref (grown by 1.25×). Refs mostly arrive in
 *       increasing order, so adding is usually an append;</li>
 *   <li><b>dense</b>: a bitmap over the words {@code [base, base + bits.length)} of the ref range, bit
 *       {@code ref & 63} of word {@code (ref >>> 6) - base}: 1/8 byte per ref of the range it spans.</li>
 * </ul>
 * A value carried by a large share of the series (a namespace, a job, a metric name with many series)
 * holds a ref of each of them, so its form is paid per series: at {@value #TO_DENSE} or more refs per
 * 64 refs of its span it turns dense (a bitmap at most half the array), below {@value #TO_SPARSE} per 64
 * sparse again (an array at most half the bitmap); the gap between the two keeps a list near the border
 * from switching back and forth.
 */
final class Postings {
    /** Refs per 64 of the span from which the dense form is taken (smaller lists stay sparse). */
    static final int TO_DENSE = 4;
    /** Refs per 64 of the span below which a dense list turns sparse again. */
    static final int TO_SPARSE = 1;
    /** Lists smaller than this stay sparse whatever their span. */
    private static final int MIN_DENSE = 64;

    /** Sparse form: sorted refs in {@code [0, size)}; null while dense. Created on the second series of a value. */
    private int[] refs = new int[2];
    /** Dense form: the bitmap; null while sparse. */
    private long[] bits;
    /** Dense form: the ref range's word index of {@code bits[0]}. */
    private int base;
    private int size;
    /** Scratch flag for batch removal (write lock held). */
    boolean touched;

    void add(int ref) {
        if (bits != null) {
            addDense(ref);
            return;
        }
        if (size == refs.length) {
            refs = Arrays.copyOf(refs, size + (size >> 2) + 2);
        }
        if (size == 0 || refs[size - 1] < ref) {
            refs[size++] = ref;
        } else {
            int i = Arrays.binarySearch(refs, 0, size, ref);
            if (i >= 0) {
                return;
            }
            int at = -i - 1;
            System.arraycopy(refs, at, refs, at + 1, size - at);
            refs[at] = ref;
            size++;
        }
        if (size >= MIN_DENSE && (long) size * 64 >= (long) TO_DENSE * (refs[size - 1] - refs[0] + 1)) {
            toDense();
        }
    }

    private void addDense(int ref) {
        int w = (ref >>> 6) - base;
        if (w < 0 || w >= bits.length) {
            int first = Math.min(base, ref >>> 6);
            int last = Math.max(base + bits.length - 1, ref >>> 6);
            // Growing up (the usual case: new refs are the highest) leaves 1/4 spare words, as the sparse form.
            int words = last - first + 1 + (ref >>> 6 > base + bits.length - 1 ? (last - first + 1) >> 2 : 0);
            long[] b = new long[words];
            System.arraycopy(bits, 0, b, base - first, bits.length);
            bits = b;
            base = first;
            w = (ref >>> 6) - base;
        }
        long mask = 1L << ref;
        if ((bits[w] & mask) == 0) {
            bits[w] |= mask;
            size++;
            if ((long) size * 64 < (long) TO_SPARSE * bits.length * 64) {
                toSparse(); // a far ref stretched the span
            }
        }
    }

    /** Removes every ref for which {@code removed[ref]} is set (one pass, for batch removal). */
    void removeMarked(BitSet removed) {
        if (bits != null) {
            for (int w = 0; w < bits.length; w++) {
                long word = bits[w];
                for (long b = word; b != 0; b &= b - 1) {
                    int ref = ((base + w) << 6) + Long.numberOfTrailingZeros(b);
                    if (removed.get(ref)) {
                        word &= ~(1L << ref);
                        size--;
                    }
                }
                bits[w] = word;
            }
            if ((long) size * 64 < (long) TO_SPARSE * bits.length * 64 || size < MIN_DENSE / 2) {
                toSparse();
            }
            return;
        }
        int w = 0;
        for (int r = 0; r < size; r++) {
            int ref = refs[r];
            if (!removed.get(ref)) {
                refs[w++] = ref;
            }
        }
        size = w;
        if (size < refs.length / 4 && refs.length > 16) {
            refs = Arrays.copyOf(refs, Math.max(16, size * 2));
        }
    }

    private void toDense() {
        int first = refs[0] >>> 6;
        long[] b = new long[(refs[size - 1] >>> 6) - first + 1];
        for (int i = 0; i < size; i++) {
            b[(refs[i] >>> 6) - first] |= 1L << refs[i];
        }
        bits = b;
        base = first;
        refs = null;
    }

    private void toSparse() {
        int[] r = new int[Math.max(2, size + (size >> 2))];
        copyTo(r, 0);
        refs = r;
        bits = null;
    }

    int size() {
        return size;
    }

    boolean isDense() {
        return bits != null;
    }

    /** The smallest ref (the list is not empty). */
    int first() {
        if (bits == null) {
            return refs[0];
        }
        int w = 0;
        while (bits[w] == 0) {
            w++;
        }
        return ((base + w) << 6) + Long.numberOfTrailingZeros(bits[w]);
    }

    /** The largest ref (the list is not empty). */
    int last() {
        if (bits == null) {
            return refs[size - 1];
        }
        int w = bits.length - 1;
        while (bits[w] == 0) {
            w--;
        }
        return ((base + w) << 6) + 63 - Long.numberOfLeadingZeros(bits[w]);
    }

    boolean contains(int ref) {
        if (bits == null) {
            return Arrays.binarySearch(refs, 0, size, ref) >= 0;
        }
        int w = (ref >>> 6) - base;
        return w >= 0 && w < bits.length && (bits[w] & 1L << ref) != 0;
    }

    /** Writes the refs, ascending, into {@code dst} from {@code at}; returns the index after the last. */
    int copyTo(int[] dst, int at) {
        if (bits == null) {
            System.arraycopy(refs, 0, dst, at, size);
            return at + size;
        }
        for (int w = 0; w < bits.length; w++) {
            long b = bits[w];
            int first = (base + w) << 6;
            if (b == -1L) { // a full word (the common case for a value most series carry): 64 refs in a row
                for (int i = 0; i < 64; i++) {
                    dst[at + i] = first + i;
                }
                at += 64;
                continue;
            }
            for (; b != 0; b &= b - 1) {
                dst[at++] = first + Long.numberOfTrailingZeros(b);
            }
        }
        return at;
    }

    /** Appends the refs, ascending, to {@code out}. */
    void addTo(IntList out) {
        copyTo(out.extend(size), out.size() - size);
    }

    /** Sets the bit of each ref in {@code dst}, a bitmap over the ref range from 0 (large enough for {@link #last()}). */
    void setBitsIn(long[] dst) {
        if (bits == null) {
            for (int i = 0; i < size; i++) {
                dst[refs[i] >>> 6] |= 1L << refs[i];
            }
            return;
        }
        for (int w = 0, n = Math.min(bits.length, dst.length - base); w < n; w++) { // spare words past dst are 0
            dst[base + w] |= bits[w];
        }
    }

    /** The sparse form's sorted array, valid up to {@link #size()}; only while not {@link #isDense()}. */
    int[] array() {
        if (bits != null) {
            throw new IllegalStateException("a dense list has no ref array");
        }
        return refs;
    }
}
