package dev.kedaotel.query.eval;

import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.QueryOptions;
import dev.kedaotel.query.QueryResult;
import dev.kedaotel.query.ScalarOutcome;
import dev.kedaotel.query.StoreFixture;
import dev.kedaotel.query.ValueType;
import dev.kedaotel.model.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static dev.kedaotel.query.StoreFixture.at;
import static dev.kedaotel.query.StoreFixture.l;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorTest {
    private static final double EPS = 1e-9;

    private final StoreFixture fx = new StoreFixture();
    private final QueryEngine engine = new QueryEngine(fx.store, EngineConfig.defaults());

    @AfterEach
    void close() {
        fx.close();
    }

    private QueryResult query(String q, double atSeconds) throws PromQLException {
        return engine.instant(engine.parse(q), at(atSeconds));
    }

    /** Vector result as "labels => value" map for order-insensitive assertions. */
    private Map<String, Double> vector(String q, double atSeconds) throws PromQLException {
        QueryResult r = query(q, atSeconds);
        assertEquals(ValueType.VECTOR, r.type(), q);
        Map<String, Double> m = new TreeMap<>();
        for (int i = 0; i < r.size(); i++) {
            m.put(r.labels(i).toString(), r.value(i));
        }
        return m;
    }

    private double single(String q, double atSeconds) throws PromQLException {
        ScalarOutcome o = engine.evaluateToScalar(engine.parse(q), at(atSeconds));
        assertTrue(o.found(), q + " found nothing");
        return o.value();
    }

    // ---- rate family --------------------------------------------------------------------------------

    @Test
    void rateExtrapolatesToTheWindowEdges() throws PromQLException {
        // samples at 10..60 s; window [0, 60]: 10 s missing at the start (< 1.1 intervals) is extrapolated
        fx.series(l("__name__", "x"), 10, 10, 10, 20, 30, 40, 50, 60);
        assertEquals(60.0, single("increase(x[1m])", 60), EPS);
        assertEquals(1.0, single("rate(x[1m])", 60), EPS);
        assertEquals(60.0, single("delta(x[1m])", 60), EPS);
    }

    @Test
    void rateCompensatesCounterResets() throws PromQLException {
        fx.series(l("__name__", "x"), 10, 10, 10, 20, 30, 5, 15, 25);
        // raw change 15 plus 30 lost at the reset = 45, extrapolated by 60/50
        assertEquals(54.0, single("increase(x[1m])", 60), EPS);
        assertEquals(0.9, single("rate(x[1m])", 60), EPS);
        assertEquals(1.0, single("resets(x[1m])", 60), EPS);
        assertEquals(5.0, single("changes(x[1m])", 60), EPS);
        // delta does not treat drops as resets: 15 * 60/50
        assertEquals(18.0, single("delta(x[1m])", 60), EPS);
    }

    @Test
    void counterExtrapolationStopsAtZero() throws PromQLException {
        fx.series(l("__name__", "x"), 10, 10, 1, 11, 21, 31, 41, 51);
        // the counter would reach zero 1 s before the first sample, so only 1 s is added at the start
        assertEquals(51.0, single("increase(x[1m])", 60), EPS);
        assertEquals(0.85, single("rate(x[1m])", 60), EPS);
    }

    @Test
    void extrapolationIsLimitedToHalfAnIntervalWhenSamplesAreFarFromTheEdges() throws PromQLException {
        fx.series(l("__name__", "x"), 30, 10, 0, 10);
        // start: counter from 0 -> zero point is the first sample, nothing added; end: 20 s > 11 s, add 5 s
        assertEquals(15.0, single("increase(x[1m])", 60), EPS);
        // delta: half an interval on both sides
        assertEquals(20.0, single("delta(x[1m])", 60), EPS);
    }

    @Test
    void rangeIncludesBothEndsAndNeedsTwoSamples() throws PromQLException {
        fx.series(l("__name__", "x"), 0, 60, 0, 60);
        // [0, 60] holds both samples (closed at both ends)
        assertEquals(60.0, single("increase(x[1m])", 60), EPS);
        assertEquals(2.0, single("count_over_time(x[1m])", 60), EPS);
        // [1, 61] holds one: rate needs two
        assertTrue(vector("rate(x[1m])", 61).isEmpty());
    }

    @Test
    void irateAndIdelta() throws PromQLException {
        fx.series(l("__name__", "x"), 10, 10, 10, 20, 30, 5);
        assertEquals(0.5, single("irate(x[1m])", 40), EPS, "after a reset irate uses the new value");
        assertEquals(-25.0, single("idelta(x[1m])", 40), EPS);
        assertEquals(1.0, single("irate(x[1m])", 30), EPS);
    }

    @Test
    void overTimeFunctions() throws PromQLException {
        fx.series(l("__name__", "x"), 10, 10, 1, 2, 3, 4, 5);
        assertEquals(3.0, single("avg_over_time(x[1m])", 50), EPS);
        assertEquals(1.0, single("min_over_time(x[1m])", 50), EPS);
        assertEquals(5.0, single("max_over_time(x[1m])", 50), EPS);
        assertEquals(15.0, single("sum_over_time(x[1m])", 50), EPS);
        assertEquals(5.0, single("last_over_time(x[1m])", 50), EPS);
        assertEquals(1.0, single("present_over_time(x[1m])", 50), EPS);
        assertEquals(2.0, single("stdvar_over_time(x[1m])", 50), EPS);
        assertEquals(Math.sqrt(2), single("stddev_over_time(x[1m])", 50), EPS);
        assertEquals(3.0, single("quantile_over_time(0.5, x[1m])", 50), EPS);
        assertEquals(4.6, single("quantile_over_time(0.9, x[1m])", 50), EPS);
        assertEquals(0.1, single("deriv(x[1m])", 50), EPS);
        assertEquals(11.0, single("predict_linear(x[1m], 60)", 50), EPS);
        // window (20 s) holds 3,4,5 only
        assertEquals(4.0, single("avg_over_time(x[20s])", 50), EPS);
        // last_over_time keeps the metric name, the others drop it
        assertEquals(Map.of("x{}", 5.0), vector("last_over_time(x[1m])", 50));
        assertEquals(Map.of("{}", 5.0), vector("max_over_time(x[1m])", 50));
    }

    // ---- selectors, lookback, staleness ------------------------------------------------------------

    @Test
    void instantSelectorLooksBackFiveMinutes() throws PromQLException {
        fx.add(l("__name__", "y", "job", "a"), at(10), 7);
        assertEquals(Map.of("y{job=\"a\"}", 7.0), vector("y", 20));
        assertEquals(Map.of("y{job=\"a\"}", 7.0), vector("y", 309.999));
        assertEquals(Map.of("y{job=\"a\"}", 7.0), vector("y", 310), "Prometheus 2.42: a sample exactly lookback old is inside [t - 5m, t]");
        assertTrue(vector("y", 310.001).isEmpty(), "older than the lookback");
        assertTrue(vector("y", 9).isEmpty(), "a future sample is not visible");
        QueryResult shortLookback = engine.instant(engine.parse("y"), at(20),
                QueryOptions.builder().lookbackDeltaMs(5_000).build());
        assertEquals(0, shortLookback.size());
    }

    @Test
    void staleMarkerEndsTheSeries() throws PromQLException {
        String[] y = l("__name__", "y");
        fx.add(y, at(10), 7);
        fx.add(y, at(20), 8);
        fx.stale(y, at(30));
        assertEquals(8.0, single("y", 25), EPS);
        assertTrue(vector("y", 35).isEmpty(), "latest sample is a staleness marker");
        // range vectors skip the marker
        assertEquals(2.0, single("count_over_time(y[1m])", 35), EPS);
    }

    @Test
    void offsetAndAt() throws PromQLException {
        fx.series(l("__name__", "x"), 0, 10, 0, 1, 2, 3, 4, 5, 6);
        assertEquals(3.0, single("x offset 30s", 60), EPS);
        assertEquals(6.0, single("x offset -30s", 30), EPS);
        assertEquals(2.0, single("x @ " + (at(20) / 1000.0), 1000), EPS);
        assertEquals(4.0, single("last_over_time(x[10s] @ " + (at(40) / 1000.0) + ")", 1000), EPS);
        assertEquals(Map.of("{}", at(60) / 1000.0), vector("timestamp(x)", 65));
    }

    // ---- aggregation --------------------------------------------------------------------------------

    @Test
    void aggregations() throws PromQLException {
        fx.add(l("__name__", "m", "job", "a", "i", "1"), at(10), 1);
        fx.add(l("__name__", "m", "job", "a", "i", "2"), at(10), 3);
        fx.add(l("__name__", "m", "job", "b", "i", "3"), at(10), 5);
        assertEquals(Map.of("{}", 9.0), vector("sum(m)", 20));
        assertEquals(Map.of("{job=\"a\"}", 4.0, "{job=\"b\"}", 5.0), vector("sum by (job) (m)", 20));
        assertEquals(Map.of("{job=\"a\"}", 2.0, "{job=\"b\"}", 5.0), vector("avg without (i) (m)", 20));
        assertEquals(Map.of("{job=\"a\"}", 2.0, "{job=\"b\"}", 1.0), vector("count by (job) (m)", 20));
        assertEquals(Map.of("{}", 1.0), vector("min(m)", 20));
        assertEquals(Map.of("{}", 5.0), vector("max(m)", 20));
        assertEquals(Map.of("{}", 1.0), vector("group(m)", 20));
        assertEquals(Map.of("{}", 8.0 / 3), vector("stdvar(m)", 20));
        assertEquals(Map.of("{}", 3.0), vector("quantile(0.5, m)", 20));
        assertEquals(Map.of("m{i=\"3\", job=\"b\"}", 5.0), vector("topk(1, m)", 20));
        assertEquals(Map.of("m{i=\"1\", job=\"a\"}", 1.0, "m{i=\"3\", job=\"b\"}", 5.0), vector("bottomk by (job) (1, m)", 20));
        assertEquals(Map.of("{v=\"1\"}", 1.0, "{v=\"3\"}", 1.0, "{v=\"5\"}", 1.0), vector("count_values(\"v\", m)", 20));
        assertEquals(Map.of("{__name__=\"m\"}".replace("{__name__=\"m\"}", "m{}"), 9.0), vector("sum by (__name__) (m)", 20));
        assertEquals(Map.of("{}", 9.0), vector("sum by (__name__) (m * 1)", 20), "a dropped name groups as empty");
        QueryResult top = query("topk(3, m)", 20);
        assertEquals(5.0, top.value(0), "topk output is ordered by value");
    }

    // ---- binary operators ---------------------------------------------------------------------------

    @Test
    void vectorMatching() throws PromQLException {
        fx.add(l("__name__", "a", "i", "1"), at(10), 10);
        fx.add(l("__name__", "a", "i", "2"), at(10), 20);
        fx.add(l("__name__", "b", "i", "1"), at(10), 2);
        fx.add(l("__name__", "b", "i", "2"), at(10), 5);
        fx.add(l("__name__", "req", "i", "1", "path", "p1"), at(10), 10);
        fx.add(l("__name__", "req", "i", "1", "path", "p2"), at(10), 20);
        fx.add(l("__name__", "info", "i", "1", "version", "v1"), at(10), 1);

        assertEquals(Map.of("{i=\"1\"}", 5.0, "{i=\"2\"}", 4.0), vector("a / b", 20));
        assertEquals(Map.of("a{i=\"1\"}", 10.0), vector("a > 15 < 20 or a < 15", 20).entrySet().stream()
                .filter(e -> e.getValue() == 10.0).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertEquals(Map.of("{i=\"1\"}", 1.0, "{i=\"2\"}", 1.0), vector("a > bool b", 20));
        assertEquals(Map.of("a{i=\"2\"}", 20.0), vector("a > 15", 20));
        assertEquals(Map.of("a{i=\"1\"}", 10.0), vector("15 > a", 20), "the vector's value is kept on the right");
        assertEquals(Map.of("{i=\"1\"}", 0.0, "{i=\"2\"}", 1.0), vector("a > bool 15", 20));
        assertEquals(Map.of("{i=\"1\"}", 20.0, "{i=\"2\"}", 40.0), vector("2 * a", 20));
        assertEquals(Map.of("{i=\"1\"}", -10.0, "{i=\"2\"}", -20.0), vector("-a", 20));
        assertEquals(Map.of("{i=\"1\", path=\"p1\", version=\"v1\"}", 10.0, "{i=\"1\", path=\"p2\", version=\"v1\"}", 20.0),
                vector("req * on (i) group_left (version) info", 20));
        assertEquals(Map.of("a{i=\"1\"}", 10.0), vector("a and on (i) req", 20));
        assertEquals(Map.of("a{i=\"2\"}", 20.0), vector("a unless on (i) req", 20));
        assertEquals(2, vector("a or b", 20).size(), "or skips rhs series whose labels (minus name) match the lhs");
        assertEquals(4, vector("a or req", 20).size(), "or adds rhs series with new labels");
        assertEquals(Map.of("{i=\"1\"}", 12.0, "{i=\"2\"}", 25.0), vector("a + ignoring (x) b", 20));

        PromQLException manyToOne = assertThrows(PromQLException.class, () -> query("req * on (i) info", 20));
        assertEquals("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
                manyToOne.getMessage());
        assertEquals(PromQLException.Kind.EXECUTION, manyToOne.kind());
        PromQLException dup = assertThrows(PromQLException.class, () -> query("info * on (i) req", 20));
        assertTrue(dup.getMessage().startsWith("found duplicate series for the match group {i=\"1\"} on the right hand-side"),
                dup.getMessage());
    }

    @Test
    void scalarsAndFunctions() throws PromQLException {
        fx.add(l("__name__", "v", "k", "x"), at(10), -2.5);
        assertEquals(7.0, query("1 + 2 * 3", 20).scalar(), EPS);
        assertEquals(512.0, query("2 ^ 3 ^ 2", 20).scalar(), EPS);
        assertEquals(1.0, query("1 < bool 2", 20).scalar(), EPS);
        assertEquals(at(20) / 1000.0, query("time()", 20).scalar(), EPS);
        assertEquals(-2.5, query("scalar(v)", 20).scalar(), EPS);
        assertTrue(Double.isNaN(query("scalar(nothing)", 20).scalar()));
        assertEquals("hello", query("\"hello\"", 20).string());
        assertEquals(Map.of("{k=\"x\"}", 2.5), vector("abs(v)", 20));
        assertEquals(Map.of("{k=\"x\"}", -2.0), vector("ceil(v)", 20));
        assertEquals(Map.of("{k=\"x\"}", -2.0), vector("round(v)", 20));
        assertEquals(Map.of("{k=\"x\"}", -2.5), vector("round(v, 0.5)", 20));
        assertEquals(Map.of("{k=\"x\"}", 0.0), vector("clamp_min(v, 0)", 20));
        assertEquals(Map.of("{k=\"x\"}", -1.0), vector("clamp(v, -1, 1)", 20));
        assertTrue(vector("clamp(v, 1, -1)", 20).isEmpty());
        assertEquals(Map.of("{}", 3.0), vector("vector(3)", 20));
        assertEquals(Map.of("{job=\"j\"}", 1.0), vector("absent(nothing{job=\"j\"})", 20));
        assertTrue(vector("absent(v)", 20).isEmpty());
        assertEquals(Map.of("{a=\"b\"}", 1.0), vector("absent_over_time(nothing{a=\"b\"}[1m])", 20));
        assertEquals(Map.of("v{dst=\"x-x\", k=\"x\"}", -2.5), vector("label_replace(v, \"dst\", \"$1-${1}\", \"k\", \"(.*)\")", 20));
        assertEquals(Map.of("v{k=\"x\"}", -2.5), vector("label_replace(v, \"dst\", \"$1\", \"k\", \"nomatch\")", 20));
        assertEquals(Map.of("v{j=\"x:x\", k=\"x\"}", -2.5), vector("label_join(v, \"j\", \":\", \"k\", \"k\")", 20));
        assertEquals(3.0, single("log2(vector(8))", 20), 0);
    }

    @Test
    void sortOrdersTheInstantResult() throws PromQLException {
        fx.add(l("__name__", "s", "i", "1"), at(10), 2);
        fx.add(l("__name__", "s", "i", "2"), at(10), 3);
        fx.add(l("__name__", "s", "i", "3"), at(10), 1);
        QueryResult asc = query("sort(s)", 20);
        assertEquals(1.0, asc.value(0));
        assertEquals(3.0, asc.value(2));
        QueryResult desc = query("sort_desc(s)", 20);
        assertEquals(3.0, desc.value(0));
        assertEquals("s{i=\"2\"}", desc.labels(0).toString());
    }

    @Test
    void histogramQuantileInterpolatesAndFixesMonotonicity() throws PromQLException {
        fx.add(l("__name__", "h_bucket", "le", "0.1"), at(10), 10);
        fx.add(l("__name__", "h_bucket", "le", "0.5"), at(10), 20);
        fx.add(l("__name__", "h_bucket", "le", "1"), at(10), 15); // non-monotonic, read as 20
        fx.add(l("__name__", "h_bucket", "le", "+Inf"), at(10), 40);
        assertEquals(0.5, single("histogram_quantile(0.5, h_bucket)", 20), EPS);
        assertEquals(0.05, single("histogram_quantile(0.125, h_bucket)", 20), EPS);
        assertEquals(0.1, single("histogram_quantile(0.25, h_bucket)", 20), EPS);
        assertEquals(1.0, single("histogram_quantile(0.9, h_bucket)", 20), EPS);
    }

    @Test
    void subqueries() throws PromQLException {
        fx.series(l("__name__", "x"), 0, 10, 0, 10, 20, 30, 40, 50, 60);
        // rate at 30 s, 40 s, 50 s, 60 s evaluated with [20s] windows, all 1/s
        assertEquals(1.0, single("max_over_time(rate(x[20s])[30s:10s])", 60), EPS);
        QueryResult m = query("x[30s:10s]", 60);
        assertEquals(ValueType.MATRIX, m.type());
        assertEquals(4, m.series().get(0).size());
    }

    // ---- range queries and results -------------------------------------------------------------------

    @Test
    void rangeQueryEvaluatesEachStepAndSortsSeries() throws PromQLException {
        fx.series(l("__name__", "r", "i", "2"), 0, 10, 1, 2, 3);
        fx.series(l("__name__", "r", "i", "1"), 0, 10, 4, 5, 6);
        QueryResult res = engine.range(engine.parse("r * 2"), at(0), at(20), 10_000, QueryOptions.DEFAULT);
        assertEquals(2, res.series().size());
        QueryResult.Series first = res.series().get(0);
        assertEquals(Labels.of("i", "1"), first.labels());
        assertEquals(at(0), first.timestamps()[0]);
        assertEquals(12.0, first.values()[2], EPS);
        assertEquals(3, first.size());

        QueryResult scalar = engine.range(engine.parse("time()"), at(0), at(20), 10_000, QueryOptions.DEFAULT);
        assertEquals(3, scalar.series().get(0).size());

        PromQLException bad = assertThrows(PromQLException.class,
                () -> engine.range(engine.parse("r[1m]"), at(0), at(20), 10_000, QueryOptions.DEFAULT));
        assertEquals("invalid expression type \"range vector\" for range query, must be Scalar or instant Vector", bad.getMessage());
    }

    @Test
    void matrixInstantResultHoldsRawSamples() throws PromQLException {
        fx.series(l("__name__", "x"), 0, 10, 1, 2, 3);
        QueryResult m = query("x[15s]", 20);
        assertEquals(ValueType.MATRIX, m.type());
        assertEquals(2, m.series().get(0).size());
        assertEquals(Labels.of("__name__", "x"), m.series().get(0).labels());
    }

    @Test
    void evaluateToScalarContract() throws PromQLException {
        fx.add(l("__name__", "m", "i", "1"), at(10), 1);
        fx.add(l("__name__", "m", "i", "2"), at(10), 2);
        assertEquals(3.0, single("sum(m)", 20), EPS);
        assertEquals(42.0, single("42", 20), EPS);
        assertFalse(engine.evaluateToScalar(engine.parse("nothing"), at(20)).found());
        PromQLException e = assertThrows(PromQLException.class, () -> engine.evaluateToScalar(engine.parse("m"), at(20)));
        assertEquals("query returned 2 series; a scaling query must return a single value, wrap it in an aggregation such as sum(...)",
                e.getMessage());
        assertEquals(PromQLException.Kind.EXECUTION, e.kind());
    }

    @Test
    void limits() throws PromQLException {
        fx.series(l("__name__", "x"), 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        PromQLException tooMany = assertThrows(PromQLException.class, () -> engine.instant(engine.parse("sum_over_time(x[1m])"),
                at(10), QueryOptions.builder().maxSamples(5).build()));
        assertEquals("query processing would load too many samples into memory in query execution", tooMany.getMessage());
        PromQLException unsupported = assertThrows(PromQLException.class, () -> query("histogram_count(x)", 10));
        assertTrue(unsupported.getMessage().startsWith("function \"histogram_count\" is not supported: native histograms are not stored"),
                unsupported.getMessage());
        assertEquals(PromQLException.Kind.EXECUTION, unsupported.kind());
    }

    @Test
    void interruptedThreadCancelsTheQuery() throws PromQLException {
        fx.add(l("__name__", "x"), at(10), 1);
        org.junit.jupiter.api.Assertions.assertEquals(1.0, single("x", 20));
        Thread.currentThread().interrupt();
        try {
            PromQLException e = assertThrows(PromQLException.class, () -> query("x", 20));
            assertEquals(PromQLException.Kind.CANCELED, e.kind());
            assertEquals("query was canceled in query execution", e.getMessage());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void rangeQueryResolutionIsCapped() {
        PromQLException e = assertThrows(PromQLException.class,
                () -> engine.range(engine.parse("1"), at(0), at(20_000), 1_000, QueryOptions.DEFAULT));
        assertEquals(PromQLException.Kind.BAD_DATA, e.kind());
        assertTrue(e.getMessage().startsWith("exceeded maximum resolution of 11,000 points per timeseries"));
    }

    @Test
    void regexMatchersAndAtStartInRangeQueries() throws PromQLException {
        fx.series(l("__name__", "x", "job", "api"), 0, 10, 1, 2, 3);
        fx.series(l("__name__", "x", "job", "web"), 0, 10, 10, 20, 30);
        assertEquals(Map.of("x{job=\"api\"}", 3.0), vector("x{job=~\"a.*\"}", 20));
        assertEquals(Map.of("x{job=\"web\"}", 30.0), vector("x{job!~\"a.*\"}", 20));
        assertEquals(Map.of("x{job=\"web\"}", 30.0), vector("x{job!=\"api\"}", 20));
        assertTrue(vector("x{job=~\"ap\"}", 20).isEmpty(), "regexes are anchored");
        QueryResult r = engine.range(engine.parse("x{job=\"api\"} @ start()"), at(0), at(20), 10_000, QueryOptions.DEFAULT);
        double[] values = r.series().get(0).values();
        assertEquals(1.0, values[0]);
        assertEquals(1.0, values[2], "@ start() pins every step to the query start");
    }

    @Test
    void parseIsCached() throws PromQLException {
        assertTrue(engine.parse("sum(x)") == engine.parse("sum(x)"));
    }
}
