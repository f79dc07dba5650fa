package dev.kedaotel.tsdb;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Registry identity and label-matcher selection with Prometheus semantics. */
class SelectTest {
    private static final long NOW = 1_700_000_000_000L;
    private StoreFixture f;

    @BeforeEach
    void setUp() {
        f = StoreFixture.withDefaults(NOW);
        f.append(NOW, 1, "__name__", "http_requests", "job", "api", "pod", "api-1");
        f.append(NOW, 1, "__name__", "http_requests", "job", "api", "pod", "api-2");
        f.append(NOW, 1, "__name__", "http_requests", "job", "web");            // no pod label
        f.append(NOW, 1, "__name__", "queue_depth", "queue", "orders");
        f.append(NOW, 1, "__name__", "queue_depth", "queue", "orders-dlq", "pod", "worker");
        f.commit();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void sameLabelsInAnyOrderResolveToTheSameSeries() {
        int before = f.store.seriesCount();
        assertEquals(AppendResult.APPENDED,
                f.append(NOW + 1, 2, "pod", "api-1", "job", "api", "__name__", "http_requests"));
        assertEquals(before, f.store.seriesCount());
        int ref = f.ref("__name__", "http_requests", "job", "api", "pod", "api-1");
        assertEquals(2, f.readAll(ref).size());
        // Built on demand from the series' key: a new instance per call, always equal.
        assertEquals(f.store.labels(ref), f.store.labels(ref));
        assertEquals(f.store.labels(ref).hashCode(), f.store.labels(ref).hashCode());
        assertEquals("http_requests{job=\"api\", pod=\"api-1\"}", f.store.labels(ref).toString());
    }

    @Test
    void differentLabelsMakeDifferentSeries() {
        int a = f.ref("__name__", "http_requests", "job", "api", "pod", "api-1");
        int b = f.ref("__name__", "http_requests", "job", "api", "pod", "api-2");
        assertNotEquals(-1, a);
        assertNotEquals(-1, b);
        assertNotEquals(a, b);
        assertEquals(5, f.store.seriesCount());
    }

    @Test
    void duplicateNameKeepsLastValueAndEmptyValuesAreDropped() {
        SymbolTable sym = f.store.symbols();
        LabelSetBuilder b = f.appender.labels();
        b.clear();
        b.add(sym.intern("__name__"), sym.intern("queue_depth"));
        b.add(sym.intern("queue"), sym.intern("ignored"));
        b.add(sym.intern("queue"), sym.intern("orders"));
        b.add(sym.intern("zone"), sym.intern(""));
        assertEquals(2, b.size());
        assertEquals(AppendResult.APPENDED, f.appender.append(NOW + 5, 3));
        assertEquals(5, f.store.seriesCount());
        assertEquals(2, f.readAll(f.ref("__name__", "queue_depth", "queue", "orders")).size());

        b.clear();
        b.add(sym.intern("__name__"), sym.intern("queue_depth"));
        b.add(sym.intern("queue"), sym.intern("orders"));
        b.add(sym.intern("pod"), sym.intern("worker"));
        b.add(sym.intern("pod"), sym.intern("")); // last duplicate wins: pod is absent
        assertEquals(AppendResult.APPENDED, f.appender.append(NOW + 6, 4));
        assertEquals(5, f.store.seriesCount());
    }

    @Test
    void equalityMatchers() {
        assertEquals(Set.of("http_requests{job=\"api\", pod=\"api-1\"}", "http_requests{job=\"api\", pod=\"api-2\"}"),
                select(m("__name__", "=", "http_requests"), m("job", "=", "api")));
        assertEquals(Set.of(), select(m("job", "=", "nope")));
        assertEquals(Set.of(), select(m("no_such_label", "=", "x")));
    }

    @Test
    void emptyValueEqualitySelectsSeriesWithoutTheLabel() {
        assertEquals(Set.of("http_requests{job=\"web\"}"), select(m("__name__", "=", "http_requests"), m("pod", "=", "")));
        assertEquals(5, select(m("no_such_label", "=", "")).size());
    }

    @Test
    void notEqualIncludesSeriesWithoutTheLabel() {
        assertEquals(Set.of("http_requests{job=\"api\", pod=\"api-2\"}", "http_requests{job=\"web\"}"),
                select(m("__name__", "=", "http_requests"), m("pod", "!=", "api-1")));
    }

    @Test
    void notEqualEmptySelectsSeriesThatHaveTheLabel() {
        assertEquals(Set.of("http_requests{job=\"api\", pod=\"api-1\"}", "http_requests{job=\"api\", pod=\"api-2\"}",
                        "queue_depth{pod=\"worker\", queue=\"orders-dlq\"}"),
                select(m("pod", "!=", "")));
    }

    @Test
    void regexMatchersAreFullyAnchored() {
        assertEquals(Set.of(), select(m("queue", "=~", "order")));
        assertEquals(Set.of("queue_depth{queue=\"orders\"}"), select(m("queue", "=~", "orders")));
        assertEquals(2, select(m("queue", "=~", "orders.*")).size());
        assertEquals(2, select(m("pod", "=~", "api-.")).size());
        assertEquals(Set.of("http_requests{job=\"api\", pod=\"api-1\"}", "http_requests{job=\"api\", pod=\"api-2\"}"),
                select(m("__name__", "=~", "http.*"), m("pod", "=~", "api-1|api-2")));
    }

    @Test
    void regexMatchingEmptyAlsoSelectsSeriesWithoutTheLabel() {
        assertEquals(Set.of("http_requests{job=\"api\", pod=\"api-1\"}", "http_requests{job=\"web\"}"),
                select(m("__name__", "=", "http_requests"), m("pod", "=~", "api-1|")));
        assertEquals(3, select(m("__name__", "=", "http_requests"), m("pod", "=~", ".*")).size());
    }

    @Test
    void negativeRegex() {
        assertEquals(Set.of("http_requests{job=\"web\"}"),
                select(m("__name__", "=", "http_requests"), m("pod", "!~", "api-.*")));
        // Not anchored would exclude "orders-dlq" too; anchored "orders" rejects only the exact value.
        assertEquals(Set.of("queue_depth{pod=\"worker\", queue=\"orders-dlq\"}"),
                select(m("__name__", "=", "queue_depth"), m("queue", "!~", "orders")));
        // !~ that rejects "" selects only series that have the label.
        assertEquals(3, select(m("pod", "!~", "")).size());
    }

    @Test
    void combinedNarrowingAndFilteringMatchersLeaveThePostingsIntact() {
        Set<String> expected = Set.of("http_requests{job=\"api\", pod=\"api-2\"}");
        for (int i = 0; i < 2; i++) {
            assertEquals(expected, select(m("job", "=", "api"), m("__name__", "=", "http_requests"),
                    m("pod", "!=", "api-1"), m("job", "=", "api")));
        }
        assertEquals(2, select(m("job", "=", "api")).size());
        assertEquals(3, select(m("__name__", "=", "http_requests")).size());
        assertEquals(5, select(m("job", "!=", "nope")).size());
    }

    @Test
    void emptyMatcherListSelectsNothing() {
        IntList out = new IntList();
        f.store.select(List.of(), out);
        assertEquals(0, out.size());
    }

    @Test
    void selectionIsInAscendingRefOrder() {
        IntList out = new IntList();
        f.store.select(List.of(m("__name__", "=~", ".+")), out);
        assertEquals(5, out.size());
        for (int i = 1; i < out.size(); i++) {
            assertEquals(true, out.get(i - 1) < out.get(i));
        }
    }

    @Test
    void labelNamesAndValuesCoverLiveSeries() {
        assertEquals(List.of("__name__", "job", "pod", "queue"), f.store.labelNames());
        assertEquals(List.of("api-1", "api-2", "worker"), f.store.labelValues("pod"));
        assertEquals(List.of(), f.store.labelValues("nothing"));
    }

    @Test
    void unknownRefsReadAsNotLive() {
        assertNull(f.store.labels(12345));
        assertNull(f.store.labels(-1));
        assertEquals(Long.MIN_VALUE, f.store.lastTimestamp(12345));
        assertEquals(0, f.store.read(12345, 0, Long.MAX_VALUE, new SampleBuffer()));
    }

    private static LabelMatcher m(String name, String op, String value) {
        for (LabelMatcher.Type t : LabelMatcher.Type.values()) {
            if (t.symbol.equals(op)) {
                return LabelMatcher.of(t, name, value);
            }
        }
        throw new IllegalArgumentException(op);
    }

    private Set<String> select(LabelMatcher... matchers) {
        IntList out = new IntList();
        f.store.select(List.of(matchers), out);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            names.add(f.store.labels(out.get(i)).toString());
        }
        return new TreeSet<>(names);
    }
    @Test
    void intersectionsOfVeryDifferentSizesMatchABruteForceFilter() {
        // 3,000 series of one metric: a selective matcher (30 series) against the whole metric (3,000)
        // takes the galloping path; a broad regex (~1,000) against it the merge path.
        for (int i = 0; i < 3000; i++) {
            f.append(NOW, i, "__name__", "wide", "pod", "p" + (i % 100), "shard", "s" + (i % 3), "id", "i" + i);
        }
        f.commit();
        List<LabelMatcher> selective = List.of(LabelMatcher.eq("__name__", "wide"), LabelMatcher.eq("pod", "p42"));
        List<LabelMatcher> broad = List.of(LabelMatcher.eq("__name__", "wide"),
                LabelMatcher.of(LabelMatcher.Type.RE, "shard", "s[01]"), LabelMatcher.eq("pod", "p7"));
        for (List<LabelMatcher> ms : List.of(selective, broad)) {
            assertNotEquals(0, assertSelectionMatchesBruteForce(f, ms));
        }
    }

