package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

import java.util.List;

/** A parenthesised expression, kept so that printing preserves the user's grouping. */
public final class ParenExpr extends Expr {
    private final Expr expr;

    public ParenExpr(int position, Expr expr) {
        super(position);
        this.expr = expr;
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
        return "(" + expr + ")";
    }
}
