package dev.kedaotel.query.ast;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.QueryResult;
import dev.kedaotel.query.StoreFixture;
import dev.kedaotel.query.ValueType;
import dev.kedaotel.query.kedify.KedifyQuery;
import dev.kedaotel.query.kedify.OperationOverTime;
import dev.kedaotel.query.parser.Parser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.kedaotel.query.StoreFixture.at;
import static dev.kedaotel.query.StoreFixture.l;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tenancy rewrite: every selector of every expression shape gets the matcher (checked on the tree
 * and on the canonical text), modifiers stay, and — evaluated over a store holding namespaces a and b
 * and series without the label — the scoped query answers exactly what the plain query answers over a
 * store holding only namespace a's series.
 */
class SelectorScopeTest {
    private static final String NS = "k8s_namespace_name";
    private static final SelectorScope A = SelectorScope.of(NS, "a");

    /** Expression shapes, each with at least one selector; all are evaluated in {@link #scopedQueryAnswersLikeAStoreOfOnlyItsNamespace}. */
    private static final List<String> SHAPES = List.of(
            "x",
            "x{pod=\"p1\"}",
            "{__name__=~\"x|y\"}",
            "x{k8s_namespace_name=\"b\"}",
            "x{k8s_namespace_name=\"a\"}",
            "x{k8s_namespace_name=~\"a|b\"}",
            "x{k8s_namespace_name=~\".+\"}",
            "x{k8s_namespace_name=~\".*\"}",
            "x{k8s_namespace_name!=\"a\"}",
            "x{k8s_namespace_name!~\"b\"}",
            "x{k8s_namespace_name=\"\"}",
            "sum(x)",
            "sum by (pod) (x)",
            "sum without (pod) (x)",
            "sum by (k8s_namespace_name) (x)",
            "count(x)",
            "topk(1, x)",
            "topk(scalar(sum(y)), x)",
            "quantile(0.5, x)",
            "count_values(\"k8s_namespace_name\", x)",
            "rate(x[5m])",
            "sum(rate(x[5m] offset 1m))",
            "sum(x offset 2m)",
            "sum(x @ 1700000500)",
            "sum(x @ end() offset 1m)",
            "max_over_time(x[5m] @ 1700000540)",
            "max_over_time(rate(x[2m])[5m:1m])",
            "max_over_time(max_over_time(sum(rate(x[2m]))[4m:1m] offset 1m)[6m:2m])",
            "min_over_time(sum(x)[5m:1m] @ 1700000600 offset 1m)",
            "x + y",
            "x + on (pod) group_left (k8s_namespace_name) y",
            "x / ignoring (k8s_namespace_name) y",
            "x > bool 1",
            "sum(x) / sum(y)",
            "x or y",
            "x or y{k8s_namespace_name=\"b\"}",
            "sum(x) or sum(y{k8s_namespace_name=\"b\"})",
            "x unless y",
            "x and y{pod=\"p1\"}",
            "absent(x)",
            "absent(nope)",
            "absent_over_time(nope[5m])",
            "label_replace(x, \"k8s_namespace_name\", \"a\", \"k8s_namespace_name\", \".*\")",
            "sum(label_replace(x, \"k8s_namespace_name\", \"a\", \"k8s_namespace_name\", \".*\"))",
            "label_join(x, \"both\", \",\", \"k8s_namespace_name\", \"pod\")",
            "-x",
            "(sum(x))",
            "-(x + 1)",
            "scalar(sum(x)) * 2",
            "vector(scalar(sum(y)))",
            "clamp_max(x, 150)",
            "sort_desc(x)",
            "timestamp(x)",
            "histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))");

    private final StoreFixture both = new StoreFixture();
    private final StoreFixture onlyA = new StoreFixture();
    private final QueryEngine bothEngine = new QueryEngine(both.store, EngineConfig.defaults());
    private final QueryEngine onlyAEngine = new QueryEngine(onlyA.store, EngineConfig.defaults());

    @AfterEach
    void close() {
        both.close();
        onlyA.close();
    }

    private static Expr parse(String q) throws PromQLException {
        return Parser.parse(q);
    }

    private static List<VectorSelector> selectors(Expr e) {
        List<VectorSelector> out = new ArrayList<>();
        collect(e, out);
        return out;
    }

    private static void collect(Expr e, List<VectorSelector> out) {
        if (e instanceof VectorSelector vs) {
            out.add(vs);
        }
        for (Expr c : e.children()) {
            collect(c, out);
        }
    }

