package dev.kedaotel.tsdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Both forms of a postings list answer the same, and each list takes the smaller form for its refs. */
class PostingsTest {

    private static void assertSameRefs(TreeSet<Integer> expected, Postings p) {
        assertEquals(expected.size(), p.size());
        int[] want = expected.stream().mapToInt(Integer::intValue).toArray();
        int[] got = new int[p.size() + 3];
        assertEquals(3 + p.size(), p.copyTo(got, 3));
        assertArrayEquals(want, java.util.Arrays.copyOfRange(got, 3, got.length));
        IntList listed = new IntList();
        p.addTo(listed);
        assertArrayEquals(want, listed.toArray());
        if (!expected.isEmpty()) {
            assertEquals(expected.first(), p.first());
            assertEquals(expected.last(), p.last());
            long[] bits = new long[(expected.last() >>> 6) + 1];
            p.setBitsIn(bits);
            assertEquals(BitSet.valueOf(bits), bitsOf(expected));
        }
        for (int probe : new int[] {0, 1, 63, 64, 65, 1000, 4095, 4096, 100_000, 1 << 20}) {
            assertEquals(expected.contains(probe), p.contains(probe), "contains " + probe);
        }
    }

    private static BitSet bitsOf(TreeSet<Integer> refs) {
        BitSet b = new BitSet();
        refs.forEach(b::set);
        return b;
    }

    @Test
    void aValueOfEverySeriesIsABitmapAndAValueOfFewIsAnArray() {
        Postings all = new Postings();
        Postings few = new Postings();
        TreeSet<Integer> allRefs = new TreeSet<>();
        TreeSet<Integer> fewRefs = new TreeSet<>();
        for (int ref = 0; ref < 10_000; ref++) {
            all.add(ref);
            allRefs.add(ref);
            if (ref % 100 == 7) {
                few.add(ref);
                fewRefs.add(ref);
            }
        }
        assertTrue(all.isDense(), "10k refs in a span of 10k");
        assertFalse(few.isDense(), "1 ref in 100");
        assertThrows(IllegalStateException.class, all::array);
        assertSameRefs(allRefs, all);
        assertSameRefs(fewRefs, few);
    }

    @Test
    void outOfOrderAddsReusedRefsAndAFarRefKeepBothFormsRight() {
        Random random = new Random(7);
        Postings p = new Postings();
        TreeSet<Integer> refs = new TreeSet<>();
        for (int i = 0; i < 5000; i++) { // dense range with holes, added in random order, duplicates included
            int ref = 4096 + random.nextInt(6000);
            p.add(ref);
            refs.add(ref);
        }
        assertTrue(p.isDense());
        assertSameRefs(refs, p);
        p.add(100); // below the bitmap: it grows downwards
        refs.add(100);
        assertSameRefs(refs, p);
        p.add(2_000_000); // far above: the span is now mostly empty, back to an array
        refs.add(2_000_000);
        assertFalse(p.isDense());
        assertSameRefs(refs, p);
    }

    @Test
    void removalsTurnADenseListSparseAgain() {
        Postings p = new Postings();
        TreeSet<Integer> refs = new TreeSet<>();
        for (int ref = 0; ref < 20_000; ref++) {
            p.add(ref);
            refs.add(ref);
        }
        assertTrue(p.isDense());
        BitSet removed = new BitSet();
        for (int ref = 0; ref < 20_000; ref++) {
            if (ref % 10 != 0) {
                removed.set(ref);
                refs.remove(ref);
            }
        }
        p.removeMarked(removed); // 1 in 10 left: still worth a bitmap
        assertTrue(p.isDense());
        assertSameRefs(refs, p);
        removed.clear();
        for (int ref = 0; ref < 20_000; ref++) {
            if (ref % 1000 != 0) {
                removed.set(ref);
                refs.remove(ref);
            }
        }
        p.removeMarked(removed); // 20 left
        assertFalse(p.isDense());
        assertSameRefs(refs, p);
        for (int ref = 20_000; ref < 20_100; ref++) { // and it keeps growing as an array
            p.add(ref);
            refs.add(ref);
        }
        assertSameRefs(refs, p);
    }
}
