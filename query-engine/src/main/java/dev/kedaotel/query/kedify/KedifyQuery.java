package dev.kedaotel.query.kedify;

import dev.kedaotel.query.ast.AggregateExpr;
import dev.kedaotel.query.ast.AggregateOp;
import dev.kedaotel.query.ast.Call;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.MatrixSelector;
import dev.kedaotel.query.ast.VectorSelector;
import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;
import dev.kedaotel.model.OtlpNames;
import dev.kedaotel.model.OtlpTranslationStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
 * series without {@code namespace}. Metric names and label keys are named exactly as ingest names them
 * under the server's {@code OTLP_TRANSLATION_STRATEGY}, so dotted OTel names match.
 *
 * <p><b>Names under a translation strategy.</b> kedify users write the OTLP name ({@code
 * http.server.requests}, or its escaped form {@code http_server_requests}), but a strategy with suffixes
 * stores the OTLP counter {@code http.server.requests} as {@code http_server_requests_total}, a gauge in
 * {@code By} as {@code …_bytes}, and so on. The selector therefore matches {@code __name__} against the
 * set of every name the receiver could have stored that OTLP name under ({@link OtlpNames#candidates}:
 * the name itself plus each unit suffix Prometheus maps, per-units included, each with and without
 * {@code _total}, and {@code _ratio}) — a regex of literal alternatives, answered by a set lookup. The set
 * depends only on the name as written and the strategy, not on what has arrived, so a standing query
 * created before the metric first arrives finds it when it does, and it never names another OTLP metric's
 * series unless that metric's own name is this one plus a unit word (e.g. {@code x.bytes} against OTel's
 * naming rules) — then both collide in Prometheus too. Looking the stored names up in the metadata
 * registry instead would be exact only for metrics already seen, and a query compiled earlier would keep
 * a stale answer. A unit Prometheus does not map (kept as its own text, e.g. {@code custom_unit}) is not a
 * candidate: query that series by its stored name in PromQL. Without suffixes the set is the one
 * translated name (an equality, as before); under the UTF-8 strategies write the name as sent.
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
        return compile(metricQuery, operation, windowMs, OtlpTranslationStrategy.KEDIFY_COMPATIBLE);
    }

    /** Compiles a query for series stored under {@code strategy} (see the class doc). */
    public static KedifyQuery compile(String metricQuery, OperationOverTime operation, long windowMs,
                                      OtlpTranslationStrategy strategy) throws KedifyQueryException {
        if (windowMs <= 0) {
            throw new KedifyQueryException("the time window must be positive, got " + windowMs + " ms");
        }
        KedifyQueryParser.Parsed p = KedifyQueryParser.parse(metricQuery, strategy);
        OperationOverTime op = operation == null ? OperationOverTime.LAST_ONE : operation;
        Set<String> names = OtlpNames.candidates(strategy, p.writtenName);
        if (names.isEmpty()) {
            throw new KedifyQueryException("metric name \"" + p.writtenName + "\" has no character a Prometheus name keeps"
                    + " under OTLP_TRANSLATION_STRATEGY=" + strategy.wireName());
        }
        String metricName = names.iterator().next();
        List<LabelMatcher> matchers = new ArrayList<>(p.matchers.size() + 1);
        matchers.add(names.size() == 1 ? LabelMatcher.eq(Labels.METRIC_NAME, metricName)
                : LabelMatcher.of(LabelMatcher.Type.RE, Labels.METRIC_NAME, alternatives(names)));
        matchers.addAll(p.matchers);
        VectorSelector vs = new VectorSelector(0, names.size() == 1 ? metricName : null, matchers, 0, null);
        Call timeCall = new Call(0, op.function(), List.of(new MatrixSelector(0, vs, windowMs)));
        Expr e = new AggregateExpr(0, AggregateOp.byKeyword(p.vectorOp), timeCall, null, List.of(), false);
        return new KedifyQuery(e, metricName, p.vectorOp, op);
    }

    /** {@code a|b|c} with regex syntax escaped, so {@link LabelMatcher} answers it with a set lookup. */
    private static String alternatives(Set<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            for (int i = 0; i < n.length(); i++) {
                char c = n.charAt(i);
                if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                    sb.append('\\');
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The compiled expression (contains the internal kedify_rate for rate, so it is not re-parseable then). */
    public Expr expr() {
        return expr;
    }

    /** The expression as PromQL text, for logs and debug output. */
    public String promql() {
        return expr.toString();
    }

    /** The metric name as stored without suffixes (the first candidate). */
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
