package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

import java.util.List;

/**
 * A node of a parsed PromQL expression. Nodes are immutable and may be shared between threads;
 * {@link #toString()} prints canonical PromQL (the form of Prometheus' {@code format_query}), which
 * parses back to an equal tree.
 */
public abstract class Expr {
    private final int position;

    protected Expr(int position) {
        this.position = position;
    }

    /** Offset of the node's first character in the query text (for error positions). */
    public int position() {
        return position;
    }

    public abstract ValueType type();

    /** Direct sub-expressions, in source order. */
    public abstract List<Expr> children();

    @Override
    public abstract String toString();
}
