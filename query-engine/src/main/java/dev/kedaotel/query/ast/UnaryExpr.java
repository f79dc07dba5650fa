package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

import java.util.List;

/** Unary {@code -expr} or {@code +expr} on a scalar or instant vector. */
public final class UnaryExpr extends Expr {
    private final boolean negate;
    private final Expr expr;

    public UnaryExpr(int position, boolean negate, Expr expr) {
        super(position);
        this.negate = negate;
        this.expr = expr;
    }

    public boolean negate() {
        return negate;
    }

    public Expr expr() {
        return expr;
    }

    @Override
    public ValueType type() {
        return expr.type();
    }

    @Override
    public List<Expr> children() {
        return List.of(expr);
    }

    @Override
    public String toString() {
        return (negate ? "-" : "+") + expr;
    }
}
