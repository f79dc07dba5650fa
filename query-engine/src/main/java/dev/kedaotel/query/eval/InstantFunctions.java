package dev.kedaotel.query.eval;

import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.VectorSelector;
import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;

import java.util.Map;

/**
 * Instant-vector function pieces shared by rows of {@link FunctionTable}: sorting and absent()'s labels.
 */
final class InstantFunctions {
    private InstantFunctions() {
    }

    static Vec sort(Vec in, boolean descending) {
        Integer[] idx = new Integer[in.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (x, y) -> {
            double vx = in.value(x);
            double vy = in.value(y);
            // Prometheus 2.42 puts NaN at the bottom for both sort and sort_desc.
            if (Double.isNaN(vx) || Double.isNaN(vy)) {
                return Boolean.compare(Double.isNaN(vx), Double.isNaN(vy));
            }
            return descending ? Double.compare(vy, vx) : Double.compare(vx, vy);
        });
        Vec out = new Vec(in.size());
        for (int i : idx) {
            out.add(in.rawLabels(i), in.value(i));
        }
        out.dropName = in.dropName;
        return out;
    }

    /** Labels of absent()'s output: the selector's equality matchers, except names matched more than once. */
    static Labels absentLabels(Expr arg) {
        if (!(arg instanceof VectorSelector vs)) {
            return Labels.EMPTY;
        }
        Map<String, String> m = new java.util.TreeMap<>();
        java.util.Set<String> repeated = new java.util.HashSet<>();
        for (LabelMatcher lm : vs.matchers()) {
            if (lm.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            if (m.containsKey(lm.name()) || repeated.contains(lm.name())) {
                m.remove(lm.name());
                repeated.add(lm.name());
                continue;
            }
            if (lm.type() == LabelMatcher.Type.EQ) {
                m.put(lm.name(), lm.value());
            }
        }
        return Labels.fromMap(m);
    }
}
