package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

import java.util.List;

/** A string constant (only valid as a function or aggregation parameter, or as the whole query). */
public final class StringLiteral extends Expr {
    private final String value;

    public StringLiteral(int position, String value) {
        super(position);
        this.value = value;
    }

    public String value() {
        return value;
    }

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
        return Formatting.quote(value);
    }
}
