package dev.kedaotel.query.eval;

import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.QueryOptions;
import dev.kedaotel.query.QueryResult;
import dev.kedaotel.query.StoreFixture;
import dev.kedaotel.model.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static dev.kedaotel.query.StoreFixture.at;
import static dev.kedaotel.query.StoreFixture.l;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Function and operator results where we used to differ from Prometheus 2.42. Every expected value
 * here is what a Prometheus 2.42.0 server answered for the same samples (backfilled with promtool at
 * {@link StoreFixture#BASE}), so these tests pin 2.42's behaviour, not our reading of it.
 */
class Prometheus242FunctionsTest {
    private static final double EPS = 1e-9;
    private static final String SAME_LABELSET = "vector cannot contain metrics with the same labelset";

    private final StoreFixture fx = new StoreFixture();
    private final QueryEngine engine = new QueryEngine(fx.store, EngineConfig.defaults());

    @BeforeEach
    void load() {
        double[] a = new double[40];
        double[] b = new double[40];
        double[] sq = new double[40];
        for (int i = 0; i < 40; i++) {
            a[i] = i * 1.5;
            b[i] = i * 2.0 + 0.3;
            sq[i] = i * i;
        }
        // a and b differ only in their name; so do the two histograms x and y.
        fx.series(l("__name__", "a", "job", "j"), 0, 15, a);
        fx.series(l("__name__", "b", "job", "j"), 0, 15, b);
        fx.series(l("__name__", "sq", "job", "j"), 0, 15, sq);
        for (String h : new String[] {"x_bucket", "y_bucket"}) {
            for (Object[] bucket : new Object[][] {{"1", 1}, {"2", 3}, {"+Inf", 4}}) {
                double[] counts = new double[40];
                for (int i = 0; i < 40; i++) {
                    counts[i] = (int) bucket[1] * (i + 1);
                }
                fx.series(l("__name__", h, "job", "j", "le", (String) bucket[0]), 0, 15, counts);
            }
        }
        // early and late never overlap in time (beyond the 5 m lookback).
        fx.series(l("__name__", "early", "job", "j"), 0, 15, 0, 1, 2, 3, 4, 5, 6);
        fx.series(l("__name__", "late", "job", "j"), 34 * 15, 15, 34, 35, 36, 37, 38, 39);
    }

    @AfterEach
    void close() {
        fx.close();
    }

    // ---- results that drop __name__ must stay distinct ------------------------------------------------

    @Test
    void droppingTheNameOfTwoMetricsWithTheSameLabelsFails() {
        for (String q : new String[] {
            "ceil({__name__=~\"a|b\"})",
            "-{__name__=~\"a|b\"}",
            "changes({__name__=~\"a|b\"}[1m])",
            "rate({__name__=~\"a|b\"}[1m])",
            "predict_linear({__name__=~\"a|b\"}[1m], 1)",
            "histogram_quantile(0.9, {__name__=~\"x_bucket|y_bucket\"})",
            "{__name__=~\"a|b\"} + 1",
            "{__name__=~\"a|b\"} > bool 1",
            "timestamp({__name__=~\"a|b\"})",
            "round({__name__=~\"a|b\"})",
            "hour({__name__=~\"a|b\"})",
            "sort(-{__name__=~\"a|b\"})",
            "max_over_time((-{__name__=~\"a|b\"})[1m:15s])",
        }) {
            PromQLException e = assertThrows(PromQLException.class, () -> instant(q, 300), q);
            assertEquals(SAME_LABELSET, e.getMessage(), q);
            assertEquals(PromQLException.Kind.EXECUTION, e.kind(), q);
        }
    }

    @Test
    void resultsKeepingTheNameStayApart() throws PromQLException {
        Map<String, Double> both = Map.of("a{job=\"j\"}", 30.0, "b{job=\"j\"}", 40.3);
        assertEquals(both, instant("{__name__=~\"a|b\"} > 1", 300));
        assertEquals(both, instant("sort({__name__=~\"a|b\"})", 300));
        assertEquals(both, instant("last_over_time({__name__=~\"a|b\"}[1m])", 300));
        assertEquals(Map.of("a{job=\"j\", x=\"y\"}", 30.0, "b{job=\"j\", x=\"y\"}", 40.3),
                instant("label_replace({__name__=~\"a|b\"}, \"x\", \"y\", \"\", \"\")", 300));
        assertEquals(Map.of(), instant("-({__name__=~\"a|b\"} > 1000)", 300));
        assertEquals(Map.of(), instant("clamp({__name__=~\"a|b\"}, 2, 1)", 300));
        assertEquals(Map.of("{job=\"j\"}", 2.0), instant("histogram_quantile(0.9, x_bucket)", 300));
        assertEquals(Map.of("{job=\"j\"}", 2.0), instant("histogram_quantile(0.9, rate(x_bucket[1m]))", 300));
    }

    @Test
    void functionsAndOperatorsCheckEachStepButRangeFunctionsAndNegationTheWholeRange() throws PromQLException {
        // ceil and + are checked per step (Prometheus' rangeEval): early and late never share a step.
        QueryResult ceil = range("ceil({__name__=~\"early|late\"})");
        assertEquals(1, ceil.series().size());
        assertEquals(Labels.of("job", "j"), ceil.series().get(0).labels());
        assertArrayEquals(new double[] {0, 4, 6, 6, 6, 6, 6, 36}, ceil.series().get(0).values(), EPS);
        assertEquals(1, range("{__name__=~\"early|late\"} + 1").series().size());
        // Negation and range functions produce whole series in Prometheus, checked once for the range.
        for (String q : new String[] {"-{__name__=~\"early|late\"}", "changes({__name__=~\"early|late\"}[1m])"}) {
            PromQLException e = assertThrows(PromQLException.class, () -> range(q), q);
            assertEquals(SAME_LABELSET, e.getMessage(), q);
        }
        // A name dropped further down is no collision: one series leaves ceil, one is negated.
        assertEquals(1, range("-ceil({__name__=~\"early|late\"})").series().size());
    }

    // ---- predict_linear under @ ---------------------------------------------------------------------

    @Test
    void predictLinearUnderAtPredictsFromTheEvaluationTime() throws PromQLException {
        // a rises 0.1 per second; the window is pinned at 200 s but the line is read at the query time.
        assertEquals(Map.of("{job=\"j\"}", 36.0), instant("predict_linear(a[2m] @ " + seconds(200) + ", 60)", 300));
        assertEquals(Map.of("{job=\"j\"}", 30.0), instant("predict_linear(a[2m] @ " + seconds(200) + ", 0)", 300));
        // sq is a parabola, so the line fitted to the pinned window shows where the window was.
        String q = "predict_linear(sq[2m] @ " + seconds(200) + ", 0)";
        assertEquals(295.0, instant(q, 300).get("{job=\"j\"}"), EPS);
        assertEquals(333.0, instant(q, 330).get("{job=\"j\"}"), EPS);
        assertEquals(409.0, instant(q, 390).get("{job=\"j\"}"), EPS);
    }

    @Test
    void predictLinearUnderAtInARangeQueryMovesItsWindowWithTheStep() throws PromQLException {
        // Not step-invariant in 2.42: the @ becomes an offset from the query start, so the window's start
        // moves with the step, but only samples up to the @ time were loaded: [@ + (t - start) - 2m, @].
        QueryResult r = engine.range(engine.parse("predict_linear(sq[2m] @ " + seconds(200) + ", 0)"), at(300), at(390), 30_000,
                QueryOptions.DEFAULT);
        assertArrayEquals(new double[] {295, 354.6666666666667, 421, 494}, r.series().get(0).values(), EPS);
        // Over a subquery only the instant query agrees with 2.42 (see Evaluation.rangeFunction).
        assertEquals(29.0, instant("predict_linear(a[2m:15s] @ " + seconds(200) + ", 0)", 300).get("{job=\"j\"}"), EPS);
        // A step-invariant call is unaffected: rate's window stays where @ pins it.
        QueryResult rate = engine.range(engine.parse("rate(sq[2m] @ " + seconds(200) + ")"), at(300), at(390), 30_000,
                QueryOptions.DEFAULT);
        assertArrayEquals(new double[] {1.2666666666666666, 1.2666666666666666, 1.2666666666666666, 1.2666666666666666},
                rate.series().get(0).values(), EPS);
    }

    // ---- atan2 --------------------------------------------------------------------------------------

    @Test
    void atan2KeepsTheLeftSidesMetricName() throws PromQLException {
        assertEquals(Map.of("a{job=\"j\"}", 0.7853981633974483), instant("a atan2 a", 300));
        assertEquals(Map.of("a{job=\"j\"}", 1.5374753309166493, "b{job=\"j\"}", 1.5459875220145014),
                instant("{__name__=~\"a|b\"} atan2 1", 300));
        assertEquals(Map.of("a{job=\"j\"}", Math.atan2(1, 30)), instant("1 atan2 a", 300));
        // The arithmetic operators still drop it.
        assertEquals(Map.of("{job=\"j\"}", 0.0), instant("a - a", 300));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static String seconds(double s) {
        return String.valueOf(at(s) / 1000.0);
    }

    private Map<String, Double> instant(String q, double atSeconds) throws PromQLException {
        QueryResult r = engine.instant(engine.parse(q), at(atSeconds));
        Map<String, Double> m = new TreeMap<>();
        for (int i = 0; i < r.size(); i++) {
            m.put(r.labels(i).toString(), r.value(i));
        }
        return m;
    }

    private QueryResult range(String q) throws PromQLException {
        return engine.range(engine.parse(q), at(0), at(585), 60_000, QueryOptions.DEFAULT);
    }
}
