package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

import java.util.List;

/** A parenthesised expression, kept so that printing preserves the user's grouping. */
public record ParenExpr(int position, Expr expr) implements Expr {
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
        return "(" + expr + ")";
    }
}
