/**
 * Immutable PromQL syntax tree; {@code toString()} prints canonical PromQL. Static queries over trees:
 * {@code Exprs} (referenced metric names), {@code QuerySpan} (how far back a query reads),
 * {@code SelectorScope} (tenancy rewrite).
 */
package dev.kedaotel.query.ast;
