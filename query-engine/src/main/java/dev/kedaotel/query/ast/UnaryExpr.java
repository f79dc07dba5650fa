package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

import java.util.List;

/** Unary {@code -expr} or {@code +expr} on a scalar or instant vector. */
public record UnaryExpr(int position, boolean negate, Expr expr) implements Expr {
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
