/** Compiler from kedify/otel-add-on's {@code metricQuery} + {@code operationOverTime} to a PromQL AST. */
package dev.kedaotel.query.kedify;
