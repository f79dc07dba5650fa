package dev.kedaotel.scaler;

import dev.kedaotel.query.ast.Expr;

/**
 * A ScaledObject's metadata with its metricQuery compiled: what the scaler evaluates (as a standing
 * query keyed by {@link #promql()}) and how it turns the answer into a value. Immutable, shared by all
 * ScaledObjects with identical metadata.
 *
 * @param metadata the parsed metadata
 * @param promql the PromQL text evaluated (kedify queries compiled to PromQL, PromQL as given)
 * @param expr the compiled expression
 * @param kedifySyntax whether metricQuery was kedify syntax (false: it was PromQL)
 * @param spanMs how far back the query reads ({@link dev.kedaotel.query.ast.QuerySpan}), at most the
 *     retention window: how long it waits in the {@linkplain WarmUp warm-up}
 */
public record ScalerQuery(ScalerMetadata metadata, String promql, Expr expr, boolean kedifySyntax, long spanMs) {
}
