package dev.kedaotel.query.kedify;

import dev.kedaotel.query.ast.AggregateExpr;
import dev.kedaotel.query.ast.AggregateOp;
import dev.kedaotel.query.ast.Call;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.MatrixSelector;
import dev.kedaotel.query.ast.VectorSelector;
import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;

import java.util.ArrayList;
import java.util.List;

/**
 * A kedify/otel-add-on {@code metricQuery} plus {@code operationOverTime}, compiled to a PromQL AST that
 * the {@link dev.kedaotel.query.QueryEngine} evaluates: {@code vectorOp(timeFn(name{matchers}[W]))} where
 * W is the store's retention window.
 *
 * <p>Grammar (see {@link KedifyQueryParser}): {@code [op(]name[{group}...][)]}, op one of sum avg min
 * max count (default sum); adjacent label groups are merged. KServe wraps the user's query as
 * {@code sum(<query>{namespace="n", deployment="d"})}, so {@code sum(op(x))} and its malformed variant
 * {@code sum(op(x){namespace="n"})} are accepted and the inner (user's) op is used; any other nesting,
 * e.g. {@code avg(sum(x))}, is rejected.
 *
 * <p>Time operations: last_one → {@code last_over_time}; avg/min/max/count → {@code *_over_time}; rate →
 * the internal {@code kedify_rate} (sum of increases between consecutive samples, a drop counting as a
 * reset that adds the new value, divided by the seconds between the first and last sample; 0 with fewer
 * than two samples). What an unknown operation name means is the caller's policy (see {@link OperationOverTime}).
 *
 * <p>Result semantics (deliberately different from kedify where kedify was buggy): a series counts only
 * if it has a sample inside the window; no such matching series ⇒ an empty vector, i.e. "not found";
 * a label missing on a series reads as "" (Prometheus), so {@code {namespace="a"}} never matches a
 * series without {@code namespace}. Metric names and label keys are sanitised with
 * {@link dev.kedaotel.model.PrometheusNames} exactly as ingest does, so dotted OTel names match.
 */
public final class KedifyQuery {
    private final Expr expr;
    private final String metricName;
    private final String vectorOp;
    private final OperationOverTime operation;

    private KedifyQuery(Expr expr, String metricName, String vectorOp, OperationOverTime operation) {
        this.expr = expr;
        this.metricName = metricName;
        this.vectorOp = vectorOp;
        this.operation = operation;
    }

    /**
     * Compiles a query. {@code operation} null means {@link OperationOverTime#LAST_ONE}; {@code windowMs}
     * is the look-back window of the time operation and must be positive.
     */
    public static KedifyQuery compile(String metricQuery, OperationOverTime operation, long windowMs) throws KedifyQueryException {
        if (windowMs <= 0) {
            throw new KedifyQueryException("the time window must be positive, got " + windowMs + " ms");
        }
        KedifyQueryParser.Parsed p = KedifyQueryParser.parse(metricQuery);
        OperationOverTime op = operation == null ? OperationOverTime.LAST_ONE : operation;
        List<LabelMatcher> matchers = new ArrayList<>(p.matchers.size() + 1);
        matchers.add(LabelMatcher.eq(Labels.METRIC_NAME, p.metricName));
        matchers.addAll(p.matchers);
        VectorSelector vs = new VectorSelector(0, p.metricName, matchers, 0, null);
        Call timeCall = new Call(0, op.function(), List.of(new MatrixSelector(0, vs, windowMs)));
        Expr e = new AggregateExpr(0, AggregateOp.byKeyword(p.vectorOp), timeCall, null, List.of(), false);
        return new KedifyQuery(e, p.metricName, p.vectorOp, op);
    }

    /** The compiled expression (contains the internal kedify_rate for rate, so it is not re-parseable then). */
    public Expr expr() {
        return expr;
    }

    /** The expression as PromQL text, for logs and debug output. */
    public String promql() {
        return expr.toString();
    }

    /** The sanitised metric name. */
    public String metricName() {
        return metricName;
    }

    /** sum, avg, min, max or count. */
    public String vectorOp() {
        return vectorOp;
    }

    /** The time operation compiled in. */
    public OperationOverTime operation() {
        return operation;
    }

    @Override
    public String toString() {
        return promql();
    }
}
