package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

import java.util.List;

/** A scalar constant such as {@code 1}, {@code 0x1f}, {@code 1e3}, {@code Inf} or {@code NaN}. */
public record NumberLiteral(int position, double value) implements Expr {
    @Override
    public ValueType type() {
        return ValueType.SCALAR;
    }

    @Override
    public List<Expr> children() {
        return List.of();
    }

    @Override
    public String toString() {
        return Formatting.formatNumber(value);
    }
}
