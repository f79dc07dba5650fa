package dev.kedaotel.query.kedify;

import dev.kedaotel.query.ast.AggregateExpr;
import dev.kedaotel.query.ast.AggregateOp;
import dev.kedaotel.query.ast.Call;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.Function;
import dev.kedaotel.query.ast.MatrixSelector;
import dev.kedaotel.query.ast.VectorSelector;
import dev.kedaotel.tsdb.LabelMatcher;
import dev.kedaotel.tsdb.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 * than two samples). An unknown operation falls back to last_one and sets {@link #warning()}.
 *
 * <p>Result semantics (deliberately different from kedify where kedify was buggy): a series counts only
 * if it has a sample inside the window; no such matching series ⇒ an empty vector, i.e. "not found";
 * a label missing on a series reads as "" (Prometheus), so {@code {namespace="a"}} never matches a
 * series without {@code namespace}. Metric names and label keys are sanitised with
 * {@link dev.kedaotel.tsdb.PrometheusNames} exactly as ingest does, so dotted OTel names match.
 */
public final class KedifyQuery {
    /** The accepted operationOverTime values, lower case. */
    public static final List<String> TIME_OPS = List.of("last_one", "rate", "count", "avg", "min", "max");

    private final Expr expr;
    private final String metricName;
    private final String vectorOp;
    private final String timeOp;
    private final String warning;

    private KedifyQuery(Expr expr, String metricName, String vectorOp, String timeOp, String warning) {
        this.expr = expr;
        this.metricName = metricName;
        this.vectorOp = vectorOp;
        this.timeOp = timeOp;
        this.warning = warning;
    }

    /**
     * Compiles a query. {@code operationOverTime} may be null or blank (last_one); {@code windowMs} is the
     * look-back window of the time operation and must be positive.
     */
    public static KedifyQuery compile(String metricQuery, String operationOverTime, long windowMs) throws KedifyQueryException {
        if (windowMs <= 0) {
            throw new KedifyQueryException("the time window must be positive, got " + windowMs + " ms");
        }
        KedifyQueryParser.Parsed p = KedifyQueryParser.parse(metricQuery);
        String requested = operationOverTime == null ? "" : operationOverTime.trim().toLowerCase(Locale.ROOT);
        String timeOp = requested.isEmpty() ? "last_one" : requested;
        String warning = null;
        if (!TIME_OPS.contains(timeOp)) {
            warning = "unknown operationOverTime \"" + operationOverTime + "\", falling back to last_one (supported: "
                    + String.join(", ", TIME_OPS) + ")";
            timeOp = "last_one";
        }
        List<LabelMatcher> matchers = new ArrayList<>(p.matchers.size() + 1);
        matchers.add(LabelMatcher.eq(Labels.METRIC_NAME, p.metricName));
        matchers.addAll(p.matchers);
        VectorSelector vs = new VectorSelector(0, p.metricName, matchers, 0, null);
        Call timeCall = new Call(0, timeFunction(timeOp), List.of(new MatrixSelector(0, vs, windowMs)));
        Expr e = new AggregateExpr(0, AggregateOp.byKeyword(p.vectorOp), timeCall, null, List.of(), false);
        return new KedifyQuery(e, p.metricName, p.vectorOp, timeOp, warning);
    }

    private static Function timeFunction(String timeOp) {
        switch (timeOp) {
            case "rate": return Function.KEDIFY_RATE;
            case "last_one": return Function.lookup("last_over_time");
            default: return Function.lookup(timeOp + "_over_time");
        }
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

    /** The effective operationOverTime (last_one after a fall-back). */
    public String timeOp() {
        return timeOp;
    }

    public boolean operationFellBack() {
        return warning != null;
    }

    /** Why the operation fell back, or null. */
    public String warning() {
        return warning;
    }

    @Override
    public String toString() {
        return promql();
    }
}
