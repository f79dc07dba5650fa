package dev.kedaotel.tsdb;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store keeps no heap object per series: label sets live as (shape, value symbols) keys, label
 * values of one series inline in the index, strings are decoded on demand. These tests pin that the
 * representation is invisible: labels, selections and listings behave exactly as with strings, through
 * creation, removal, ref and key reuse, and the single ↔ postings-list transitions of the index.
 */
class SeriesKeysTest {
    private static final long NOW = 1_700_000_000_000L;
    private StoreFixture f;

    @AfterEach
    void tearDown() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void labelsBuiltOnDemandBehaveLikeLabelsBuiltFromStrings() {
        f = StoreFixture.withDefaults(NOW);
        // Intern names so that symbol order differs from string order.
        f.store.symbols().intern("zone");
        f.store.symbols().intern("app");
        f.append(NOW, 1, "zone", "eu-west-1a-with-a-long-value", "app", "größe", "__name__", "m", "b", "x");
        int ref = f.ref("__name__", "m", "app", "größe", "b", "x", "zone", "eu-west-1a-with-a-long-value");
        Labels lazy = f.store.labels(ref);
        Labels eager = Labels.of("zone", "eu-west-1a-with-a-long-value", "app", "größe", "__name__", "m", "b", "x");
        assertEquals(eager, lazy);
        assertEquals(lazy, eager);
        assertEquals(eager.hashCode(), lazy.hashCode());
        assertEquals(0, eager.compareTo(lazy));
        assertEquals(eager.toString(), lazy.toString());
        assertEquals(eager.toMap(), lazy.toMap());
        assertEquals(4, lazy.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(eager.name(i), f.store.labels(ref).name(i));
            assertEquals(eager.value(i), f.store.labels(ref).value(i));
        }
        Labels fresh = f.store.labels(ref);
        assertEquals("m", fresh.metricName());
        assertEquals("größe", fresh.get("app"));
        assertEquals("", fresh.get("absent"));
        assertTrue(fresh.has("zone"));
        assertEquals(eager.withoutMetricName(), fresh.withoutMetricName());
        assertEquals("", fresh.withoutMetricName().metricName());
        assertEquals(3, fresh.withoutMetricName().size());
        Labels bare = f.store.labels(ref).withoutMetricName();
        assertSame(bare, bare.withoutMetricName());
    }

    @Test
    void seriesWithTheSameLabelNamesShareOneShape() {
        f = StoreFixture.withDefaults(NOW);
        for (int i = 0; i < 1000; i++) {
            f.append(NOW, i, "__name__", "m", "pod", "p" + (i % 10), "series", "s" + i);
        }
        f.append(NOW, 1, "__name__", "m", "pod", "p1");
        assertEquals(1001, f.store.seriesCount());
        assertEquals(2, f.store.registry().shapeCount());
        assertEquals("m{pod=\"p3\", series=\"s993\"}", f.store.labels(f.ref("__name__", "m", "pod", "p3", "series", "s993")).toString());
    }