    @Test
    void everySelectorOfEveryShapeCarriesTheMatcher() throws PromQLException {
        for (String q : SHAPES) {
            Expr plain = parse(q);
            Expr scoped = A.apply(plain);
            List<VectorSelector> before = selectors(plain);
            List<VectorSelector> after = selectors(scoped);
            assertTrue(!after.isEmpty(), q);
            assertEquals(before.size(), after.size(), q);
            for (int i = 0; i < after.size(); i++) {
                VectorSelector s = after.get(i);
                assertTrue(s.matchers().contains(LabelMatcher.eq(NS, "a")), q + ": " + s);
                assertTrue(s.matchers().containsAll(before.get(i).matchers()), q + ": the user's matchers stay, " + s);
                assertEquals(before.get(i).offsetMs(), s.offsetMs(), q);
                assertEquals(before.get(i).at(), s.at(), q);
            }
            assertEquals(plain.type(), scoped.type(), q);
            // The canonical text shows the matcher and parses back to the same tree.
            assertTrue(scoped.toString().contains("k8s_namespace_name=\"a\""), q + " -> " + scoped);
            assertEquals(scoped.toString(), parse(scoped.toString()).toString(), q);
            assertEquals(parse(q).toString(), plain.toString(), q + ": the input tree is left untouched");
        }
    }

    @Test
    void canonicalTextsOfTheRewrite() throws PromQLException {
        assertEquals("sum(x{k8s_namespace_name=\"a\"})", A.apply(parse("sum(x)")).toString());
        assertEquals("sum(x{k8s_namespace_name=\"a\",k8s_namespace_name=\"b\"})",
                A.apply(parse("sum(x{k8s_namespace_name=\"b\"})")).toString());
        assertEquals("sum(x{k8s_namespace_name=\"a\",k8s_namespace_name=~\"a|b\"})",
                A.apply(parse("sum(x{k8s_namespace_name=~\"a|b\"})")).toString());
        assertEquals("rate(x{k8s_namespace_name=\"a\",pod=\"p\"}[5m] @ 100.000 offset 1m)",
                A.apply(parse("rate(x{pod=\"p\"}[5m] @ 100 offset 1m)")).toString());
        assertEquals("max_over_time(max_over_time(sum(rate(x{k8s_namespace_name=\"a\"}[2m]))[4m:1m] offset 1m)[6m:2m] @ end())",
                A.apply(parse("max_over_time(max_over_time(sum(rate(x[2m]))[4m:1m] offset 1m)[6m:2m] @ end())")).toString());
        assertEquals("x{k8s_namespace_name=\"a\"} + on (pod) group_left (k8s_namespace_name) y{k8s_namespace_name=\"a\"}",
                A.apply(parse("x + on(pod) group_left(k8s_namespace_name) y")).toString());
        assertEquals("sum by (pod) (x{k8s_namespace_name=\"a\"}) or sum without (c) (y{k8s_namespace_name=\"a\",k8s_namespace_name=\"b\"})",
                A.apply(parse("sum by (pod) (x) or sum without (c) (y{k8s_namespace_name=\"b\"})")).toString());
        assertEquals("topk(scalar(sum(y{k8s_namespace_name=\"a\"})), x{k8s_namespace_name=\"a\"})",
                A.apply(parse("topk(scalar(sum(y)), x)")).toString());
        assertEquals("{__name__=~\"x|y\",k8s_namespace_name=\"a\"}", A.apply(parse("{__name__=~\"x|y\"}")).toString());
        assertEquals("absent(x{k8s_namespace_name=\"a\",k8s_namespace_name=\"b\"})",
                A.apply(parse("absent(x{k8s_namespace_name=\"b\"})")).toString());
    }

    @Test
    void anIdenticalMatcherIsNotRepeatedAndLiteralsAreUntouched() throws PromQLException {
        Expr already = parse("x{k8s_namespace_name=\"a\"}");
        assertSame(already, A.apply(already));
        Expr literal = parse("1 + 2");
        assertEquals("1 + 2", A.apply(literal).toString());
        assertEquals("\"s\"", A.apply(parse("\"s\"")).toString());
    }

    @Test
    void namespacesGiveDifferentTexts() throws PromQLException {
        Expr q = parse("sum(rate(x[1m]))");
        assertNotEquals(A.apply(q).toString(), SelectorScope.of(NS, "b").apply(q).toString());
    }

    @Test
    void kedifyQueriesAreScopedToo() throws Exception {
        KedifyQuery k = KedifyQuery.compile("x{k8s_namespace_name=b}", OperationOverTime.RATE, 60_000);
        assertEquals("sum(kedify_rate(x{k8s_namespace_name=\"a\",k8s_namespace_name=\"b\"}[1m]))", A.apply(k.expr()).toString());
    }

