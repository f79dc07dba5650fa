package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LabelNameCacheTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void returnsTheSymbolStoredForTheSameBytesAtAnyOffset() {
        LabelNameCache cache = new LabelNameCache();
        byte[] first = b("xxpodyy");
        assertEquals(-1, cache.get(first, 2, 3));
        cache.put(first, 2, 3, 42);
        byte[] second = b("pod");
        assertEquals(42, cache.get(second, 0, 3));
        assertEquals(-1, cache.get(b("pot"), 0, 3), "different bytes of the same length miss");
        assertEquals(-1, cache.get(b("po"), 0, 2), "a prefix misses");
    }

    @Test
    void keepsOnlyTheLatestEntryOfASlotAndNeverAnswersWrongly() {
        LabelNameCache cache = new LabelNameCache();
        for (int i = 0; i < 1000; i++) {
            byte[] k = b("key" + i);
            cache.put(k, 0, k.length, i);
        }
        for (int i = 0; i < 1000; i++) {
            byte[] k = b("key" + i);
            int got = cache.get(k, 0, k.length);
            if (got != -1) {
                assertEquals(i, got);
            }
        }
        byte[] last = b("key999");
        assertEquals(999, cache.get(last, 0, last.length));
    }

    @Test
    void keysLongerThanTheCacheLimitAreNotCached() {
        LabelNameCache cache = new LabelNameCache();
        byte[] k = b("k".repeat(65));
        cache.put(k, 0, k.length, 7);
        assertEquals(-1, cache.get(k, 0, k.length));
    }
}
