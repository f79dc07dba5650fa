package dev.kedaotel.query.eval;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.ast.AggregateExpr;
import dev.kedaotel.query.ast.AggregateOp;
import dev.kedaotel.model.Labels;
import dev.kedaotel.model.PrometheusNames;

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

    /**
     * topk/bottomk exactly as Prometheus 2.42 selects: per group a binary heap (Go's container/heap
     * algorithm) of at most k elements, filled in label order; a later element replaces the heap's root
     * only when strictly better (or the root is NaN). Which of several equal values survive therefore
     * depends on input order and heap shape, and matches Prometheus only when both are the same.
     */
    private static Vec topk(AggregateExpr a, Vec in, double param, boolean top) {
        Vec out = Vec.empty();
        if (!(param >= 1) || in.size() == 0) {
            return out;
        }
        int k = (int) Math.min(param, in.size());
        List<List<Integer>> groups = collect(a, in);
        for (List<Integer> members : groups) {
            // Which of equal values survive depends on input order; Prometheus' selectors yield series in
            // label order, so feed the heap in that order (selections here are in ingestion order and
            // are not sorted up front: that would cost every query, topk is the one that needs it).
            members.sort((x, y) -> in.rawLabels(x).compareTo(in.rawLabels(y)));
            KHeap heap = new KHeap(in, Math.min(k, members.size()), top);
            for (int i : members) {
                heap.offer(i);
            }
            // Prometheus emits each group best first (topk: descending, bottomk: ascending), NaN last.
            Integer[] order = new Integer[heap.size];
            for (int j = 0; j < heap.size; j++) {
                order[j] = heap.items[j];
            }
            java.util.Arrays.sort(order, (x, y) -> {
                double vx = in.value(x);
                double vy = in.value(y);
                if (Double.isNaN(vx) || Double.isNaN(vy)) {
                    return Boolean.compare(Double.isNaN(vx), Double.isNaN(vy));
                }
                return top ? Double.compare(vy, vx) : Double.compare(vx, vy);
            });
            for (int i : order) {
                out.add(in.labels(i), in.value(i));
            }
        }
        return out;
    }

    /** The k-element heap of topk (root = smallest kept, NaN smaller than all) or bottomk (mirrored). */
    private static final class KHeap {
        final Vec in;
        final int[] items;
        final boolean top;
        int size;

        KHeap(Vec in, int k, boolean top) {
            this.in = in;
            this.items = new int[k];
            this.top = top;
        }

        /** Go's Less of vectorByValueHeap (topk) / vectorByReverseValueHeap (bottomk). */
        private boolean less(int i, int j) {
            double a = in.value(items[i]);
            double b = in.value(items[j]);
            if (Double.isNaN(a)) {
                return true;
            }
            return top ? a < b : a > b;
        }

        /**
         * Prometheus 2.42: admit when not full, when strictly better than the root, or when the root is
         * NaN; a full heap makes room by Pop (root out) then Push, except k = 1 which replaces in place.
         */
        void offer(int idx) {
            if (size == items.length) {
                double root = in.value(items[0]);
                double v = in.value(idx);
                if (!(top ? root < v : root > v) && !Double.isNaN(root)) {
                    return;
                }
                if (items.length == 1) {
                    items[0] = idx;
                    return;
                }
                swap(0, size - 1);
                down(0, size - 1);
                size--;
            }
            items[size++] = idx;
            up(size - 1);
        }

        private void swap(int i, int j) {
            int t = items[i];
            items[i] = items[j];
            items[j] = t;
        }

        private void up(int j) {
            while (true) {
                int i = (j - 1) / 2;
                if (i == j || !less(j, i)) {
                    break;
                }
                swap(i, j);
                j = i;
            }
        }

        private void down(int i0, int n) {
            int i = i0;
            while (true) {
                int j1 = 2 * i + 1;
                if (j1 >= n) {
                    break;
                }
                int j = j1;
                int j2 = j1 + 1;
                if (j2 < n && less(j2, j1)) {
                    j = j2;
                }
                if (!less(j, i)) {
                    break;
                }
                swap(i, j);
                i = j;
            }
        }
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
        return dev.kedaotel.model.GoFloats.formatF(v);
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
