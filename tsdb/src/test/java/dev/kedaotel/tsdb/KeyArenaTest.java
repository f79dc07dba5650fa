package dev.kedaotel.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyArenaTest {

    @Test
    void entriesNeverOverlapNorCrossAPageAndFreedOnesAreReusedBySameLengthEntries() {
        KeyArena arena = new KeyArena();
        List<int[]> entries = new ArrayList<>(); // address, length, stamp
        for (int i = 0; i < 60_000; i++) { // ~4 pages of mixed lengths
            int length = 1 + i % 9;
            int a = arena.allocate(length);
            int at = a & KeyArena.PAGE_MASK;
            assertTrue(at + length <= KeyArena.PAGE_INTS, "entry crosses its page");
            for (int k = 0; k < length; k++) {
                arena.page(a)[at + k] = i;
            }
            entries.add(new int[] {a, length, i});
        }
        for (int[] e : entries) {
            for (int k = 0; k < e[1]; k++) {
                assertEquals(e[2], arena.page(e[0])[(e[0] & KeyArena.PAGE_MASK) + k]);
            }
        }
        int[] freed = entries.get(123);
        arena.free(freed[0], freed[1]);
        assertEquals(freed[0], arena.allocate(freed[1]));
        assertThrows(IllegalArgumentException.class, () -> arena.allocate(KeyArena.PAGE_INTS + 1));
    }
}