    @Test
    void aReusedRefGetsItsNewKeyAndOldLabelsStayIntact() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(1000).reuseGraceMs(0));
        f.append(NOW, 1, "__name__", "old", "a", "1", "b", "2");
        int ref = f.ref("__name__", "old", "a", "1", "b", "2");
        Labels before = f.store.labels(ref);
        f.clock.addAndGet(2000);
        assertEquals(1, f.store.expire());
        assertNull(f.store.labels(ref));
        f.append(f.clock.get(), 2, "__name__", "new", "c", "3");
        assertEquals(ref, f.ref("__name__", "new", "c", "3"));
        assertEquals(Labels.of("__name__", "new", "c", "3"), f.store.labels(ref));
        assertEquals(Labels.of("__name__", "old", "a", "1", "b", "2"), before);
        IntList out = new IntList();
        f.store.select(List.of(LabelMatcher.eq("a", "1")), out);
        assertEquals(0, out.size());
        f.store.select(List.of(LabelMatcher.eq("c", "3")), out);
        assertEquals(1, out.size());
        // Same key length again: the freed entry is reused for a different label set.
        f.clock.addAndGet(2000);
        assertEquals(1, f.store.expire());
        f.append(f.clock.get(), 3, "__name__", "third", "d", "4");
        assertEquals(Labels.of("__name__", "third", "d", "4"), f.store.labels(f.ref("__name__", "third", "d", "4")));
    }

    /**
     * Random creations and removals over small vocabularies (values held by one series, by several, by
     * one again after removals, by none), checked after every round against a brute-force filter over
     * the expected label sets.
     */
    @Test
    void selectionsAndListingsMatchABruteForceFilterThroughCreationAndRemoval() {
        f = new StoreFixture(NOW, StoreConfig.builder().retentionMs(10_000).reuseGraceMs(0));
        Random rnd = new Random(42);
        Map<Integer, Labels> expected = new HashMap<>();
        Map<Labels, Long> lastWrite = new HashMap<>();
        List<List<LabelMatcher>> queries = List.of(
                List.of(LabelMatcher.eq("__name__", "m")),
                List.of(LabelMatcher.eq("pod", "p1")),
                List.of(LabelMatcher.of(LabelMatcher.Type.NEQ, "pod", "p1")),
                List.of(LabelMatcher.of(LabelMatcher.Type.RE, "pod", "p[0-4]")),
                List.of(LabelMatcher.of(LabelMatcher.Type.RE, "id", "i1.*")),
                List.of(LabelMatcher.of(LabelMatcher.Type.NRE, "id", "i1.*|i2.*")),
                List.of(LabelMatcher.eq("__name__", "m"), LabelMatcher.of(LabelMatcher.Type.RE, "zone", "a|b")),
                List.of(LabelMatcher.eq("zone", "")),
                List.of(LabelMatcher.of(LabelMatcher.Type.NEQ, "zone", "")),
                List.of(LabelMatcher.of(LabelMatcher.Type.RE, "__name__", ".*")));
        for (int round = 0; round < 30; round++) {
            long now = f.clock.get();
            for (int k = 0; k < 40; k++) {
                List<String> nv = new ArrayList<>(List.of("__name__", rnd.nextInt(4) == 0 ? "n" : "m",
                        "pod", "p" + rnd.nextInt(12), "id", "i" + rnd.nextInt(300)));
                if (rnd.nextBoolean()) {
                    nv.add("zone");
                    nv.add(String.valueOf((char) ('a' + rnd.nextInt(3))));
                }
                String[] arr = nv.toArray(new String[0]);
                assertEquals(AppendResult.APPENDED, f.append(now + k, k, arr));
                Labels l = Labels.of(arr);
                lastWrite.put(l, now + k);
                int ref = f.ref(arr);
                assertNotEquals(-1, ref);
                expected.put(ref, l);
            }
            f.commit();
            f.clock.addAndGet(3000);
            f.store.expire();
            long cutoff = f.clock.get() - 10_000;
            expected.values().removeIf(l -> lastWrite.get(l) < cutoff);
            assertEquals(expected.size(), f.store.seriesCount());
            for (List<LabelMatcher> q : queries) {
                IntList out = new IntList();
                f.store.select(q, out);
                List<Integer> got = new ArrayList<>();
                for (int i = 0; i < out.size(); i++) {
                    got.add(out.get(i));
                }
                List<Integer> want = new ArrayList<>(new TreeSet<>(expected.keySet()));
                want.removeIf(ref -> !q.stream().allMatch(m -> m.matches(expected.get(ref).get(m.name()))));
                assertEquals(want, got, "round " + round + " " + q);
            }
            for (Map.Entry<Integer, Labels> e : expected.entrySet()) {
                assertEquals(e.getValue(), f.store.labels(e.getKey()));
            }
            TreeSet<String> names = new TreeSet<>();
            TreeSet<String> pods = new TreeSet<>();
            for (Labels l : expected.values()) {
                for (int i = 0; i < l.size(); i++) {
                    names.add(l.name(i));
                }
                pods.add(l.get("pod"));
            }
            assertEquals(new ArrayList<>(names), f.store.labelNames());
            assertEquals(new ArrayList<>(pods), f.store.labelValues("pod"));
        }
    }
}
