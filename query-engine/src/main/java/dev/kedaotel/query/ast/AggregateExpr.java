package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

import java.util.ArrayList;
import java.util.List;

/** {@code op [by|without (labels)] ([param,] expr)}. */
public final class AggregateExpr implements Expr {
    private final int position;
    private final AggregateOp op;
    private final Expr expr;
    private final Expr param;
    private final List<String> grouping;
    private final boolean without;

    public AggregateExpr(int position, AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without) {
        this.position = position;
        this.op = op;
        this.expr = expr;
        this.param = param;
        this.grouping = List.copyOf(grouping);
        this.without = without;
    }

    public AggregateOp op() {
        return op;
    }

    public Expr expr() {
        return expr;
    }

    /** The parameter of topk/bottomk/quantile/count_values, else null. */
    public Expr param() {
        return param;
    }

    public List<String> grouping() {
        return grouping;
    }

    public boolean without() {
        return without;
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    @Override
    public List<Expr> children() {
        List<Expr> c = new ArrayList<>(2);
        if (param != null) {
            c.add(param);
        }
        c.add(expr);
        return c;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(op.keyword());
        if (without) {
            sb.append(" without (").append(String.join(", ", grouping)).append(") ");
        } else if (!grouping.isEmpty()) {
            sb.append(" by (").append(String.join(", ", grouping)).append(") ");
        }
        sb.append('(');
        if (param != null) {
            sb.append(param).append(", ");
        }
        return sb.append(expr).append(')').toString();
    }
}
