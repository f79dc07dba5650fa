package dev.kedaotel.scaler;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.ValueType;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.kedify.KedifyQuery;
import dev.kedaotel.query.kedify.OperationOverTime;
import dev.kedaotel.query.kedify.KedifyQueryException;
import io.grpc.Status;
import io.grpc.StatusException;

/**
 * Turns parsed metadata into a {@link ScalerQuery}. A metricQuery is either kedify syntax or PromQL,
 * never one silently reinterpreted as the other:
 * <ul>
 *   <li>kedify syntax ({@code op(name{k=v,...})}, compiled with operationOverTime over a window of the
 *       store retention) is tried first; its names never contain a PromQL operator or bracket, so
 *       {@code rel_m[1m]} is not the metric {@code rel_m_1m_};</li>
 *   <li>otherwise the text is PromQL (e.g. {@code sum(rate(x[1m]))}), and operationOverTime must be
 *       absent or last_one since PromQL states its own time aggregation. It must yield one number: a
 *       range vector ({@code rel_m[1m]}) or a string is INVALID_ARGUMENT naming metricQuery.</li>
 * </ul>
 * Anything thrown while compiling (a parser bug, or a stack overflow on an absurdly nested expression)
 * becomes a status too, see {@link Failures#unexpected}.
 */
public final class ScalerQueryCompiler {
    private final QueryEngine engine;
    private final long windowMs;

    /** @param windowMs the kedify time window (kedify aggregates over the store retention) */
    public ScalerQueryCompiler(QueryEngine engine, long windowMs) {
        this.engine = engine;
        this.windowMs = windowMs;
    }

    /**
     * @throws StatusException {@code INVALID_ARGUMENT} naming metricQuery and why it is neither syntax
     *     or does not yield one number; {@code INTERNAL} if compiling failed unexpectedly
     */
    public ScalerQuery compile(ScalerMetadata metadata) throws StatusException {
        try {
            KedifyQuery kedify;
            try {
                kedify = KedifyQuery.compile(metadata.metricQuery(), metadata.operationOverTime(), windowMs);
            } catch (KedifyQueryException kedifyError) {
                return compileAsPromQL(metadata, kedifyError);
            }
            return new ScalerQuery(metadata, kedify.promql(), kedify.expr(), true);
        } catch (RuntimeException | StackOverflowError e) {
            throw Failures.unexpected("compiling", metadata.metricQuery(), e).asException();
        }
    }

    private ScalerQuery compileAsPromQL(ScalerMetadata metadata, KedifyQueryException kedifyError)
            throws StatusException {
        String query = metadata.metricQuery();
        Expr expr;
        try {
            expr = engine.parse(query);
        } catch (PromQLException promqlError) {
            throw Failures.invalidQuery(query, kedifyError.getMessage() + " (and as PromQL: " + promqlError.getMessage() + ")")
                    .asException();
        }
        if (expr.type() == ValueType.MATRIX || expr.type() == ValueType.STRING) {
            throw Failures.invalidQuery(query, "it is PromQL yielding a " + expr.type().documentedName() + "; a scaling"
                    + " query must yield one number (a scalar or an instant vector), e.g. sum(rate(x[1m])) rather than x[1m]")
                    .asException();
        }
        if (metadata.operationGiven() && !metadata.operationFellBack()
                && metadata.operationOverTime() != OperationOverTime.LAST_ONE) {
            throw Status.INVALID_ARGUMENT.withDescription("metadata key '" + ScalerMetadata.OPERATION_OVER_TIME
                    + "' is \"" + metadata.operationOverTime().wireName() + "\" but metricQuery \"" + Failures.query(query)
                    + "\" is PromQL, which states its own time aggregation; drop operationOverTime or use"
                    + " kedify syntax").asException();
        }
        // Keyed by the canonical form so spellings of one query share a standing query.
        return new ScalerQuery(metadata, expr.toString(), expr, false);
    }
}
