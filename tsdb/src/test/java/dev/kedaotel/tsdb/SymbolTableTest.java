package dev.kedaotel.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SymbolTableTest {

    @Test
    void emptyStringIsSymbolZeroAndIdsAreDense() {
        SymbolTable t = new SymbolTable();
        assertEquals(SymbolTable.EMPTY, t.intern(""));
        assertEquals(1, t.intern("job"));
        assertEquals(2, t.intern("pod"));
        assertEquals(1, t.intern("job"));
        assertEquals(3, t.size());
        assertEquals("pod", t.symbol(2));
        assertEquals(-1, t.lookup("never"));
        assertEquals(2, t.lookup("pod"));
    }

    @Test
    void internUtf8FindsTheSameIdAsTheStringFromAnyOffset() {
        SymbolTable t = new SymbolTable();
        int id = t.intern("größe");
        byte[] framed = ("xx" + "größe" + "yy").getBytes(StandardCharsets.UTF_8);
        int len = "größe".getBytes(StandardCharsets.UTF_8).length;
        assertEquals(id, t.internUtf8(framed, 2, len));
        int other = t.internUtf8(framed, 0, 2);
        assertNotEquals(id, other);
        assertEquals("xx", t.symbol(other));
        assertEquals("größe", t.symbol(id));
    }

    @Test
    void manySymbolsSurviveTableGrowth() {
        SymbolTable t = new SymbolTable();
        // 200k symbols: the index grows by 1.5× through capacities that are not multiples of 4 (or even).
        for (int i = 0; i < 200_000; i++) {
            assertEquals(i + 1, t.intern("value-" + i));
        }
        for (int i = 0; i < 200_000; i++) {
            byte[] b = ("value-" + i).getBytes(StandardCharsets.UTF_8);
            assertEquals(i + 1, t.internUtf8(b, 0, b.length));
            assertEquals("value-" + i, t.symbol(i + 1));
        }
    }

    @Test
    void concurrentInternersAgreeOnIds() throws Exception {
        SymbolTable t = new SymbolTable();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                Callable<int[]> job = () -> {
                    int[] ids = new int[20_000];
                    for (int i = 0; i < ids.length; i++) {
                        byte[] b = ("s" + i).getBytes(StandardCharsets.UTF_8);
                        ids[i] = t.internUtf8(b, 0, b.length);
                    }
                    return ids;
                };
                results.add(pool.submit(job));
            }
            int[] first = results.get(0).get(30, TimeUnit.SECONDS);
            for (Future<int[]> f : results) {
                int[] ids = f.get(30, TimeUnit.SECONDS);
                for (int i = 0; i < ids.length; i++) {
                    assertEquals(first[i], ids[i]);
                    assertEquals("s" + i, t.symbol(ids[i]));
                }
            }
            assertEquals(20_001, t.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badArgumentsAreNamed() {
        SymbolTable t = new SymbolTable();
        assertThrows(IllegalArgumentException.class, () -> t.symbol(99));
        assertThrows(IndexOutOfBoundsException.class, () -> t.internUtf8(new byte[4], 2, 5));
    }

    @Test
    void symbolsOfEveryLengthRoundTripThroughTheIndex() {
        SymbolTable t = new SymbolTable();
        List<String> values = new ArrayList<>();
        for (int len = 1; len <= 40; len++) {
            values.add("x".repeat(len));
            values.add("ü".repeat(len)); // 2 UTF-8 bytes per char: crosses the 11-byte inline limit at 5/6 chars
        }
        values.add("y".repeat(70_000)); // longer than an arena page
        values.add("z".repeat(65_000));
        int[] ids = new int[values.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = t.intern(values.get(i));
        }
        for (int i = 0; i < 20_000; i++) {
            t.intern("filler-" + i); // grows the index and evicts the string cache
        }
        for (int i = 0; i < ids.length; i++) {
            String v = values.get(i);
            assertEquals(v, t.symbol(ids[i]));
            assertEquals(ids[i], t.lookup(v));
            byte[] b = v.getBytes(StandardCharsets.UTF_8);
            assertEquals(ids[i], t.internUtf8(b, 0, b.length));
        }
        assertEquals(-1, t.lookup("x".repeat(41)));
        assertEquals(-1, t.lookup("y".repeat(69_999)));
    }

    @Test
    void unknownIdsAreRejected() {
        SymbolTable t = new SymbolTable();
        t.intern("a");
        assertThrows(IllegalArgumentException.class, () -> t.symbol(2));
        assertThrows(IllegalArgumentException.class, () -> t.symbol(-1));
    }

    /**
     * Strings are decoded from the index: an id must decode right after any thread got it, also while
     * other threads grow the index (the id's slot moves) and while its insert is still finishing.
     */
    @Test
    void idsDecodeAsSoonAsAnyThreadHasThemWhileTheIndexGrows() throws Exception {
        SymbolTable t = new SymbolTable();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 30_000; i++) {
                        // Half the symbols are shared between workers, half private; some are long.
                        String v = (i % 2 == 0 ? "shared-" + i : "w" + worker + "-" + i) + (i % 7 == 0 ? "-long-suffix-xxxxxxxx" : "");
                        int id = t.intern(v);
                        if (!v.equals(t.symbol(id))) {
                            throw new AssertionError(v + " decoded as " + t.symbol(id));
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(30_000, f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1 + 15_000 + 4 * 15_000, t.size());
        } finally {
            pool.shutdownNow();
        }
    }
}
