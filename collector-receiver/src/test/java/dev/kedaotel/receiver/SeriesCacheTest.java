package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The cache's own contract: exact keys, replacement, bounded size. */
class SeriesCacheTest {
    private static final byte[] CTX_A = {1, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1};
    private static final byte[] CTX_B = {2, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1};

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The cached handle, or -1 (a table lookup: no predecessor). */
    private static long get(SeriesCache cache, int h, byte[] ctx, int ctxLen, byte[] buf, int off, int len) {
        SeriesCache.Entry e = cache.get(h, ctx, ctxLen, buf, off, len, null);
        return e == null ? -1 : e.handle;
    }

    private static int hash(byte[] ctx, byte[] attrs) {
        return SeriesCache.finish(SeriesCache.hashBytes(attrs, 0, attrs.length) * 31 + SeriesCache.hashBytes(ctx, 0, ctx.length));
    }

    @Test
    void onlyTheExactKeyHits() {
        SeriesCache cache = new SeriesCache(1024);
        byte[] attrs = bytes("..pod=a..");
        int h = hash(CTX_A, attrs);
        cache.put(h, CTX_A, CTX_A.length, attrs, 0, attrs.length, 42);
        assertEquals(42, get(cache, h, CTX_A, CTX_A.length, attrs, 0, attrs.length));
        byte[] padded = bytes("xx..pod=a..yy");
        assertEquals(42, get(cache, h, CTX_A, CTX_A.length, padded, 2, attrs.length), "compared by range");

        // Same hash forced, different key: never the cached handle.
        assertEquals(-1, get(cache, h, CTX_B, CTX_B.length, attrs, 0, attrs.length));
        byte[] other = bytes("..pod=b..");
        assertEquals(-1, get(cache, h, CTX_A, CTX_A.length, other, 0, other.length));
        assertEquals(-1, get(cache, h, CTX_A, CTX_A.length, attrs, 0, attrs.length - 1));
        assertEquals(-1, get(cache, h, CTX_A, 8, attrs, 0, attrs.length));
    }

    @Test
    void puttingTheSameKeyAgainReplacesItsHandle() {
        SeriesCache cache = new SeriesCache(1024);
        byte[] attrs = bytes("k=v");
        int h = hash(CTX_A, attrs);
        cache.put(h, CTX_A, CTX_A.length, attrs, 0, attrs.length, 1);
        cache.put(h, CTX_A, CTX_A.length, attrs, 0, attrs.length, 2);
        assertEquals(2, get(cache, h, CTX_A, CTX_A.length, attrs, 0, attrs.length));
        assertEquals(1, cache.size());
    }

