/**
 * PromQL over the in-memory {@link dev.kedaotel.tsdb.TimeSeriesStore}: {@link dev.kedaotel.query.QueryEngine}
 * parses ({@code dev.kedaotel.query.parser}) into an immutable AST ({@code dev.kedaotel.query.ast}) and
 * evaluates it ({@code dev.kedaotel.query.eval}) with Prometheus 2.42 semantics;
 * {@code dev.kedaotel.query.kedify} compiles kedify/otel-add-on's {@code metricQuery} language (and owns
 * {@code operationOverTime}) onto the same AST.
 *
 * <p>Public API (the packages the module exports): {@code query} (the engine, its config, options,
 * results and errors), {@code query.ast}, {@code query.kedify}, {@code query.standing}. The parser and
 * the evaluator are internal. Threads: queries run on the caller's thread, with deadlines measured on
 * the engine's {@code TimeSource}; standing queries own one evaluator thread made by the factory the
 * composition root passes in.
 */
package dev.kedaotel.query;
