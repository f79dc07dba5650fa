package dev.kedaotel.query.ast;

import java.util.List;

/**
 * Prometheus' {@code format_query} layout: an expression whose one-line form is longer than 100
 * characters is split, its operands indented two spaces per level; shorter ones stay on one line.
 * Binary operators put each operand on its own line with the operator (and bool/matching) between;
 * aggregations and calls put their arguments on indented lines inside the parentheses; subqueries
 * split their inner expression and keep the {@code [range:step]} suffix; selectors and literals never split.
 */
public final class Prettier {
    private static final int MAX_LINE = 100;
    private static final String INDENT = "  ";

    private Prettier() {
    }

    public static String pretty(Expr e) {
        return pretty(e, 0);
    }

    private static boolean needsSplit(Expr e) {
        return e.toString().length() > MAX_LINE;
    }

    private static String indent(int level) {
        return INDENT.repeat(level);
    }

    private static String pretty(Expr e, int level) {
        if (e instanceof BinaryExpr b) {
            if (!needsSplit(b)) {
                return indent(level) + b;
            }
            return pretty(b.lhs(), level + 1) + "\n" + indent(level) + b.op().symbol() + (b.returnBool() ? " bool" : "")
                    + (b.matching() == null ? "" : b.matching().render()) + "\n" + pretty(b.rhs(), level + 1);
        }
        if (e instanceof AggregateExpr a) {
            if (!needsSplit(a)) {
                return indent(level) + a;
            }
            StringBuilder sb = new StringBuilder(indent(level)).append(a.op().keyword());
            if (a.without()) {
                sb.append(" without (").append(String.join(", ", a.grouping())).append(") ");
            } else if (!a.grouping().isEmpty()) {
                sb.append(" by (").append(String.join(", ", a.grouping())).append(") ");
            }
            sb.append("(\n");
            if (a.param() != null) {
                sb.append(pretty(a.param(), level + 1)).append(",\n");
            }
            return sb.append(pretty(a.expr(), level + 1)).append('\n').append(indent(level)).append(')').toString();
        }
        if (e instanceof Call c) {
            if (!needsSplit(c)) {
                return indent(level) + c;
            }
            StringBuilder sb = new StringBuilder(indent(level)).append(c.function().name()).append("(\n");
            List<Expr> args = c.args();
            for (int i = 0; i < args.size(); i++) {
                sb.append(pretty(args.get(i), level + 1)).append(i + 1 < args.size() ? ",\n" : "\n");
            }
            return sb.append(indent(level)).append(')').toString();
        }
        if (e instanceof ParenExpr p) {
            if (!needsSplit(p)) {
                return indent(level) + p;
            }
            return indent(level) + "(\n" + pretty(p.expr(), level + 1) + "\n" + indent(level) + ")";
        }
        if (e instanceof SubqueryExpr s) {
            if (!needsSplit(s)) {
                // As Prometheus: an unsplit subquery is not indented.
                return s.toString();
            }
            String whole = s.toString();
            return pretty(s.expr(), level) + whole.substring(s.expr().toString().length());
        }
        if (e instanceof UnaryExpr u) {
            String child = pretty(u.expr(), level).strip();
            return indent(level) + (u.negate() ? "-" : "+") + child;
        }
        return indent(level) + e;
    }
}
