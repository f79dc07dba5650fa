package dev.kedaotel.query.eval;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.ast.BinaryOp;
import dev.kedaotel.query.ast.VectorMatching;
import dev.kedaotel.model.Labels;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Binary operators between scalars and vectors, with Prometheus' vector matching rules. */
final class BinaryOps {
    private BinaryOps() {
    }

    /** Arithmetic result, or for comparisons the left value; {@code keep[0]} says whether a comparison held. */
    static double apply(BinaryOp op, double l, double r, boolean[] keep) {
        keep[0] = true;
        switch (op) {
            case ADD: return l + r;
            case SUB: return l - r;
            case MUL: return l * r;
            case DIV: return l / r;
            case MOD: return l % r;
            case POW: return goPow(l, r);
            case ATAN2: return Math.atan2(l, r);
            case EQLC: keep[0] = l == r; return l;
            case NEQ: keep[0] = l != r; return l;
            case GTR: keep[0] = l > r; return l;
            case LSS: keep[0] = l < r; return l;
            case GTE: keep[0] = l >= r; return l;
            case LTE: keep[0] = l <= r; return l;
            default: throw new IllegalArgumentException("not an arithmetic or comparison operator: " + op);
        }
    }

    /** Go's math.Pow differs from Java's where 1 or -1 meet NaN/Inf exponents. */
    static double goPow(double x, double y) {
        if (x == 1 || y == 0) {
            return 1;
        }
        if (x == -1 && Double.isInfinite(y)) {
            return 1;
        }
        return Math.pow(x, y);
    }

    static double scalarScalar(BinaryOp op, double l, double r, boolean returnBool) {
        boolean[] keep = new boolean[1];
        double v = apply(op, l, r, keep);
        if (op.isComparison()) {
            return keep[0] ? 1 : 0;
        }
        return v;
    }

    /** {@code vec op scalar}, or {@code scalar op vec} when {@code scalarLeft}. */
    static Vec vectorScalar(BinaryOp op, Vec vec, double s, boolean scalarLeft, boolean returnBool) {
        Vec out = new Vec(vec.size());
        boolean drop = op.dropsMetricName() || returnBool;
        boolean[] keep = new boolean[1];
        for (int i = 0; i < vec.size(); i++) {
            double v = vec.value(i);
            double r = scalarLeft ? apply(op, s, v, keep) : apply(op, v, s, keep);
            if (op.isComparison() && scalarLeft) {
                r = v; // the vector's value is kept even when it is on the right-hand side
            }
            if (returnBool) {
                r = keep[0] ? 1 : 0;
            } else if (!keep[0]) {
                continue;
            }
            out.add(vec.rawLabels(i), r);
        }
        out.dropName = vec.dropName || drop;
        return out;
    }

    static Vec vectorVector(BinaryOp op, Vec lhs, Vec rhs, VectorMatching m, boolean returnBool) throws PromQLException {
        switch (op) {
            case AND: return and(lhs, rhs, m, true);
            case UNLESS: return and(lhs, rhs, m, false);
            case OR: return or(lhs, rhs, m);
            default: return arithmetic(op, lhs, rhs, m, returnBool);
        }
    }

    private static Vec and(Vec lhs, Vec rhs, VectorMatching m, boolean keepMatching) {
        Set<Labels> right = new HashSet<>();
        for (int i = 0; i < rhs.size(); i++) {
            right.add(signature(rhs.labels(i), m));
        }
        Vec out = new Vec(lhs.size());
        for (int i = 0; i < lhs.size(); i++) {
            Labels l = lhs.labels(i);
            if (right.contains(signature(l, m)) == keepMatching) {
                out.add(l, lhs.value(i));
            }
        }
        return out;
    }

    private static Vec or(Vec lhs, Vec rhs, VectorMatching m) {
        Set<Labels> left = new HashSet<>();
        Vec out = new Vec(lhs.size() + rhs.size());
        for (int i = 0; i < lhs.size(); i++) {
            Labels l = lhs.labels(i);
            left.add(signature(l, m));
            out.add(l, lhs.value(i));
        }
        for (int i = 0; i < rhs.size(); i++) {
            Labels l = rhs.labels(i);
            if (!left.contains(signature(l, m))) {
                out.add(l, rhs.value(i));
            }
        }
        return out;
    }

