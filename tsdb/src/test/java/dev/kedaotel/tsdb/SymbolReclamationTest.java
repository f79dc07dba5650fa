package dev.kedaotel.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Symbols of removed series are freed after the reuse grace period, so the symbol table follows the
 * live series; a freed id never decodes to another string.
 */
class SymbolReclamationTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long RETENTION = 60_000;
    private static final long GRACE = 5_000;
    private StoreFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    private StoreFixture fixture() {
        return new StoreFixture(NOW, StoreConfig.builder().retentionMs(RETENTION).reuseGraceMs(GRACE));
    }

    /** Retention removes everything, then a pass after the grace frees what it released. */
    private void expireAllAndReclaim() {
        f.clock.addAndGet(RETENTION + 1);
        f.store.expire();
        f.clock.addAndGet(GRACE + 1);
        f.store.expire();
    }

    private static String pod(int round, int i) {
        // Half short (inline) symbols, half long ones (arena bytes) of varying length classes.
        return i % 2 == 0 ? "p" + round + "-" + i : "checkout-" + "x".repeat(i % 40) + "-r" + round + "-" + i;
    }

    @Test
    void symbolCountAndBytesStayFlatOverTwentyRoundsOfChurn() {
        f = fixture();
        SymbolTable symbols = f.store.symbols();
        int n = 2_000;
        int liveSymbolsAfterFirst = -1;
        long arenaAfterFirst = -1;
        int capacityAfterFirst = -1;
        long longBytesBefore = symbols.longSymbolBytes();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < n; i++) {
                assertEquals(AppendResult.APPENDED, f.append(f.clock.get(), i, "__name__", "http_requests_total",
                        "namespace", "shop", "pod", pod(round, i)));
            }
            f.commit();
            assertEquals(n, f.store.seriesCount());
            assertTrue(symbols.size() >= n, "the round's pods are symbols");
            expireAllAndReclaim();
            assertEquals(0, f.store.seriesCount());
            if (round == 0) {
                liveSymbolsAfterFirst = symbols.size();
                arenaAfterFirst = symbols.arenaBytes();
                capacityAfterFirst = symbols.tableCapacity();
            }
            assertEquals(liveSymbolsAfterFirst, symbols.size(), "round " + round + ": only permanent symbols and names are left");
            assertEquals(longBytesBefore, symbols.longSymbolBytes(), "round " + round + ": long symbol bytes all freed");
            assertEquals(arenaAfterFirst, symbols.arenaBytes(), "round " + round + ": the arena is reused, not grown");
            assertEquals(capacityAfterFirst, symbols.tableCapacity(), "round " + round + ": the index is rebuilt, not grown");
        }
        assertTrue(liveSymbolsAfterFirst < 10, "names, __name__ and the empty string: " + liveSymbolsAfterFirst);
        assertEquals(20L * n + 2 * 20, symbols.freedCount(), "every pod, plus the metric and namespace values, each round");
        // Ingest still works, with ids of the reused indexes.
        assertEquals(AppendResult.APPENDED, f.append(f.clock.get(), 1, "__name__", "m", "pod", "after"));
        assertEquals(Labels.of("__name__", "m", "pod", "after"), f.store.labels(f.ref("__name__", "m", "pod", "after")));
    }

    @Test
    void aSymbolIsKeptWhileASeriesHoldsItAndThroughItsGrace() {
        f = fixture();
        SymbolTable symbols = f.store.symbols();
        f.append(NOW, 1, "__name__", "m", "pod", "kept-pod-with-a-long-name");
        f.append(NOW + RETENTION, 1, "__name__", "m", "pod", "short");
        int kept = symbols.lookup("kept-pod-with-a-long-name");
        int shortId = symbols.lookup("short");
        f.clock.addAndGet(RETENTION + 1);
        assertEquals(1, f.store.expire(), "the first series is removed");
        f.clock.addAndGet(GRACE - 1);
        f.store.expire();
        assertEquals("kept-pod-with-a-long-name", symbols.symbol(kept), "still in its grace");
        f.clock.addAndGet(2);
        f.store.expire();
        assertFalse(symbols.isCurrent(kept));
        assertEquals(-1, symbols.lookup("kept-pod-with-a-long-name"));
        assertThrows(IllegalStateException.class, () -> symbols.symbol(kept), "a stale id fails loudly");
        assertEquals("short", symbols.symbol(shortId), "held by a live series");
        // The freed index is reused under a new id; the stale id still fails.
        int again = symbols.intern("kept-pod-with-a-long-name");
        assertNotEquals(kept, again);
        assertEquals("kept-pod-with-a-long-name", symbols.symbol(again));
        assertThrows(IllegalStateException.class, () -> symbols.symbol(kept));
        assertThrows(IllegalArgumentException.class, () -> symbols.symbol(1 << 25), "never handed out");
    }

    @Test
    void aNewSeriesWithAFreedIdIsRefusedAsStale() {
        f = fixture();
        SymbolTable symbols = f.store.symbols();
        int name = symbols.intern("__name__");
        int metric = symbols.intern("m");
        int pod = symbols.intern("pod");
        int value = symbols.intern("stalled-value");
        f.clock.addAndGet(GRACE + 1);
        f.store.expire(); // "stalled-value" and "m" were never used by a series: freed; names too, unpinned
        assertFalse(symbols.isCurrent(value));
        LabelSetBuilder b = f.appender.labels();
        b.clear();
        b.add(name, metric);
        b.add(pod, value);
        assertEquals(AppendResult.STALE_SYMBOL, f.appender.append(f.clock.get(), 1));
        assertEquals(0, f.store.seriesCount());
        assertEquals(1, f.store.appendCount(AppendResult.STALE_SYMBOL));
        assertEquals(AppendResult.APPENDED, f.append(f.clock.get(), 1, "__name__", "m", "pod", "stalled-value"),
                "interned again, it is stored");
    }

    @Test
    void permanentSymbolsAndLabelNamesAreNeverFreed() {
        f = fixture();
        SymbolTable symbols = f.store.symbols();
        int le = symbols.internPermanent("le");
        f.append(NOW, 1, "__name__", "m", "some_label", "v");
        int labelName = symbols.lookup("some_label");
        for (int i = 0; i < 3; i++) {
            expireAllAndReclaim();
        }
        assertEquals("le", symbols.symbol(le));
        assertEquals("some_label", symbols.symbol(labelName));
        assertEquals("__name__", symbols.symbol(symbols.lookup("__name__")));
        assertEquals(-1, symbols.lookup("v"));
        assertNull(f.store.labels(0));
    }

    /**
     * A writer creates series with fresh values and retention removes them while the clock runs past the
     * grace, so symbols are freed and their indexes and bytes reused; readers decode label sets (kept
     * across rounds, so many are stale) and ids. Each value carries its own check (the series' {@code n}
     * label), so a reader that decoded another string would see a mismatch. Readers may see a series
     * vanish (null labels) or a stale id fail with IllegalStateException, never a wrong string, as long
     * as the id's index was not reused {@code 2^TAG_BITS} times meanwhile (the id's tag would wrap: the
     * documented limit). Each round reuses an index at most once, so a mismatch is a failure unless that
     * many rounds passed since the reader took the label set (a reader preempted that long on a loaded
     * machine; counted, not failed).
     */
    @Test
    void readersNeverSeeAnotherStringWhileSymbolsAreFreedAndReused() throws Exception {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(1_000).reuseGraceMs(10));
        SymbolTable symbols = f.store.symbols();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong checked = new AtomicLong();
        AtomicLong staleFailures = new AtomicLong();
        AtomicLong rounds = new AtomicLong();
        AtomicLong outlivedTags = new AtomicLong();
        long tagWrap = 1L << SymbolTable.TAG_BITS;
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread t = new Thread(() -> {
                List<Labels> held = new ArrayList<>();
                List<Long> heldSince = new ArrayList<>();
                IntList refs = new IntList();
                try {
                    while (!stop.get()) {
                        refs.clear();
                        long round = rounds.get();
                        f.store.select(List.of(LabelMatcher.eq("__name__", "m")), refs);
                        for (int i = 0; i < refs.size(); i++) {
                            Labels l = f.store.labels(refs.get(i));
                            if (l != null && held.size() < 512) {
                                held.add(l);
                                heldSince.add(round);
                            }
                        }
                        for (int i = 0; i < held.size(); i++) {
                            try {
                                Labels l = held.get(i);
                                int n = Integer.parseInt(l.get("n"));
                                String pod = l.get("pod");
                                if (!pod.equals(value(n))) {
                                    if (rounds.get() - heldSince.get(i) >= tagWrap) {
                                        outlivedTags.incrementAndGet();
                                        continue;
                                    }
                                    throw new AssertionError("series n=" + n + " decoded pod " + pod);
                                }
                                checked.incrementAndGet();
                            } catch (IllegalStateException stale) {
                                staleFailures.incrementAndGet();
                            }
                        }
                        if (held.size() >= 512) {
                            held.clear();
                            heldSince.clear();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            readers.add(t);
        }
        Appender appender = f.store.newAppender();
        int next = 0;
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline && failure.get() == null) {
            for (int i = 0; i < 200; i++, next++) {
                StoreFixture.setLabels(f.store, appender, "__name__", "m", "n", Integer.toString(next), "pod", value(next));
                int result = appender.append(f.clock.get(), next);
                assertTrue(result == AppendResult.APPENDED || result == AppendResult.STALE_SYMBOL, "result " + result);
            }
            // Check ids against their strings while their symbols may be freed by the next passes.
            int id = symbols.lookup(value(next - 1));
            f.clock.addAndGet(1_001);
            f.store.expire();
            f.clock.addAndGet(11);
            f.store.expire();
            rounds.incrementAndGet(); // every index freed this round may be reused by the next
            try {
                assertEquals(value(next - 1), symbols.symbol(id));
            } catch (IllegalStateException stale) {
                staleFailures.incrementAndGet();
            }
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(checked.get() > 0, "readers decoded label sets");
        assertTrue(staleFailures.get() > 0, "some held label sets outlived their symbols");
        assertTrue(symbols.freedCount() > next / 2, "symbols were freed and reused: " + symbols.freedCount());
        assertTrue(symbols.size() < 1_000, "the table follows the live series: " + symbols.size());
    }

    /** Self-checking values of varying lengths, inline and arena ones, so freed bytes get reused by others. */
    private static String value(int n) {
        return "pod-" + n + "-" + "abcdefghij".repeat(n % 7);
    }

    /**
     * The per-symbol state word holds the count and the pending quarantine entries; a symbol released
     * more often within one grace period than the word can count (63) is pinned instead, never freed
     * early; one released fewer times is freed after its last entry's grace as usual.
     */
    @Test
    void aSymbolReleasedMoreOftenThanItsStateCanCountWithinOneGraceIsKeptNotFreedEarly() {
        dev.kedaotel.model.ManualTimeSource time = new dev.kedaotel.model.ManualTimeSource(NOW);
        SymbolTable symbols = new SymbolTable(time, GRACE);
        int name = symbols.intern("pod");
        int[] ids = {symbols.intern("often"), symbols.intern("sometimes")};
        int[] cycles = {70, 10};
        for (int k = 0; k < 2; k++) {
            LabelSetBuilder labels = new LabelSetBuilder();
            labels.add(name, ids[k]);
            for (int c = 0; c < cycles[k]; c++) { // a series created and removed, again and again
                symbols.retain(labels);
                symbols.release(new int[] {ids[k]}, 0, 1);
                time.advanceMillis(1);
            }
        }
        time.advanceMillis(GRACE + 1);
        symbols.reclaim(time.wallMillis());
        assertTrue(symbols.isCurrent(ids[0]), "pinned once its pending entries would pass 63");
        assertEquals("often", symbols.symbol(ids[0]));
        assertFalse(symbols.isCurrent(ids[1]), "freed after its last release's grace");
        assertEquals(-1, symbols.lookup("sometimes"));
    }
}
