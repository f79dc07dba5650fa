package dev.kedaotel.query.eval;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.ast.Call;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.Exprs;
import dev.kedaotel.query.ast.VectorSelector;
import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Functions whose arguments are instant vectors, scalars or strings (range-vector functions are evaluated
 * series by series in {@link Evaluation}). Arguments are evaluated through the calling {@link Evaluation}.
 */
final class InstantFunctions {
    private InstantFunctions() {
    }

    static Vec call(Evaluation ev, Call c, long t) throws PromQLException {
        String name = c.function().name();
        List<Expr> args = c.args();
        switch (name) {
            case "abs": case "ceil": case "floor": case "exp": case "sqrt": case "ln": case "log2": case "log10":
            case "sgn": case "acos": case "acosh": case "asin": case "asinh": case "atan": case "atanh":
            case "cos": case "cosh": case "sin": case "sinh": case "tan": case "tanh": case "deg": case "rad":
                return map(ev.evalVector(args.get(0), t), name, Double.NaN, Double.NaN);
            case "round":
                return map(ev.evalVector(args.get(0), t), name, args.size() > 1 ? ev.evalScalar(args.get(1), t) : 1, Double.NaN);
            case "clamp": {
                double min = ev.evalScalar(args.get(1), t);
                double max = ev.evalScalar(args.get(2), t);
                Vec in = ev.evalVector(args.get(0), t);
                return max < min ? Vec.empty() : map(in, name, min, max);
            }
            case "clamp_min":
            case "clamp_max":
                return map(ev.evalVector(args.get(0), t), name, ev.evalScalar(args.get(1), t), Double.NaN);
            case "vector": {
                Vec out = Vec.empty();
                out.add(Labels.EMPTY, ev.evalScalar(args.get(0), t));
                return out;
            }
            case "timestamp": {
                Vec in = ev.evalVector(args.get(0), t);
                Vec out = new Vec(in.size());
                for (int i = 0; i < in.size(); i++) {
                    long ts = in.hasTimestamps() ? in.timestamp(i) : t;
                    out.add(in.rawLabels(i), ts / 1000.0);
                }
                out.dropName = true;
                return out;
            }
            case "absent": {
                Vec in = ev.evalVector(args.get(0), t);
                Vec out = Vec.empty();
                if (in.size() == 0) {
                    Expr a = Exprs.unwrapParens(args.get(0));
                    out.add(absentLabels(a instanceof VectorSelector ? (VectorSelector) a : null), 1);
                }
                return out;
            }
            case "sort":
            case "sort_desc":
                return sort(ev.evalVector(args.get(0), t), name.equals("sort_desc"));
            case "label_replace":
                return LabelFunctions.labelReplace(ev.evalVector(args.get(0), t), Evaluation.stringValue(args.get(1)),
                        Evaluation.stringValue(args.get(2)), Evaluation.stringValue(args.get(3)), Evaluation.stringValue(args.get(4)));
            case "label_join": {
                List<String> srcs = new ArrayList<>();
                for (int i = 3; i < args.size(); i++) {
                    srcs.add(Evaluation.stringValue(args.get(i)));
                }
                return LabelFunctions.labelJoin(ev.evalVector(args.get(0), t), Evaluation.stringValue(args.get(1)),
                        Evaluation.stringValue(args.get(2)), srcs);
            }
            case "histogram_quantile":
                return HistogramQuantile.apply(ev.evalScalar(args.get(0), t), ev.evalVector(args.get(1), t));
            case "days_in_month": case "day_of_month": case "day_of_week": case "day_of_year":
            case "hour": case "minute": case "month": case "year": {
                Vec in;
                if (args.isEmpty()) {
                    in = Vec.empty();
                    in.add(Labels.EMPTY, t / 1000.0);
                } else {
                    in = ev.evalVector(args.get(0), t);
                }
                return map(in, name, Double.NaN, Double.NaN);
            }
            case "histogram_count": case "histogram_sum": case "histogram_fraction":
                // Prometheus would answer an empty vector over float series; that reads as "no traffic".
                throw PromQLException.execution("function \"" + name + "\" is not supported: native histograms are not stored "
                        + "(OTLP exponential histograms become _sum and _count series); use histogram_quantile over _bucket series");
            default:
                throw PromQLException.execution("function \"" + name + "\" is not supported");
        }
    }

    /** Applies an element-wise function; results no longer measure the named metric, so the name is dropped. */
    private static Vec map(Vec in, String fn, double a, double b) {
        Vec out = new Vec(in.size());
        for (int i = 0; i < in.size(); i++) {
            out.add(in.rawLabels(i), MathFunctions.apply(fn, in.value(i), a, b));
        }
        out.dropName = true;
        return out;
    }

    private static Vec sort(Vec in, boolean descending) {
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
    static Labels absentLabels(VectorSelector vs) {
        if (vs == null) {
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
