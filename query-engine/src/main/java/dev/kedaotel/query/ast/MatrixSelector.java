package dev.kedaotel.query.ast;

import dev.kedaotel.model.Durations;

import dev.kedaotel.query.ValueType;

import java.util.List;

/** A range vector selector {@code foo[5m]}; offset and {@code @} live on the inner selector. */
public record MatrixSelector(int position, VectorSelector selector, long rangeMs) implements Expr {
    public MatrixSelector withSelector(VectorSelector s) {
        return new MatrixSelector(position, s, rangeMs);
    }

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    @Override
    public List<Expr> children() {
        return List.of(selector);
    }

    @Override
    public String toString() {
        return selector.selectorText() + "[" + Durations.format(rangeMs) + "]"
                + Formatting.modifiers(selector.at(), selector.offsetMs());
    }
}
