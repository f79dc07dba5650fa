package dev.kedaotel.query.eval;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.model.Labels;

import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus' rule that a vector never holds two elements with the same label set. Dropping
 * {@code __name__} can break it ({@code ceil({__name__=~"a|b"})} where {@code a} and {@code b} share
 * their other labels), and Prometheus 2.42 then fails with {@value #MESSAGE}. Where it checks decides
 * what we must check:
 * <ul>
 *   <li>per step, on the output of every function without a range-vector argument and every
 *       vector/scalar operator ({@code rangeEval}): {@link #requireDistinct};</li>
 *   <li>over the whole evaluated range, on the output of unary minus and of every function with a
 *       range-vector argument (which Prometheus evaluates as a matrix, series by series): two input series
 *       that lose their names to the same label set fail even when they never share a step
 *       ({@link #requireDistinctAcrossSteps}, remembered per expression node for the query).</li>
 * </ul>
 * Aggregations yield distinct label sets by construction, and vector/vector operators already fail
 * with their own matching errors first.
 *
 * <p>The per-step check of the common case costs no allocation: a result whose stored label sets are
 * distinct (they are series or a checked vector's elements) and share one metric name cannot collide
 * once the name is gone, which is one string comparison per element; only mixed names build a set. The
 * range check remembers each node's series once per query (as stored while they share one name, so
 * {@code sum(rate(x[1m]))} over a range still builds no name-less label sets).
 *
 * <p>Also caches the name-less copies of stored label sets, so a range query builds each once.
 */
final class LabelsetGuard {
    static final String MESSAGE = "vector cannot contain metrics with the same labelset";

    private final IdentityHashMap<Labels, Labels> nameless = new IdentityHashMap<>();
    /** What each node evaluated more than once has produced so far in this query. */
    private final IdentityHashMap<Expr, Seen> seen = new IdentityHashMap<>();

    /** The label set element {@code i} shows in a result ({@code __name__} gone if the vector dropped it). */
    Labels labels(Vec v, int i) {
        return v.dropName ? nameless(v.rawLabels(i)) : v.rawLabels(i);
    }

    private Labels nameless(Labels l) {
        return nameless.computeIfAbsent(l, Labels::withoutMetricName);
    }

    /** Fails when two elements of {@code v} show the same label set. */
    void requireDistinct(Vec v) throws PromQLException {
        if (v.size() < 2 || v.dropName && oneMetricName(v)) {
            return;
        }
        Set<Labels> shown = new HashSet<>(v.size() * 2);
        for (int i = 0; i < v.size(); i++) {
            if (!shown.add(labels(v, i))) {
                throw PromQLException.execution(MESSAGE);
            }
        }
    }

    /**
     * Fails when two different stored label sets of {@code node}'s results show the same name-less label
     * set, over every evaluation of the node in this query. {@code v} must drop the name and hold distinct
     * stored label sets. {@code evaluatedOnce}: the node is evaluated only this once (an instant query
     * outside subqueries), so the per-step check is the whole check and nothing is remembered.
     */
    void requireDistinctAcrossSteps(Expr node, Vec v, boolean evaluatedOnce) throws PromQLException {
        if (evaluatedOnce) {
            requireDistinct(v);
            return;
        }
        if (v.size() == 0) {
            return;
        }
        Seen s = seen.get(node);
        if (s == null) {
            s = new Seen(v.rawLabels(0).get(Labels.METRIC_NAME));
            seen.put(node, s);
        }
        if (s.shownToSource == null) {
            if (sameName(v, s.name)) {
                for (int i = 0; i < v.size(); i++) {
                    s.sources.add(v.rawLabels(i));
                }
                return;
            }
            // A second name: from now on compare name-less label sets, starting with those seen so far.
            s.shownToSource = new HashMap<>();
            for (Labels source : s.sources) {
                s.shownToSource.put(nameless(source), source);
            }
            s.sources = null;
        }
        for (int i = 0; i < v.size(); i++) {
            Labels source = v.rawLabels(i);
            Labels before = s.shownToSource.putIfAbsent(labels(v, i), source);
            if (before != null && !before.equals(source)) {
                throw PromQLException.execution(MESSAGE);
            }
        }
    }

    private static boolean oneMetricName(Vec v) {
        return sameName(v, v.rawLabels(0).get(Labels.METRIC_NAME));
    }

    private static boolean sameName(Vec v, String name) {
        for (int i = 0; i < v.size(); i++) {
            if (!name.equals(v.rawLabels(i).get(Labels.METRIC_NAME))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A node's sources: while every one had the metric name {@code name}, just the stored label sets; after
     * a second name, each shown label set mapped to the stored label set it came from.
     */
    private static final class Seen {
        final String name;
        Set<Labels> sources = new HashSet<>();
        Map<Labels, Labels> shownToSource;

        Seen(String name) {
            this.name = name;
        }
    }
}