    @Test
    void selectionsOverDenseAndSparseValuesMatchABruteForceFilterAsSeriesComeAndGo() {
        // Values of every series (metric, namespace), of a third or a tenth (dense lists), of few (sparse)
        // and of one (inline); then most series expire and new ones arrive, so lists change form.
        StoreFixture g = new StoreFixture(NOW, StoreConfig.builder().retentionMs(60_000).reuseGraceMs(0));
        try {
            java.util.Random random = new java.util.Random(3);
            for (int i = 0; i < 4000; i++) {
                long ts = i % 4 == 0 ? NOW : NOW - 50_000; // 3 in 4 expire below
                g.append(ts, i, "__name__", "m", "ns", "bench", "shard", "s" + (i % 3), "zone", "z" + (i % 10),
                        "pod", "p" + (i % 200), "id", "i" + i);
            }
            g.commit();
            List<List<LabelMatcher>> queries = List.of(
                    List.of(LabelMatcher.eq("__name__", "m")),
                    List.of(LabelMatcher.eq("ns", "bench"), LabelMatcher.eq("shard", "s1")),
                    List.of(LabelMatcher.eq("shard", "s2"), LabelMatcher.eq("zone", "z3")),
                    List.of(LabelMatcher.eq("zone", "z4"), LabelMatcher.eq("pod", "p14")),
                    List.of(LabelMatcher.eq("__name__", "m"), LabelMatcher.of(LabelMatcher.Type.NEQ, "shard", "s0")),
                    List.of(LabelMatcher.of(LabelMatcher.Type.NEQ, "zone", "z1"), LabelMatcher.eq("pod", "p1")),
                    List.of(LabelMatcher.of(LabelMatcher.Type.RE, "zone", "z[1-3]"), LabelMatcher.eq("ns", "bench")),
                    List.of(LabelMatcher.of(LabelMatcher.Type.NRE, "shard", "s[01]"), LabelMatcher.eq("__name__", "m")),
                    List.of(LabelMatcher.eq("id", "i8"), LabelMatcher.eq("shard", "s2")));
            assertSelectionsMatchBruteForce(g, queries);
            g.clock.addAndGet(15_000);
            assertEquals(3000, g.store.expire());
            assertSelectionsMatchBruteForce(g, queries);
            for (int i = 4000; i < 6000; i++) { // refs reused below the surviving ones, and new ones above
                g.append(g.clock.get(), i, "__name__", "m", "ns", "bench", "shard", "s" + random.nextInt(3),
                        "zone", "z" + random.nextInt(10), "pod", "p" + (i % 200), "id", "i" + i);
            }
            g.commit();
            assertSelectionsMatchBruteForce(g, queries);
        } finally {
            g.close();
        }
    }

