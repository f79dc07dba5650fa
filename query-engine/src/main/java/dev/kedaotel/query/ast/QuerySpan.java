package dev.kedaotel.query.ast;

/**
 * How far back from its evaluation time an instant query reads samples: the span of the window a
 * store must hold completely for the query's answer to be the answer a store that never restarted
 * would give. The scaler's warm-up gate ({@code scaler.WarmUp}) waits this long (at most the
 * retention window) after a start with an empty window before it reports the query's answer.
 *
 * <p>Per node, as the evaluator reads ({@code eval.Evaluation}):
 * <ul>
 *   <li>an instant selector {@code x offset o} reads {@code [t − o − lookback, t − o]}: span
 *       {@code o + lookback};</li>
 *   <li>a range selector {@code x[r] offset o} reads {@code [t − o − r, t − o]}: span {@code o + r};</li>
 *   <li>a subquery {@code e[r:s] offset o} evaluates {@code e} at steps within {@code [t − o − r, t − o]}:
 *       span {@code o + r + span(e)} (its steps are aligned to multiples of {@code s}, always inside
 *       that interval, so the alignment never reaches further back);</li>
 *   <li>any other node: the largest span of its children; a node that reads no samples at all
 *       ({@code 1}, {@code vector(1)}, {@code time()}) has span 0.</li>
 * </ul>
 * A negative offset looks into the future and shortens the span; a span that ends up negative (the
 * query reads only samples newer than its evaluation time) is 0. An {@code @ <timestamp>} modifier
 * pins a selector or subquery to a fixed time, which may be any distance in the past:
 * its span is {@link Long#MAX_VALUE} ("everything"; callers cap it at the retention window, beyond
 * which nothing is stored anyway). {@code @ start()} and {@code @ end()} are the evaluation time of an
 * instant query, so they shift nothing. Sums saturate at {@link Long#MAX_VALUE}.
 *
 * <p>Stateless and thread-safe.
 */
public final class QuerySpan {
    /** Marks a subtree that reads no samples (distinct from a span of 0, which reads "now"). */
    private static final long NONE = Long.MIN_VALUE;

    private QuerySpan() {
    }

    /**
     * The span of {@code expr} in milliseconds, at least 0.
     *
     * @param lookbackDeltaMs how far back an instant selector looks for its latest sample (the engine's
     *     {@code EngineConfig.lookbackDeltaMs()})
     */
    public static long of(Expr expr, long lookbackDeltaMs) {
        if (lookbackDeltaMs < 0) {
            throw new IllegalArgumentException("lookbackDeltaMs must not be negative, got " + lookbackDeltaMs);
        }
        long span = span(expr, lookbackDeltaMs);
        return span == NONE ? 0 : Math.max(0, span);
    }

    private static long span(Expr e, long lookbackMs) {
        if (e instanceof VectorSelector vs) {
            return shifted(vs.at(), vs.offsetMs(), lookbackMs);
        }
        if (e instanceof MatrixSelector ms) {
            return shifted(ms.selector().at(), ms.selector().offsetMs(), ms.rangeMs());
        }
        if (e instanceof SubqueryExpr sq) {
            long inner = span(sq.expr(), lookbackMs);
            if (inner == NONE) {
                return NONE;
            }
            return shifted(sq.at(), sq.offsetMs(), saturatedAdd(sq.rangeMs(), inner));
        }
        long widest = NONE;
        for (Expr child : e.children()) {
            widest = Math.max(widest, span(child, lookbackMs));
        }
        return widest;
    }

    /** {@code reach} back from the reference time that {@code at} and {@code offsetMs} make of the evaluation time. */
    private static long shifted(AtModifier at, long offsetMs, long reach) {
        if (at != null && at.kind() == AtModifier.Kind.TIMESTAMP) {
            return Long.MAX_VALUE;
        }
        return saturatedAdd(offsetMs, reach);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // Overflow only when both have the same sign and the sum's sign differs.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;
        }
        return sum;
    }
}
