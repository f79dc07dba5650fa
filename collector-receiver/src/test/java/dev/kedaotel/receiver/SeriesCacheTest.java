package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The cache's own contract, through a worker's {@link SeriesCacheClient}: exact keys, handle replacement,
 * growth, the bound with eviction and compaction, resource contexts, predictions in any order, and shared
 * use by concurrent workers.
 */
class SeriesCacheTest {
    private static final int METRIC = 1;
    private static final int OTHER_METRIC = 2;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A resource's promoted label ints (name, value symbol ids) as the mapper hands them over. */
    private static byte[] resource(int... ints) {
        byte[] b = new byte[4 * ints.length];
        for (int i = 0; i < ints.length; i++) {
            CacheKeys.setResourceInt(b, i, ints[i]);
        }
        return b;
    }

    private static void enter(SeriesCacheClient client, byte[] resourceInts) {
        client.resource(resourceInts, resourceInts.length);
    }

    /** A lookup as the mapper makes it: the cached handle or NONE. */
    private static long get(SeriesCacheClient client, int metric, int extraName, int extraValue, byte[] attrs) {
        long h = client.get(CacheKeys.attributeHash(attrs, 0, attrs.length), metric, extraName, extraValue, attrs, 0,
                attrs.length);
        client.resolved();
        return h;
    }

    private static long get(SeriesCacheClient client, byte[] attrs) {
        return get(client, METRIC, -1, -1, attrs);
    }

    /** One cache write: the cached handle, else {@code handle} is cached; whether it hit with that handle. */
    private static boolean write(SeriesCacheClient client, int metric, int extraName, int extraValue, byte[] attrs,
                                 long handle) {
        long cached = client.get(CacheKeys.attributeHash(attrs, 0, attrs.length), metric, extraName, extraValue, attrs,
                0, attrs.length);
        boolean hit = cached == handle;
        if (!hit) {
            client.put(CacheKeys.attributeHash(attrs, 0, attrs.length), metric, extraName, extraValue, attrs, 0,
                    attrs.length, handle);
        }
        client.resolved();
        return hit;
    }

    private static boolean write(SeriesCacheClient client, byte[] attrs, long handle) {
        return write(client, METRIC, -1, -1, attrs, handle);
    }

    @Test
    void theHashOfAStoredKeyIsTheHashTheKeyWasLookedUpWith() {
        byte[] attrs = bytes("\n\u0010\n\u0003pod\u0012\t\n\u0007pod-123 and some more bytes");
        long attributeHash = CacheKeys.attributeHash(attrs, 0, attrs.length);
        for (int[] extra : new int[][] {{-1, -1}, {9, 11}}) {
            byte[] key = new byte[CacheKeys.EXTRA_CONTEXT_BYTES + attrs.length];
            int contextLength = CacheKeys.writeContext(key, 5, 7, extra[0], extra[1]);
            System.arraycopy(attrs, 0, key, contextLength, attrs.length);
            int keyLength = contextLength + attrs.length;
            assertEquals(extra[0] < 0 ? CacheKeys.PLAIN_CONTEXT_BYTES : CacheKeys.EXTRA_CONTEXT_BYTES, contextLength);
            assertEquals(CacheKeys.seriesHash(attributeHash, 5, 7, extra[0], extra[1]),
                    CacheKeys.hashOfStored(key, 0, contextLength, keyLength));
        }
    }

    @Test
    void onlyTheExactKeyHits() {
        SeriesCacheClient client = new SeriesCache(1024).client();
        enter(client, resource(3, 4));
        byte[] attrs = bytes("..pod=a..");
        write(client, attrs, 42);
        assertEquals(42, get(client, attrs));
        byte[] padded = bytes("xx..pod=a..yy");
        assertEquals(42, client.get(CacheKeys.attributeHash(attrs, 0, attrs.length), METRIC, -1, -1, padded, 2,
                attrs.length), "compared by range");
        client.resolved();

        assertEquals(SeriesCache.NONE, get(client, OTHER_METRIC, -1, -1, attrs));
        assertEquals(SeriesCache.NONE, get(client, METRIC, 8, 9, attrs), "with an extra label");
        assertEquals(SeriesCache.NONE, get(client, bytes("..pod=b..")));
        assertEquals(SeriesCache.NONE, get(client, bytes("..pod=a.")));
        enter(client, resource(3, 5));
        assertEquals(SeriesCache.NONE, get(client, attrs), "another resource");
        enter(client, resource(3, 4, 6, 7));
        assertEquals(SeriesCache.NONE, get(client, attrs), "a resource with one more label");
        enter(client, resource(3, 4));
        assertEquals(42, get(client, attrs));
    }

