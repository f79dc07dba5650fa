package dev.kedaotel.query.ast;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.kedify.KedifyQuery;
import dev.kedaotel.query.kedify.OperationOverTime;
import dev.kedaotel.query.parser.Parser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How far back queries read, per the evaluator's windows (see {@link QuerySpan}). */
class QuerySpanTest {
    private static final long LOOKBACK = 300_000;

    private static long span(String promql) throws PromQLException {
        return QuerySpan.of(Parser.parse(promql), LOOKBACK);
    }

    @Test
    void instantSelectorsReadTheLookback() throws Exception {
        assertEquals(LOOKBACK, span("x"));
        assertEquals(LOOKBACK, span("sum by (pod) (x{a=\"b\"})"));
        assertEquals(LOOKBACK + 60_000, span("x offset 1m"));
        assertEquals(45_000, QuerySpan.of(Parser.parse("x"), 45_000), "the lookback given, not a constant");
    }

    @Test
    void rangeSelectorsReadTheirRangeNotTheLookback() throws Exception {
        assertEquals(30_000, span("rate(x[30s])"));
        assertEquals(90_000, span("sum(rate(x[30s] offset 1m))"));
        assertEquals(120_000, span("last_over_time(x[2m])"));
    }

    @Test
    void theWidestSelectorWins() throws Exception {
        assertEquals(LOOKBACK, span("rate(x[30s]) + y"), "the instant selector's lookback is wider than 30 s");
        assertEquals(600_000, span("rate(x[30s]) / avg_over_time(y[10m])"));
        assertEquals(120_000, span("histogram_quantile(0.9, sum by (le) (rate(h_bucket[2m])))"));
    }

    @Test
    void subqueriesAddTheirRangeToTheInnerSpan() throws Exception {
        assertEquals(5 * 60_000 + 60_000, span("max_over_time(rate(x[1m])[5m:30s])"));
        assertEquals(5 * 60_000 + 60_000 + 120_000, span("max_over_time(rate(x[1m])[5m:30s] offset 2m)"));
        assertEquals(5 * 60_000 + LOOKBACK, span("avg_over_time(x[5m:])"));
        assertEquals(0, span("max_over_time(vector(1)[5m:])"), "a subquery over nothing stored reads nothing");
    }

    @Test
    void queriesReadingNoSamplesHaveSpanZero() throws Exception {
        assertEquals(0, span("1"));
        assertEquals(0, span("vector(1) * 3"));
        assertEquals(0, span("time()"));
    }

    @Test
    void negativeOffsetsLookAheadAndShortenTheSpan() throws Exception {
        assertEquals(30_000, span("rate(x[1m] offset -30s)"));
        assertEquals(0, span("rate(x[1m] offset -5m)"), "only future samples: nothing back from now");
    }

    @Test
    void aFixedAtTimeCanBeAnyDistanceBack() throws Exception {
        assertEquals(Long.MAX_VALUE, span("x @ 100"));
        assertEquals(Long.MAX_VALUE, span("rate(x[1m] @ 100) + y"));
        assertEquals(Long.MAX_VALUE, span("max_over_time(x[5m:] @ 100)"));
        assertEquals(60_000, span("rate(x[1m] @ end())"), "end() of an instant query is its evaluation time");
        assertEquals(LOOKBACK, span("x @ start()"));
    }

    @Test
    void hugeSpansSaturate() throws Exception {
        // The parser keeps durations within Go's int64 nanoseconds, so build what it cannot produce.
        VectorSelector x = (VectorSelector) Parser.parse("x");
        Expr farBack = new MatrixSelector(0, x.withOffset(Long.MAX_VALUE - 10), 100);
        assertEquals(Long.MAX_VALUE, QuerySpan.of(farBack, LOOKBACK));
        assertEquals(Long.MAX_VALUE, QuerySpan.of(new SubqueryExpr(0, farBack.children().get(0), Long.MAX_VALUE, 0, 0, null),
                LOOKBACK));
        Expr farAhead = new MatrixSelector(0, x.withOffset(Long.MIN_VALUE + 1), 100);
        assertEquals(0, QuerySpan.of(farAhead, LOOKBACK));
    }

    @Test
    void kedifyOperationsReadTheirWindow() throws Exception {
        for (OperationOverTime op : OperationOverTime.values()) {
            KedifyQuery q = KedifyQuery.compile("sum(vllm:num_requests_running{namespace=a})", op, 120_000);
            assertEquals(120_000, QuerySpan.of(q.expr(), LOOKBACK), op + " compiles to a function over the window");
        }
    }

    @Test
    void aNegativeLookbackIsRefused() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QuerySpan.of(Parser.parse("x"), -1));
        assertEquals("lookbackDeltaMs must not be negative, got -1", e.getMessage());
    }
}
