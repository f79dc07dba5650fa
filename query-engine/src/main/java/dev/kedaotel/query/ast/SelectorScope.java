package dev.kedaotel.query.ast;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;
import dev.kedaotel.model.PrometheusNames;

import java.util.ArrayList;
import java.util.List;

/**
 * Confines an expression to the series whose label {@code name} equals {@code value} (tenancy: a
 * ScaledObject's query, or an HTTP query carrying KEDA's {@code namespace} parameter, sees only its own
 * namespace). {@link #apply(Expr)} returns a new tree in which <em>every</em> vector selector carries
 * the extra matcher {@code name="value"}.
 *
 * <p>Why on the syntax tree and not by editing the query text: selectors hide anywhere — inside range
 * selectors, subqueries (nested ones too), function arguments ({@code absent}, {@code label_replace},
 * {@code scalar(x)} as the parameter of {@code topk}), both sides of {@code or}/{@code unless}/{@code and}
 * and of arithmetic with vector matching — and a text edit that misses one lets that selector read
 * every namespace. Walking the tree reaches them all by construction ({@link Expr} is sealed, so a new
 * node kind fails to compile here rather than slip through), and keeps {@code offset} and {@code @}
 * where they were.
 *
 * <p>The matcher is <em>added</em>, never substituted: matchers the user wrote on the same label stay
 * and are ANDed with it, so {@code x{ns=~"a|b"}} from namespace {@code a} selects only {@code a}'s
 * series, {@code x{ns="b"}} selects nothing, and {@code x{ns!="a"}} selects nothing. An identical
 * equality matcher already present is not repeated (ANDing it again changes nothing but would drop the
 * label from {@code absent()}'s output). {@code absent()} derives its output labels from equality
 * matchers exactly as Prometheus 2.42 does (a name matched by an equality after another matcher on that
 * name is dropped), so {@code absent(x{ns="b"})} scoped to {@code a} becomes
 * {@code absent(x{ns="a",ns="b"})}: always 1, with no {@code ns} label — it says nothing about {@code b}.
 *
 * <p>The printed canonical form shows the added matcher, so two namespaces' scoped copies of one query
 * have different texts and never share a standing query. Instances are immutable and thread-safe; the
 * rewrite allocates new nodes only and leaves the input tree untouched (it may be a cached parse).
 */
public final class SelectorScope {
    private final LabelMatcher matcher;

    private SelectorScope(LabelMatcher matcher) {
        this.matcher = matcher;
    }

    /**
     * The scope {@code labelName="value"}.
     *
     * @throws IllegalArgumentException if the label name is not one a series can carry (see
     *     {@link #checkLabelName}) or the value is empty (an empty value would select series
     *     <em>without</em> the label, i.e. belonging to no namespace)
     */
    public static SelectorScope of(String labelName, String value) {
        checkLabelName(labelName);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the value of the scoping label " + labelName + " must not be empty");
        }
        return new SelectorScope(LabelMatcher.eq(labelName, value));
    }

    /**
     * Checks that {@code labelName} can scope queries: a Prometheus label name ({@code [a-zA-Z_][a-zA-Z0-9_]*})
     * that is not reserved ({@code __name__} and other names starting with {@code __}).
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static void checkLabelName(String labelName) {
        if (labelName == null || !PrometheusNames.isValidLabelName(labelName)) {
            throw new IllegalArgumentException("must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, e.g."
                    + " k8s_namespace_name)");
        }
        if (labelName.startsWith("__")) {
            throw new IllegalArgumentException("must not be a reserved label name (" + Labels.METRIC_NAME
                    + " or another name starting with __)");
        }
    }

    /** The matcher every selector gets. */
    public LabelMatcher matcher() {
        return matcher;
    }

    /** The label the scope is on. */
    public String labelName() {
        return matcher.name();
    }

    /** The value the label must equal. */
    public String value() {
        return matcher.value();
    }

    /** {@code matchers} (one series selector's) with the scope's matcher added, unless already present. */
    public List<LabelMatcher> apply(List<LabelMatcher> matchers) {
        if (matchers.contains(matcher)) {
            return matchers;
        }
        List<LabelMatcher> out = new ArrayList<>(matchers.size() + 1);
        out.addAll(matchers);
        out.add(matcher);
        return List.copyOf(out);
    }

    /**
     * A copy of {@code expr} whose every vector selector also carries the scope's matcher. Recursion is
     * bounded by the tree's height, which the parser limits ({@code Parser.MAX_DEPTH}).
     */
    public Expr apply(Expr expr) {
        if (expr instanceof VectorSelector vs) {
            return scope(vs);
        }
        if (expr instanceof MatrixSelector ms) {
            return ms.withSelector(scope(ms.selector()));
        }
        if (expr instanceof SubqueryExpr sq) {
            return new SubqueryExpr(sq.position(), apply(sq.expr()), sq.rangeMs(), sq.stepMs(), sq.offsetMs(), sq.at());
        }
        if (expr instanceof AggregateExpr ag) {
            return new AggregateExpr(ag.position(), ag.op(), apply(ag.expr()), ag.param() == null ? null : apply(ag.param()),
                    ag.grouping(), ag.without());
        }
        if (expr instanceof BinaryExpr be) {
            return new BinaryExpr(be.position(), be.op(), apply(be.lhs()), apply(be.rhs()), be.matching(), be.returnBool());
        }
        if (expr instanceof Call call) {
            List<Expr> args = new ArrayList<>(call.args().size());
            for (Expr a : call.args()) {
                args.add(apply(a));
            }
            return new Call(call.position(), call.function(), args);
        }
        if (expr instanceof ParenExpr p) {
            return new ParenExpr(p.position(), apply(p.expr()));
        }
        if (expr instanceof UnaryExpr u) {
            return new UnaryExpr(u.position(), u.negate(), apply(u.expr()));
        }
        if (expr instanceof NumberLiteral || expr instanceof StringLiteral) {
            return expr; // reads no series
        }
        throw new AssertionError("unknown expression node " + expr.getClass().getName());
    }

    private VectorSelector scope(VectorSelector vs) {
        List<LabelMatcher> scoped = apply(vs.matchers());
        return scoped == vs.matchers() ? vs
                : new VectorSelector(vs.position(), vs.name(), scoped, vs.offsetMs(), vs.at());
    }

    /** E.g. {@code k8s_namespace_name="a"}. */
    @Override
    public String toString() {
        return Formatting.matcher(matcher);
    }
}