    private static Vec arithmetic(BinaryOp op, Vec lhs, Vec rhs, VectorMatching m, boolean returnBool) throws PromQLException {
        boolean swapped = m.cardinality() == VectorMatching.Cardinality.ONE_TO_MANY;
        Vec many = swapped ? rhs : lhs;
        Vec one = swapped ? lhs : rhs;
        Map<Labels, Integer> oneSide = new HashMap<>();
        for (int i = 0; i < one.size(); i++) {
            Labels sig = signature(one.labels(i), m);
            if (oneSide.putIfAbsent(sig, i) != null) {
                throw duplicateSeries(one, m, swapped);
            }
        }
        Map<Labels, Set<Labels>> matched = new HashMap<>();
        Vec out = new Vec(many.size());
        boolean[] keep = new boolean[1];
        for (int i = 0; i < many.size(); i++) {
            Labels ml = many.labels(i);
            Labels sig = signature(ml, m);
            Integer j = oneSide.get(sig);
            if (j == null) {
                continue;
            }
            double vl = many.value(i);
            double vr = one.value(j);
            if (swapped) {
                double t = vl;
                vl = vr;
                vr = t;
            }
            double value = apply(op, vl, vr, keep);
            if (returnBool) {
                value = keep[0] ? 1 : 0;
            } else if (!keep[0]) {
                continue;
            }
            Labels metric = resultMetric(ml, one.labels(j), op, m, returnBool);
            Set<Labels> inserted = matched.get(sig);
            if (m.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
                if (inserted != null) {
                    throw PromQLException.execution(
                            "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                }
                matched.put(sig, Set.of());
            } else {
                if (inserted == null) {
                    inserted = new HashSet<>();
                    matched.put(sig, inserted);
                }
                if (!inserted.add(metric)) {
                    throw PromQLException.execution("multiple matches for labels: grouping labels must ensure unique matches");
                }
            }
            out.add(metric, value);
        }
        return out;
    }

    /**
     * Prometheus' many-to-many error names the first clash met in its input order, which for selectors is
     * label order: the later series first, then the earlier, in labels.String() form. Only this error
     * path pays for sorting.
     */
    private static PromQLException duplicateSeries(Vec one, VectorMatching m, boolean swapped) {
        Integer[] order = new Integer[one.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> one.rawLabels(x).compareTo(one.rawLabels(y)));
        Map<Labels, Integer> seen = new HashMap<>();
        for (int i : order) {
            Labels sig = signature(one.labels(i), m);
            Integer prev = seen.putIfAbsent(sig, i);
            if (prev != null) {
                return PromQLException.execution("found duplicate series for the match group " + sig.prometheusString()
                        + " on the " + (swapped ? "left" : "right") + " hand-side of the operation: ["
                        + one.labels(i).prometheusString() + ", " + one.labels(prev).prometheusString()
                        + "];many-to-many matching not allowed: matching labels must be unique on one side");
            }
        }
        throw new IllegalStateException("no duplicate found on the second pass");
    }

    /** The labels two elements are matched on: the {@code on} labels, or all but the ignored ones and the name. */
    static Labels signature(Labels l, VectorMatching m) {
        TreeMap<String, String> kept = new TreeMap<>();
        List<String> names = m.matchingLabels();
        for (int k = 0; k < l.size(); k++) {
            String n = l.name(k);
            boolean listed = names.contains(n);
            if (m.on() ? listed : !listed && !n.equals(Labels.METRIC_NAME)) {
                kept.put(n, l.value(k));
            }
        }
        return Labels.fromMap(kept);
    }

    private static Labels resultMetric(Labels many, Labels one, BinaryOp op, VectorMatching m, boolean returnBool) {
        TreeMap<String, String> out = new TreeMap<>(many.toMap());
        if (op.dropsMetricName() || returnBool) {
            out.remove(Labels.METRIC_NAME);
        }
        if (m.cardinality() == VectorMatching.Cardinality.ONE_TO_ONE) {
            if (m.on()) {
                out.keySet().retainAll(m.matchingLabels());
            } else {
                out.keySet().removeAll(m.matchingLabels());
            }
        }
        for (String name : m.include()) {
            String v = one.get(name);
            if (v.isEmpty()) {
                out.remove(name);
            } else {
                out.put(name, v);
            }
        }
        return Labels.fromMap(out);
    }
}
