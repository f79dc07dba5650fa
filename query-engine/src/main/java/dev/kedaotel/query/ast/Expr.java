package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

import java.util.List;

/**
 * A node of a parsed PromQL expression. Nodes are immutable and may be shared between threads;
 * {@link #toString()} prints canonical PromQL (the form of Prometheus' {@code format_query}), which
 * parses back to an equal tree.
 *
 * <p>The hierarchy is sealed: these ten kinds are PromQL's grammar, and code that walks a tree can rely
 * on meeting no other. Leaves and thin wrappers are records; the evaluator keys per-query state by node
 * identity, never by equality.
 */
public sealed interface Expr permits AggregateExpr, BinaryExpr, Call, MatrixSelector, NumberLiteral, ParenExpr, StringLiteral,
        SubqueryExpr, UnaryExpr, VectorSelector {

    /** Offset of the node's first character in the query text (for error positions). */
    int position();

    ValueType type();

    /** Direct sub-expressions, in source order. */
    List<Expr> children();

    /** Canonical PromQL. */
    @Override
    String toString();
}
