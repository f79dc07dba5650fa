/**
 * PromQL over the in-memory {@link dev.kedaotel.tsdb.TimeSeriesStore}: {@link dev.kedaotel.query.QueryEngine}
 * parses ({@code dev.kedaotel.query.parser}) into an immutable AST ({@code dev.kedaotel.query.ast}) and
 * evaluates it ({@code dev.kedaotel.query.eval}) with Prometheus 2.42 semantics;
 * {@code dev.kedaotel.query.kedify} compiles kedify/otel-add-on's {@code metricQuery} language onto the same AST.
 */
package dev.kedaotel.query;