    @Test
    void badLabelNamesAndEmptyValuesAreRefused() {
        for (String bad : new String[] {"", "k8s.namespace.name", "1ns", "ns-name", "__name__", "__ns"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SelectorScope.of(bad, "a"), bad);
            assertTrue(e.getMessage().contains("must"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SelectorScope.of(NS, ""));
        SelectorScope.checkLabelName("k8s_namespace_name");
        SelectorScope.checkLabelName("_ns");
    }

    @Test
    void matcherListsOfSeriesSelectors() {
        List<LabelMatcher> sel = List.of(LabelMatcher.eq("__name__", "x"));
        assertEquals(List.of(LabelMatcher.eq("__name__", "x"), LabelMatcher.eq(NS, "a")), A.apply(sel));
        List<LabelMatcher> already = List.of(LabelMatcher.eq(NS, "a"));
        assertSame(already, A.apply(already));
    }

    // ---- semantics ----------------------------------------------------------------------------------

    /** The same series into {@code both}, and into {@code onlyA} when they belong to namespace a. */
    private void load() {
        String[][] series = {
                {"__name__", "x", NS, "a", "pod", "p1"},
                {"__name__", "x", NS, "a", "pod", "p2"},
                {"__name__", "x", NS, "b", "pod", "p1"},
                {"__name__", "x", NS, "b", "pod", "p3"},
                {"__name__", "x", "pod", "p9"},
                {"__name__", "y", NS, "a", "pod", "p1"},
                {"__name__", "y", NS, "b", "pod", "p1"},
                {"__name__", "h_bucket", NS, "a", "le", "1"},
                {"__name__", "h_bucket", NS, "a", "le", "+Inf"},
                {"__name__", "h_bucket", NS, "b", "le", "1"},
                {"__name__", "h_bucket", NS, "b", "le", "+Inf"},
        };
        // Distinct values and slopes per series, b's and the unlabelled series' far larger, so any
        // leakage changes an answer.
        double[] scale = {1, 2, 100, 200, 5000, 10, 1000, 3, 4, 300, 400};
        for (int s = 0; s < series.length; s++) {
            double[] values = new double[11];
            for (int i = 0; i < values.length; i++) {
                values[i] = scale[s] * (i + 1);
            }
            both.series(series[s], 0, 60, values);
            if (series[s].length > 3 && series[s][3].equals("a")) {
                onlyA.series(series[s], 0, 60, values);
            }
        }
    }

    private static Map<String, Double> answer(QueryEngine engine, Expr e) throws PromQLException {
        QueryResult r = engine.instant(e, at(600));
        Map<String, Double> m = new TreeMap<>();
        if (r.type() == ValueType.SCALAR) {
            m.put("scalar", r.scalar());
            return m;
        }
        assertEquals(ValueType.VECTOR, r.type(), e.toString());
        for (int i = 0; i < r.size(); i++) {
            m.put(r.labels(i).toString(), r.value(i));
        }
        return m;
    }

    @Test
    void scopedQueryAnswersLikeAStoreOfOnlyItsNamespace() throws PromQLException {
        load();
        int nonEmpty = 0;
        for (String q : SHAPES) {
            Map<String, Double> expected = answer(onlyAEngine, parse(q));
            Map<String, Double> actual = answer(bothEngine, A.apply(parse(q)));
            if (q.startsWith("absent")) {
                // absent()'s labels come from the selector's text, see the next test; its values must agree.
                assertEquals(List.copyOf(expected.values()), List.copyOf(actual.values()), q);
                continue;
            }
            assertEquals(expected, actual, q);
            nonEmpty += expected.isEmpty() ? 0 : 1;
        }
        assertTrue(nonEmpty > SHAPES.size() / 2, "most shapes select something: " + nonEmpty);
        // And the unscoped queries do see b, so the comparison above can fail.
        assertNotEquals(answer(onlyAEngine, parse("sum(x)")), answer(bothEngine, parse("sum(x)")));
    }

    @Test
    void absentRevealsNothingAboutAnotherNamespace() throws PromQLException {
        load();
        // b's series exist, yet from a they are absent, and the output has no namespace label
        // (Prometheus 2.42 drops a label matched by two equalities).
        assertEquals(Map.of("{}", 1.0), answer(bothEngine, A.apply(parse("absent(x{k8s_namespace_name=\"b\"})"))));
        assertEquals(Map.of("{}", 1.0), answer(bothEngine, A.apply(parse("absent_over_time(x{k8s_namespace_name=\"b\"}[5m])"))));
        // Identical whether or not b has the series.
        assertEquals(Map.of("{}", 1.0), answer(bothEngine, A.apply(parse("absent(nope{k8s_namespace_name=\"b\"})"))));
        // a's own label is kept, as Prometheus does for absent(nope{k8s_namespace_name="a"}).
        assertEquals(Map.of("{k8s_namespace_name=\"a\"}", 1.0), answer(bothEngine, A.apply(parse("absent(nope)"))));
        assertEquals(Map.of(), answer(bothEngine, A.apply(parse("absent(x)"))));
    }
}
