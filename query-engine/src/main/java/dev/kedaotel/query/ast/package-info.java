/** Immutable PromQL syntax tree; {@code toString()} prints canonical PromQL. */
package dev.kedaotel.query.ast;
