package dev.kedaotel.query.kedify;

import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.ScalarOutcome;
import dev.kedaotel.query.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.kedaotel.query.StoreFixture.at;
import static dev.kedaotel.query.StoreFixture.l;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KedifyQueryTest {
    private static final long WINDOW = 120_000;

    private final StoreFixture fx = new StoreFixture();
    private final QueryEngine engine = new QueryEngine(fx.store, EngineConfig.defaults());

    @AfterEach
    void close() {
        fx.close();
    }

    private ScalarOutcome eval(String query, String op, double atSeconds) throws Exception {
        return engine.evaluateToScalar(KedifyQuery.compile(query, op == null ? null : OperationOverTime.fromWireName(op), WINDOW).expr(), at(atSeconds));
    }

    private double value(String query, String op, double atSeconds) throws Exception {
        ScalarOutcome o = eval(query, op, atSeconds);
        assertTrue(o.found(), query + " not found");
        return o.value();
    }

    // ---- kedify's store test vectors, end-to-end through the store and engine ----------------------

    @Test
    void rateOfSteadyCounter() throws Exception {
        fx.series(l("__name__", "m"), 0, 10, 0, 10, 20, 30, 40, 50, 60);
        assertEquals(1.0, value("m", "rate", 60), 1e-12);
    }

    @Test
    void rateWithThirtySecondSpacing() throws Exception {
        fx.series(l("__name__", "m"), 0, 30, 0, 100, 200, 300, 400, 500);
        assertEquals(500.0 / 150, value("m", "rate", 150), 1e-12);
    }

    @Test
    void rateCountsADropAsAReset() throws Exception {
        fx.series(l("__name__", "m"), 0, 10, 1, 3, 4, 6, 7, 9, 10, 0, 1);
        assertEquals(0.125, value("m", "rate", 80), 1e-12);
    }

    @Test
    void rateOfASingleSampleIsZero() throws Exception {
        fx.add(l("__name__", "m"), at(0), 5);
        assertEquals(0.0, value("m", "rate", 10), 0);
    }

    @Test
    void timeOperations() throws Exception {
        fx.series(l("__name__", "m"), 0, 10, 1, 2, 3, 4, 5);
        assertEquals(3.0, value("m", "avg", 40), 1e-12);
        assertEquals(1.0, value("m", "min", 40), 0);
        assertEquals(5.0, value("m", "max", 40), 0);
        assertEquals(5.0, value("m", "count", 40), 0);
        assertEquals(5.0, value("m", "last_one", 40), 0);
        assertEquals(5.0, value("m", null, 40), 0);
        assertEquals(5.0, value("m", "LAST_ONE", 40), 0);
    }

    @Test
    void windowIsTheRetention() throws Exception {
        fx.series(l("__name__", "m"), 0, 10, 1, 2, 3, 4, 5);
        ScalarOutcome o = engine.evaluateToScalar(KedifyQuery.compile("m", OperationOverTime.AVG, 25_000).expr(), at(40));
        assertEquals(4.0, o.value(), 1e-12, "[15 s, 40 s] holds 3, 4, 5");
    }

    @Test
    void vectorOperationsAcrossSeries() throws Exception {
        for (int i = 1; i <= 4; i++) {
            fx.add(l("__name__", "m", "pod", "p" + i, "ns", i <= 2 ? "a" : "b"), at(10), i);
        }
        assertEquals(4.0, value("count(m)", null, 20), 0);
        assertEquals(10.0, value("m", null, 20), 0);
        assertEquals(2.5, value("avg(m)", null, 20), 0);
        assertEquals(1.0, value("min(m)", null, 20), 0);
        assertEquals(4.0, value("max(m{ns=b})", null, 20), 0);
        assertEquals(3.0, value("sum(m{ns=\"a\"})", null, 20), 0);
        assertEquals(7.0, value("sum(m{ns!=\"a\"})", null, 20), 0);
        assertEquals(4.0, value("sum(m{pod=~\"p[13]\"})", null, 20), 0);
    }

    @Test
    void notFoundWhenNothingFreshMatches() throws Exception {
        fx.add(l("__name__", "m", "deployment", "d"), at(10), 1);
        assertFalse(eval("nothing", null, 20).found(), "unknown metric");
        assertFalse(eval("m{deployment=other}", null, 20).found(), "no matching series");
        assertFalse(eval("m{namespace=n, deployment=d}", null, 20).found(),
                "a series without the queried label does not match (it reads as \"\")");
        assertFalse(eval("m", null, 10 + 121).found(), "series older than the window");
        assertTrue(eval("m", null, 20).found());
    }

    @Test
    void dottedNamesAndKeysAreSanitisedLikeIngest() throws Exception {
        fx.add(l("__name__", "vcs_change_duration", "vcs_repository_name", "otel-add-on"), at(10), 42);
        assertEquals(42.0, value("max(vcs.change.duration{vcs.repository.name=otel-add-on})", "last_one", 20), 0);
        fx.add(l("__name__", "vllm:num_requests_running", "namespace", "ns", "deployment", "d"), at(10), 3);
        assertEquals(3.0, value("vllm:num_requests_running", null, 20), 0);
        assertEquals(3.0, value("sum(vllm:num_requests_running{namespace=\"ns\", deployment=\"d\"})", "avg", 20), 0);
    }

    // ---- parsing ------------------------------------------------------------------------------------

    @Test
    void quotingStylesAreEquivalent() throws Exception {
        String a = KedifyQuery.compile("m{a=1, b=2}", null, WINDOW).promql();
        assertEquals(a, KedifyQuery.compile("m{a=\"1\", b=\"2\"}", null, WINDOW).promql());
        assertEquals(a, KedifyQuery.compile("m{a='1', b='2'}", null, WINDOW).promql());
        assertEquals(a, KedifyQuery.compile("  m{ a = 1 ,b= 2 }  ", null, WINDOW).promql());
        assertEquals("sum(last_over_time(m{a=\"1\",b=\"2\"}[2m]))", a);
    }

    @Test
    void compiledShape() throws Exception {
        KedifyQuery q = KedifyQuery.compile("max(metric_foo)", OperationOverTime.RATE, WINDOW);
        assertEquals("metric_foo", q.metricName());
        assertEquals("max", q.vectorOp());
        assertEquals(OperationOverTime.RATE, q.operation());
        assertEquals("max(kedify_rate(metric_foo[2m]))", q.promql());

        KedifyQuery dotted = KedifyQuery.compile("http.server/duration{}", OperationOverTime.fromWireName(" AVG "), WINDOW);
        assertEquals("http_server_duration", dotted.metricName());
        assertEquals("sum(avg_over_time(http_server_duration[2m]))", dotted.promql());
    }

    @Test
    void kserveMergedGroupsAndOuterSum() throws Exception {
        KedifyQuery q = KedifyQuery.compile("sum(x{a=\"b\"}{namespace=\"n\", deployment=\"d\"})", null, WINDOW);
        assertEquals("sum(last_over_time(x{a=\"b\",deployment=\"d\",namespace=\"n\"}[2m]))", q.promql());
        KedifyQuery nested = KedifyQuery.compile("sum(avg(x{a=\"b\"}){namespace=\"n\", deployment=\"d\"})", null, WINDOW);
        assertEquals("avg", nested.vectorOp(), "KServe's outer sum around the user's avg: the user's op wins");
        assertEquals("avg(last_over_time(x{a=\"b\",deployment=\"d\",namespace=\"n\"}[2m]))", nested.promql());
        assertEquals("max(last_over_time(x[2m]))", KedifyQuery.compile("sum(max(x))", null, WINDOW).promql());
    }

    @Test
    void everySpellingNamesOneOperationAndUnknownOnesNone() throws Exception {
        for (OperationOverTime op : OperationOverTime.values()) {
            assertEquals(op, OperationOverTime.fromWireName(op.wireName().toUpperCase(java.util.Locale.ROOT)));
            assertTrue(OperationOverTime.SUPPORTED.contains(op.wireName()));
            assertNotNull(KedifyQuery.compile("m", op, WINDOW).expr());
        }
        assertNull(OperationOverTime.fromWireName("sum"), "KServe sends sum; the caller decides the fallback");
        assertEquals(OperationOverTime.LAST_ONE, KedifyQuery.compile("m", null, WINDOW).operation());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void emptyQueryIsAnError(String query) {
        KedifyQueryException e = assertThrows(KedifyQueryException.class, () -> KedifyQuery.compile(query, null, WINDOW));
        assertEquals("metricQuery is empty", e.getMessage());
    }

    @Test
    void errorsNameTheColumn() {
        assertError("m{b=2=2}", "unexpected '=' at column 6 in the value of label \"b\" (quote values that contain it)");
        assertError("m{a:1}", "expected =, !=, =~ or !~ after label name \"a:1\" at column 6, found '}'");
        assertError("m{a=1", "unclosed '{' at column 2");
        assertError("m}a=1{", "unexpected '}' at column 2 after the end of the query");
        assertError("sum(m", "expected ')' closing sum( from column 1 at column 6, found the end of the query");
        assertError("sum(m))", "unexpected ')' at column 7 after the end of the query");
        assertError("m{a=1} junk", "unexpected 'j' at column 8 after the end of the query");
        assertError("avg(sum(m))", "nested aggregation avg(sum(...)) at column 1 is not supported; only one of sum, avg, min, max,"
                + " count may wrap the metric (an extra outer sum(...) as generated by KServe is accepted)");
        assertError("sum()", "expected a metric name at column 5, found ')'");
        assertError("m{a=~\"(\"}", "invalid regular expression in matcher a=~\"(\": error parsing regexp: missing closing ): `^(?:()$` at column 6");
        assertError("m{=1}", "expected a label name at column 3, found '='");
        assertError("avg(x){a=1}", "unexpected '{' at column 7 after the end of the query");
    }

    /** Characters that mean something in PromQL end a kedify name rather than being sanitised into it. */
    @Test
    void promqlOperatorsAndBracketsAreNotPartOfAName() {
        assertError("rel_m[1m]", "unexpected '[' at column 6 after the end of the query");
        assertError("sum(x{a=\"b\"}[5m])", "expected ')' closing sum( from column 1 at column 13, found '['");
        assertError("x+1", "unexpected '+' at column 2 after the end of the query");
        assertError("x*2", "unexpected '*' at column 2 after the end of the query");
        assertError("x^2", "unexpected '^' at column 2 after the end of the query");
        assertError("x%2", "unexpected '%' at column 2 after the end of the query");
        assertError("x>0", "unexpected '>' at column 2 after the end of the query");
        assertError("x<0", "unexpected '<' at column 2 after the end of the query");
        assertError("x@100", "unexpected '@' at column 2 after the end of the query");
        assertError("x#comment", "unexpected '#' at column 2 after the end of the query");
        assertError("42", "expected a metric name at column 1, found '4'");
        assertError("-x", "expected a metric name at column 1, found '-'");
        assertError("sum(1+1)", "expected a metric name at column 5, found '1'");
    }

    /** kedify's own name characters stay names: '.' and '/' (kedify escapes them), '-' (its admission policy). */
    @Test
    void kedifyNameCharactersAreSanitisedLikeIngest() throws Exception {
        assertEquals("http_server_duration_ms", KedifyQuery.compile("http.server/duration-ms", null, WINDOW).metricName());
        assertEquals("vllm:num_requests_running", KedifyQuery.compile("vllm:num_requests_running", null, WINDOW).metricName());
        assertEquals("_private", KedifyQuery.compile("_private", null, WINDOW).metricName());
    }

    private static void assertError(String query, String message) {
        KedifyQueryException e = assertThrows(KedifyQueryException.class, () -> KedifyQuery.compile(query, null, WINDOW));
        assertEquals(message, e.getMessage());
    }

    @Test
    void nonPositiveWindowIsRejected() {
        assertThrows(KedifyQueryException.class, () -> KedifyQuery.compile("m", null, 0));
    }

    @Test
    void compiledRateIsNotReachableFromPromQL() {
        PromQLException e = assertThrows(PromQLException.class, () -> engine.parse("kedify_rate(m[1m])"));
        assertEquals("1:1: parse error: unknown function with name \"kedify_rate\"", e.getMessage());
    }
}
