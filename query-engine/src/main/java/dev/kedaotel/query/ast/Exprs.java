package dev.kedaotel.query.ast;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** Static queries over expression trees. */
public final class Exprs {
    private Exprs() {
    }

    /**
     * The metric names that the expression's selectors pin with a {@code __name__="x"} equality (or a
     * {@code __name__=~"x|y"} regex of literals), or null
     * when some selector does not pin a name (then a standing query must re-evaluate on every change).
     * An expression without selectors (e.g. {@code 1+1}) yields an empty set.
     */
    public static Set<String> referencedMetricNames(Expr expr) {
        Set<String> out = new TreeSet<>();
        return collect(expr, out) ? Collections.unmodifiableSet(out) : null;
    }

    private static boolean collect(Expr e, Set<String> out) {
        if (e instanceof VectorSelector vs) {
            // An equality on the name, or a regex of literal alternatives (a kedify query's candidate names).
            java.util.Set<String> pinned = null;
            for (LabelMatcher m : vs.matchers()) {
                if (m.name().equals(Labels.METRIC_NAME) && m.literalValues() != null
                        && (pinned == null || m.type() == LabelMatcher.Type.EQ)) {
                    pinned = m.literalValues();
                }
            }
            if (pinned == null) {
                return false;
            }
            out.addAll(pinned);
            return true;
        }
        for (Expr c : e.children()) {
            if (!collect(c, out)) {
                return false;
            }
        }
        return true;
    }

    /** Strips any number of enclosing parentheses. */
    public static Expr unwrapParens(Expr e) {
        while (e instanceof ParenExpr p) {
            e = p.expr();
        }
        return e;
    }
}