    @Test
    void growsUpToItsBoundAndThenEvicts() {
        SeriesCache cache = new SeriesCache(4096);
        for (int i = 0; i < 20_000; i++) {
            byte[] attrs = bytes("series=" + i);
            cache.put(hash(CTX_A, attrs), CTX_A, CTX_A.length, attrs, 0, attrs.length, i);
        }
        assertEquals(4096, cache.slots());
        assertTrue(cache.size() <= 4096);
        int hits = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] attrs = bytes("series=" + i);
            long handle = get(cache, hash(CTX_A, attrs), CTX_A, CTX_A.length, attrs, 0, attrs.length);
            if (handle >= 0) {
                assertEquals(i, handle, "a hit is always the key's own handle");
                hits++;
            }
        }
        assertTrue(hits > 0 && hits <= 4096, "hits " + hits);
    }

    @Test
    void thePredictedSuccessorIsUsedOnlyWhenItsKeyMatches() {
        SeriesCache cache = new SeriesCache(1024);
        byte[] a = bytes("series=a");
        byte[] b = bytes("series=b");
        SeriesCache.Entry ea = cache.put(hash(CTX_A, a), CTX_A, CTX_A.length, a, 0, a.length, 1);
        SeriesCache.Entry eb = cache.put(hash(CTX_A, b), CTX_A, CTX_A.length, b, 0, b.length, 2);
        SeriesCache.link(ea, eb);
        assertSame(eb, ea.next);
        assertSame(eb, cache.get(hash(CTX_A, b), CTX_A, CTX_A.length, b, 0, b.length, ea));
        // A wrong prediction falls back to the table and still answers the key's own entry.
        assertSame(ea, cache.get(hash(CTX_A, a), CTX_A, CTX_A.length, a, 0, a.length, ea));
        byte[] c = bytes("series=c");
        assertNull(cache.get(hash(CTX_A, c), CTX_A, CTX_A.length, c, 0, c.length, ea));
    }

    /** One cache write of {@code client}: looks the key up, caches it on a miss; whether it hit. */
    private static boolean write(SeriesCache.Client client, byte[] attrs, long handle) {
        int h = hash(CTX_A, attrs);
        SeriesCache.Entry e = client.get(h, CTX_A, CTX_A.length, attrs, 0, attrs.length);
        boolean hit = e != null;
        if (!hit) {
            e = client.put(h, CTX_A, CTX_A.length, attrs, 0, attrs.length, handle);
        }
        client.resolved(e);
        return hit;
    }

    @Test
    void aClientBypassesTheCacheForAWhileAfterAWindowOfMostlyFullMisses() {
        SeriesCache.Client client = new SeriesCache(SeriesCache.PROBES).client();
        for (int i = 0; i < SeriesCache.Client.BYPASS_WINDOW; i++) {
            assertTrue(client.enabled(), "write " + i);
            write(client, bytes("series=" + i), i);
        }
        for (int i = 0; i < SeriesCache.Client.BYPASS_WRITES; i++) {
            assertFalse(client.enabled());
        }
        assertTrue(client.enabled(), "tries the cache again after the bypass");
    }

    @Test
    void aClientWhoseSeriesFitKeepsUsingTheCacheAndPredictsTheirOrder() {
        SeriesCache cache = new SeriesCache(1024);
        SeriesCache.Client client = cache.client();
        int hits = 0;
        for (int i = 0; i < 3 * SeriesCache.Client.BYPASS_WINDOW; i++) {
            assertTrue(client.enabled(), "write " + i);
            hits += write(client, bytes("series=" + i % 100), i % 100) ? 1 : 0;
        }
        assertEquals(3 * SeriesCache.Client.BYPASS_WINDOW - 100, hits);
        // The order seen is remembered: series=1 follows series=0.
        byte[] a = bytes("series=0");
        byte[] b = bytes("series=1");
        SeriesCache.Entry ea = cache.get(hash(CTX_A, a), CTX_A, CTX_A.length, a, 0, a.length, null);
        assertSame(cache.get(hash(CTX_A, b), CTX_A, CTX_A.length, b, 0, b.length, null), ea.next);
    }

    @Test
    void aClientDoesNotCountAFullWindowAsAnEntry() {
        SeriesCache.Client client = new SeriesCache(SeriesCache.PROBES).client();
        int cached = 0;
        for (int i = 0; i < 1000; i++) {
            byte[] attrs = bytes("series=" + i);
            SeriesCache.Entry e = client.put(hash(CTX_A, attrs), CTX_A, CTX_A.length, attrs, 0, attrs.length, i);
            assertNotSame(SeriesCache.FULL, e);
            cached += e == null ? 0 : 1;
        }
        assertTrue(cached >= SeriesCache.PROBES && cached < 1000, "cached " + cached);
    }

    @Test
    void keysOverTheLimitAreNotCached() {
        SeriesCache cache = new SeriesCache(1024);
        byte[] attrs = new byte[SeriesCache.MAX_KEY_BYTES];
        assertTrue(!SeriesCache.cacheable(CTX_A.length, attrs.length));
        cache.put(7, CTX_A, CTX_A.length, attrs, 0, attrs.length, 1);
        assertEquals(-1, get(cache, 7, CTX_A, CTX_A.length, attrs, 0, attrs.length));
        assertEquals(0, cache.size());
    }

    @Test
    void rejectsABoundBelowOneProbeWindow() {
        assertThrows(IllegalArgumentException.class, () -> new SeriesCache(SeriesCache.PROBES - 1));
        assertThrows(IllegalArgumentException.class, () -> ReceiverConfig.builder().seriesCacheSlots(3));
    }
}
