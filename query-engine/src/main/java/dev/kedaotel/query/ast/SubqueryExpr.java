package dev.kedaotel.query.ast;

import dev.kedaotel.model.Durations;

import dev.kedaotel.query.ValueType;

import java.util.List;

/** A subquery {@code expr[range:step]}; a step of 0 means the engine's default evaluation interval. */
public final class SubqueryExpr implements Expr {
    private final int position;
    private final Expr expr;
    private final long rangeMs;
    private final long stepMs;
    private final long offsetMs;
    private final AtModifier at;

    public SubqueryExpr(int position, Expr expr, long rangeMs, long stepMs, long offsetMs, AtModifier at) {
        this.position = position;
        this.expr = expr;
        this.rangeMs = rangeMs;
        this.stepMs = stepMs;
        this.offsetMs = offsetMs;
        this.at = at;
    }

    public Expr expr() {
        return expr;
    }

    public long rangeMs() {
        return rangeMs;
    }

    public long stepMs() {
        return stepMs;
    }

    public long offsetMs() {
        return offsetMs;
    }

    public AtModifier at() {
        return at;
    }

    public SubqueryExpr withOffset(long ms) {
        return new SubqueryExpr(position(), expr, rangeMs, stepMs, ms, at);
    }

    public SubqueryExpr withAt(AtModifier a) {
        return new SubqueryExpr(position(), expr, rangeMs, stepMs, offsetMs, a);
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    @Override
    public List<Expr> children() {
        return List.of(expr);
    }

    @Override
    public String toString() {
        return expr + "[" + Durations.format(rangeMs) + ":" + (stepMs == 0 ? "" : Durations.format(stepMs)) + "]"
                + Formatting.modifiers(at, offsetMs);
    }
}