    @Test
    void keysWithTheSameHashAreKeptApart() {
        SeriesCacheClient client = new SeriesCache(1024).client();
        long forced = 12345; // every key gets this attribute hash: one home slot, one fragment
        for (int i = 0; i < SeriesCache.PROBES; i++) {
            byte[] attrs = bytes("series=" + i);
            assertEquals(SeriesCache.NONE, client.get(forced, METRIC, -1, -1, attrs, 0, attrs.length));
            client.put(forced, METRIC, -1, -1, attrs, 0, attrs.length, 100 + i);
            client.resolved();
        }
        for (int i = SeriesCache.PROBES - 1; i >= 0; i--) {
            byte[] attrs = bytes("series=" + i);
            assertEquals(100 + i, client.get(forced, METRIC, -1, -1, attrs, 0, attrs.length));
            client.resolved();
        }
    }

    @Test
    void puttingTheSameKeyAgainReplacesItsHandleInPlace() {
        SeriesCache cache = new SeriesCache(1024);
        SeriesCacheClient client = cache.client();
        byte[] attrs = bytes("k=v");
        write(client, attrs, 1);
        long bytes = cache.liveBytes();
        assertFalse(write(client, attrs, 2), "a new series for the key (the old one was removed)");
        assertEquals(2, get(client, attrs));
        assertEquals(1, cache.size());
        assertEquals(bytes, cache.liveBytes(), "no second record");
        assertEquals(0, cache.droppedBytes());
    }

