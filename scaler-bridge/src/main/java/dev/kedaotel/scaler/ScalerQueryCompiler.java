package dev.kedaotel.scaler;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.kedify.KedifyQuery;
import dev.kedaotel.query.kedify.OperationOverTime;
import dev.kedaotel.query.kedify.KedifyQueryException;
import io.grpc.Status;
import io.grpc.StatusException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Turns parsed metadata into a {@link ScalerQuery}. metricQuery is read as kedify syntax first
 * ({@code op(name{k=v,...})} with operationOverTime over a window of the store retention); if that
 * fails but it parses as PromQL (e.g. {@code sum(rate(x[1m]))}) it is evaluated as PromQL, in which
 * case operationOverTime must be absent or last_one since PromQL states its own time aggregation.
 */
public final class ScalerQueryCompiler {
    private static final Logger LOG = System.getLogger(ScalerQueryCompiler.class.getName());

    private final QueryEngine engine;
    private final long windowMs;

    /** @param windowMs the kedify time window (kedify aggregates over the store retention) */
    public ScalerQueryCompiler(QueryEngine engine, long windowMs) {
        this.engine = engine;
        this.windowMs = windowMs;
    }

    /** @throws StatusException {@code INVALID_ARGUMENT} naming metricQuery and why it is neither syntax */
    public ScalerQuery compile(ScalerMetadata metadata) throws StatusException {
        String query = metadata.metricQuery();
        KedifyQuery kedify;
        try {
            kedify = KedifyQuery.compile(query, metadata.operationOverTime(), windowMs);
        } catch (KedifyQueryException kedifyError) {
            return compileAsPromQL(metadata, kedifyError);
        }
        return new ScalerQuery(metadata, kedify.promql(), kedify.expr(), true);
    }

    private ScalerQuery compileAsPromQL(ScalerMetadata metadata, KedifyQueryException kedifyError)
            throws StatusException {
        String query = metadata.metricQuery();
        Expr expr;
        try {
            expr = engine.parse(query);
        } catch (PromQLException promqlError) {
            throw Status.INVALID_ARGUMENT.withDescription("metadata key '" + ScalerMetadata.METRIC_QUERY
                    + "' has invalid value \"" + query + "\": " + kedifyError.getMessage()
                    + " (and as PromQL: " + promqlError.getMessage() + ")").asException();
        }
        if (metadata.operationGiven() && !metadata.operationFellBack()
                && metadata.operationOverTime() != OperationOverTime.LAST_ONE) {
            throw Status.INVALID_ARGUMENT.withDescription("metadata key '" + ScalerMetadata.OPERATION_OVER_TIME
                    + "' is \"" + metadata.operationOverTime().wireName() + "\" but metricQuery \"" + query
                    + "\" is PromQL, which states its own time aggregation; drop operationOverTime or use"
                    + " kedify syntax").asException();
        }
        // Keyed by the canonical form so spellings of one query share a standing query.
        return new ScalerQuery(metadata, expr.toString(), expr, false);
    }
}