    /** A regex of literals with fewer alternatives than values is answered by looking each up: same refs as the scan. */
    @Test
    void literalAlternativesFewerThanTheValuesAreLookedUp() {
        StoreFixture g = StoreFixture.withDefaults(NOW);
        try {
            for (int i = 0; i < 200; i++) {
                g.append(NOW, 1, "__name__", "m" + i, "pod", "p" + (i % 3));
                g.append(NOW, 1, "__name__", "m" + i, "pod", "q" + (i % 5));
            }
            g.commit();
            assertEquals(4, assertSelectionMatchesBruteForce(g, List.of(m("__name__", "=~", "m1|m7|nope"))));
            assertEquals(3, assertSelectionMatchesBruteForce(g, List.of(m("__name__", "=~", "m1|m7|nope"), m("pod", "=~", "p1|q\\.x|q1"))));
            assertSelectionMatchesBruteForce(g, List.of(m("__name__", "!~", "m1|m7"), m("pod", "=~", "p0|p1")));
        } finally {
            g.close();
        }
    }

    private static void assertSelectionsMatchBruteForce(StoreFixture g, List<List<LabelMatcher>> queries) {
        for (List<LabelMatcher> ms : queries) {
            assertSelectionMatchesBruteForce(g, ms);
        }
    }

    /** Selects with {@code ms} and checks the refs against testing every live series' labels; how many. */
    private static int assertSelectionMatchesBruteForce(StoreFixture g, List<LabelMatcher> ms) {
        IntList out = new IntList();
        g.store.select(ms, out);
        List<Integer> expected = new ArrayList<>();
        for (int ref = 0; ref < 100_000; ref++) {
            Labels l = g.store.labels(ref);
            if (l != null && ms.stream().allMatch(m -> m.matches(l.get(m.name()) == null ? "" : l.get(m.name())))) {
                expected.add(ref);
            }
        }
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            got.add(out.get(i));
        }
        assertEquals(expected, got, ms.toString());
        return got.size();
    }
}
