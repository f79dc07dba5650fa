package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

import java.util.List;

/** {@code lhs op [bool] [on/ignoring(...)] [group_x(...)] rhs}. Matching is null unless both sides are vectors. */
public final class BinaryExpr implements Expr {
    private final int position;
    private final BinaryOp op;
    private final Expr lhs;
    private final Expr rhs;
    private final VectorMatching matching;
    private final boolean returnBool;
    /** Computed once: a chain {@code a + b + …} is as deep as it is long, and asking its type must not recurse. */
    private final ValueType type;

    public BinaryExpr(int position, BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool) {
        this.position = position;
        this.op = op;
        this.lhs = lhs;
        this.rhs = rhs;
        this.matching = matching;
        this.returnBool = returnBool;
        this.type = lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }

    public BinaryOp op() {
        return op;
    }

    public Expr lhs() {
        return lhs;
    }

    public Expr rhs() {
        return rhs;
    }

    public VectorMatching matching() {
        return matching;
    }

    public boolean returnBool() {
        return returnBool;
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public ValueType type() {
        return type;
    }

    @Override
    public List<Expr> children() {
        return List.of(lhs, rhs);
    }

    @Override
    public String toString() {
        return lhs + " " + op.symbol() + (returnBool ? " bool" : "") + (matching == null ? "" : matching.render()) + " " + rhs;
    }
}
