package dev.kedaotel.query.standing;

import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.Exprs;
import java.util.Set;

/** Which metric names a compiled query reads, so only changes to those names dirty it. */
final class ReferencedNames {
    private ReferencedNames() {
    }

    /** The names, or null when the query may read any name (then every change dirties it). */
    static Set<String> of(Expr expr) {
        Set<String> names = Exprs.referencedMetricNames(expr);
        return names == null ? null : Set.copyOf(names);
    }
}
