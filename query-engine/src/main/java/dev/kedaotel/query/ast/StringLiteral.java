package dev.kedaotel.query.ast;

import dev.kedaotel.model.GoStrings;

import dev.kedaotel.query.ValueType;

import java.util.List;

/** A string constant (only valid as a function or aggregation parameter, or as the whole query). */
public record StringLiteral(int position, String value) implements Expr {
    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    @Override
    public List<Expr> children() {
        return List.of();
    }

    @Override
    public String toString() {
        return GoStrings.quote(value);
    }
}
