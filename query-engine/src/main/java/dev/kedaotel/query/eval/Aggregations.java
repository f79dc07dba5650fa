package dev.kedaotel.query.eval;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.ast.AggregateExpr;
import dev.kedaotel.query.ast.AggregateOp;
import dev.kedaotel.tsdb.Labels;
import dev.kedaotel.tsdb.PrometheusNames;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregation operators with Prometheus 2.42 arithmetic. The common operators run in one pass over the
 * input with per-group accumulators in primitive arrays (no sorting, no per-element allocation); a query
 * without {@code by}/{@code without} skips grouping entirely. topk/bottomk/quantile/count_values collect
 * per group.
 */
final class Aggregations {
    private Aggregations() {
    }

    static Vec aggregate(AggregateExpr a, Vec in, double param, String stringParam) throws PromQLException {
        AggregateOp op = a.op();
        boolean ungrouped = a.grouping().isEmpty() && !a.without();
        switch (op) {
            case TOPK:
            case BOTTOMK:
                return topk(a, in, param, op == AggregateOp.TOPK);
            case QUANTILE:
                return quantile(a, in, param);
            case COUNT_VALUES:
                return countValues(a, in, stringParam);
            default:
                break;
        }
        if (in.size() == 0) {
            return Vec.empty();
        }
        GroupIndex index = ungrouped ? null : new GroupIndex(in, a.grouping(), a.without());
        int cap = ungrouped ? 1 : 16;
        double[] value = new double[cap];
        double[] mean = new double[cap];
        double[] count = new double[cap];
        int groups = 0;
        for (int i = 0; i < in.size(); i++) {
            int g = ungrouped ? 0 : index.groupOf(i);
            if (g >= value.length) {
                int c = value.length * 2;
                value = Arrays.copyOf(value, c);
                mean = Arrays.copyOf(mean, c);
                count = Arrays.copyOf(count, c);
            }
            double v = in.value(i);
            if (g >= groups) {
                groups = g + 1;
                value[g] = v;
                mean[g] = v;
                count[g] = 1;
                if (op == AggregateOp.STDDEV || op == AggregateOp.STDVAR) {
                    value[g] = 0;
                }
                continue;
            }
            count[g]++;
            switch (op) {
                case SUM:
                    value[g] += v;
                    break;
                case AVG:
                    if (Double.isInfinite(mean[g])) {
                        if (Double.isInfinite(v) && (mean[g] > 0) == (v > 0)) {
                            break;
                        }
                        if (!Double.isInfinite(v) && !Double.isNaN(v)) {
                            break;
                        }
                    }
                    mean[g] += v / count[g] - mean[g] / count[g];
                    break;
                case MAX:
                    if (value[g] < v || Double.isNaN(value[g])) {
                        value[g] = v;
                    }
                    break;
                case MIN:
                    if (value[g] > v || Double.isNaN(value[g])) {
                        value[g] = v;
                    }
                    break;
                case STDDEV:
                case STDVAR: {
                    double delta = v - mean[g];
                    mean[g] += delta / count[g];
                    value[g] += delta * (v - mean[g]);
                    break;
                }
                default:
                    break;
            }
        }
        Vec out = new Vec(groups);
        for (int g = 0; g < groups; g++) {
            double r;
            switch (op) {
                case AVG: r = mean[g]; break;
                case COUNT: r = count[g]; break;
                case GROUP: r = 1; break;
                case STDVAR: r = value[g] / count[g]; break;
                case STDDEV: r = Math.sqrt(value[g] / count[g]); break;
                default: r = value[g];
            }
            out.add(ungrouped ? Labels.EMPTY : index.groupLabels(g), r);
        }
        return out;
    }

    private static Vec topk(AggregateExpr a, Vec in, double param, boolean top) {
        long k = (long) param;
        Vec out = Vec.empty();
        if (k < 1 || in.size() == 0) {
            return out;
        }
        List<List<Integer>> groups = collect(a, in);
        for (List<Integer> members : groups) {
            members.sort((x, y) -> {
                double vx = in.value(x);
                double vy = in.value(y);
                // NaN ranks last for both topk and bottomk.
                if (Double.isNaN(vx) || Double.isNaN(vy)) {
                    return Boolean.compare(Double.isNaN(vx), Double.isNaN(vy));
                }
                return top ? Double.compare(vy, vx) : Double.compare(vx, vy);
            });
            for (int j = 0; j < Math.min(k, members.size()); j++) {
                int i = members.get(j);
                out.add(in.labels(i), in.value(i));
            }
        }
        return out;
    }

    private static Vec quantile(AggregateExpr a, Vec in, double q) {
        Vec out = Vec.empty();
        if (in.size() == 0) {
            return out;
        }
        GroupIndex index = groupIndex(a, in);
        List<List<Integer>> groups = collect(index, in);
        double[] scratch = new double[in.size()];
        for (int g = 0; g < groups.size(); g++) {
            List<Integer> members = groups.get(g);
            for (int j = 0; j < members.size(); j++) {
                scratch[j] = in.value(members.get(j));
            }
            out.add(index.groupLabels(g), RangeMath.quantile(q, scratch, members.size()));
        }
        return out;
    }

    private static Vec countValues(AggregateExpr a, Vec in, String label) throws PromQLException {
        if (!PrometheusNames.isValidLabelName(label)) {
            throw PromQLException.execution("invalid label name \"" + label + "\"");
        }
        Map<Labels, Integer> counts = new LinkedHashMap<>();
        GroupIndex index = in.size() == 0 ? null : groupIndex(a, in);
        for (int i = 0; i < in.size(); i++) {
            Labels group = index.groupLabels(index.groupOf(i));
            Map<String, String> m = group.toMap();
            m.put(label, formatPlain(in.value(i)));
            counts.merge(Labels.fromMap(m), 1, Integer::sum);
        }
        Vec out = Vec.empty();
        counts.forEach((l, c) -> out.add(l, c));
        return out;
    }

    /** Go's FormatFloat(v, 'f', -1, 64): shortest digits, never an exponent. */
    static String formatPlain(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return "0";
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    private static GroupIndex groupIndex(AggregateExpr a, Vec in) {
        return new GroupIndex(in, a.grouping(), a.without());
    }

    private static List<List<Integer>> collect(AggregateExpr a, Vec in) {
        return collect(groupIndex(a, in), in);
    }

    private static List<List<Integer>> collect(GroupIndex index, Vec in) {
        List<List<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            int g = index.groupOf(i);
            if (g == groups.size()) {
                groups.add(new ArrayList<>());
            }
            groups.get(g).add(i);
        }
        return groups;
    }
}