    @Test
    void growsByDoublingAndFindsItsKeysAfterward() {
        SeriesCache cache = new SeriesCache(1 << 20);
        SeriesCacheClient client = cache.client();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            write(client, bytes("series=" + i), i);
        }
        assertEquals(1 << 16, cache.slots(), "20k keys: 32k slots would be over half full");
        // A key whose probe window is full (a rare cluster at this load) is not cached: a handful at most.
        assertTrue(cache.size() >= n - 5, "size " + cache.size());
        int found = 0;
        long recordBytes = 0;
        for (int i = n - 1; i >= 0; i--) { // reverse order: no prediction helps
            long handle = get(client, bytes("series=" + i));
            assertTrue(handle == i || handle == SeriesCache.NONE);
            if (handle == i) {
                found++;
                recordBytes += (14 + 9 + ("series=" + i).length() + 7) / 8 * 8; // header, context, attributes
            }
        }
        assertEquals(cache.size(), found, "every key placed before a growth is found after it");
        assertEquals(recordBytes, cache.liveBytes(), "one record per cached key, 8-byte aligned");
    }

    @Test
    void atItsBoundEvictsRarelyCompactsAndNeverAnswersAnotherKeysHandle() {
        SeriesCache cache = new SeriesCache(1024);
        SeriesCacheClient client = cache.client();
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 5_000; i++) {
                byte[] attrs = bytes("series=" + i);
                long cached = get(client, attrs);
                assertTrue(cached == SeriesCache.NONE || cached == i, "a hit is always the key's own handle");
                if (cached == SeriesCache.NONE) {
                    write(client, attrs, i);
                }
            }
        }
        assertEquals(1024, cache.slots());
        assertTrue(cache.size() <= 1024);
        assertTrue(cache.compactions() > 0, "replaced records were compacted away");
        assertTrue(cache.droppedBytes() <= Math.max(SeriesCache.MIN_COMPACT_BYTES, cache.liveBytes() / 2),
                "dropped " + cache.droppedBytes() + " live " + cache.liveBytes());
        int hits = 0;
        for (int i = 0; i < 5_000; i++) {
            long handle = get(client, bytes("series=" + i));
            assertTrue(handle == SeriesCache.NONE || handle == i);
            hits += handle == i ? 1 : 0;
        }
        // Over 1024 is possible: a replaced record still answers its own key to a worker whose prediction
        // leads there, until the next compaction.
        assertTrue(hits > 300, "hits " + hits);
    }

    @Test
    void predictionsInAnyOrderAnswerOnlyTheKeysOwnHandle() {
        SeriesCacheClient client = new SeriesCache(1024).client();
        byte[][] keys = new byte[100][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = bytes("series=" + i);
            write(client, keys[i], i);
        }
        for (int pass = 0; pass < 3; pass++) { // the learnt order: every write a hit
            for (int i = 0; i < keys.length; i++) {
                assertTrue(write(client, keys[i], i));
            }
        }
        Random random = new Random(1);
        for (int k = 0; k < 10_000; k++) { // another order: predictions fail, answers stay right
            int i = random.nextInt(keys.length);
            assertEquals(i, get(client, keys[i]));
        }
        assertEquals(SeriesCache.NONE, get(client, bytes("series=100")));
        assertEquals(SeriesCache.NONE, get(client, OTHER_METRIC, -1, -1, keys[1]), "same attributes, another metric");
    }

    @Test
    void resourcesAreSharedByWorkersAndStartTheCacheOverWhenTheirIdsRunOut() {
        SeriesCache cache = new SeriesCache(1 << 18);
        SeriesCacheClient a = cache.client();
        SeriesCacheClient b = cache.client();
        byte[] attrs = bytes("id=1");
        enter(a, resource(1, 2));
        write(a, attrs, 7);
        enter(b, resource(1, 2));
        assertEquals(7, get(b, attrs), "the other worker finds the same resource's key");
        enter(b, resource(1, 3));
        assertEquals(SeriesCache.NONE, get(b, attrs));

        int n = ResourceContexts.MAX_CONTEXTS + 100;
        for (int r = 0; r < n; r++) { // one series per resource, more resources than ids
            enter(a, resource(10, r));
            write(a, attrs, r);
        }
        assertEquals(1, cache.resets(), "started over once the ids ran out");
        assertEquals(101, cache.size(), "the keys written since");
        for (int r = n - 1; r >= 0; r--) {
            enter(b, resource(10, r));
            long handle = get(b, attrs);
            assertEquals(r >= n - 101 ? r : SeriesCache.NONE, handle, "resource " + r);
        }
        enter(a, resource(1, 2));
        assertEquals(SeriesCache.NONE, get(a, attrs), "gone with the reset");
        assertFalse(write(a, attrs, 8));
        assertEquals(8, get(a, attrs));
    }

    @Test
    void aClientBypassesTheCacheForAWhileAfterAWindowOfMostlyFullMisses() {
        SeriesCacheClient client = new SeriesCache(SeriesCache.MIN_BOUND).client();
        for (int i = 0; i < SeriesCacheClient.BYPASS_WINDOW; i++) {
            assertTrue(client.enabled(), "write " + i);
            write(client, bytes("series=" + i), i);
        }
        for (int i = 0; i < SeriesCacheClient.BYPASS_WRITES; i++) {
            assertFalse(client.enabled());
        }
        assertTrue(client.enabled(), "tries the cache again after the bypass");
    }

    @Test
    void aClientWhoseSeriesFitKeepsUsingTheCache() {
        SeriesCacheClient client = new SeriesCache(1024).client();
        int hits = 0;
        for (int i = 0; i < 3 * SeriesCacheClient.BYPASS_WINDOW; i++) {
            assertTrue(client.enabled(), "write " + i);
            hits += write(client, bytes("series=" + i % 100), i % 100) ? 1 : 0;
        }
        assertEquals(3 * SeriesCacheClient.BYPASS_WINDOW - 100, hits);
    }

    @Test
    void keysOverTheLimitAreNotCached() {
        SeriesCache cache = new SeriesCache(1024);
        SeriesCacheClient client = cache.client();
        byte[] longest = new byte[SeriesCache.MAX_KEY_BYTES - CacheKeys.EXTRA_CONTEXT_BYTES];
        assertTrue(SeriesCache.cacheable(longest.length));
        assertFalse(SeriesCache.cacheable(longest.length + 1));
        write(client, METRIC, 3, 4, longest, 3);
        assertEquals(3, get(client, METRIC, 3, 4, longest));
        byte[] tooLong = new byte[longest.length + 1];
        write(client, tooLong, 1);
        assertEquals(SeriesCache.NONE, get(client, tooLong));
        assertEquals(1, cache.size());
    }

    @Test
    void rejectsABoundBelowTheSmallest() {
        assertThrows(IllegalArgumentException.class, () -> new SeriesCache(SeriesCache.MIN_BOUND - 1));
        assertThrows(IllegalArgumentException.class, () -> ReceiverConfig.builder().seriesCacheSlots(3));
    }

    /**
     * Workers sharing one cache while it grows, evicts and compacts, under several resources, each key's
     * series "re-created" now and then (a new handle): a hit answers a handle the key had, never another
     * key's.
     */
    @Test
    void concurrentWorkersOnlyEverSeeTheirKeysOwnHandles() throws Exception {
        SeriesCache cache = new SeriesCache(2048);
        int keys = 6_000;
        int threads = 4;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread w = new Thread(() -> {
                SeriesCacheClient client = cache.client();
                byte[][] resources = {resource(1, 1), resource(1, 2), resource(1, 2, 3, 4)};
                Random random = new Random(seed);
                try {
                    start.await();
                    for (int k = 0; k < 300_000; k++) {
                        // Mostly in order (predictions), sometimes a jump; handle = key << 8 | generation.
                        int i = random.nextInt(8) == 0 ? random.nextInt(keys) : (seed * 1000 + k) % keys;
                        enter(client, resources[i % 3]);
                        int metric = i % 5 == 0 ? OTHER_METRIC : METRIC;
                        int extra = i % 7 == 0 ? 9 : -1;
                        byte[] attrs = bytes("series=" + i);
                        long attributeHash = CacheKeys.attributeHash(attrs, 0, attrs.length);
                        long cached = client.get(attributeHash, metric, extra, extra, attrs, 0, attrs.length);
                        if (cached != SeriesCache.NONE && cached >>> 8 != i) {
                            throw new AssertionError("key " + i + " answered handle " + cached);
                        }
                        if (cached == SeriesCache.NONE || random.nextInt(64) == 0) {
                            client.put(attributeHash, metric, extra, extra, attrs, 0, attrs.length,
                                    (long) i << 8 | random.nextInt(256));
                        }
                        client.resolved();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(2048, cache.slots());
        assertTrue(cache.compactions() > 0, "compacted while the workers read");
    }
}
