package dev.kedaotel.query.eval;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.ValueType;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.Exprs;
import dev.kedaotel.query.ast.Function;
import dev.kedaotel.query.ast.MatrixSelector;
import dev.kedaotel.model.Labels;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The PromQL function registry: one row per function, saying what it computes and what it does to
 * label sets. It is the evaluator's half of the vocabulary whose parser half is {@link Function}, as
 * Prometheus' {@code promql/functions.go} {@code FunctionCalls} sits next to {@code parser/functions.go}
 * {@code Functions}; {@code FunctionTableTest} proves both list the same names.
 *
 * <p><b>Why one table.</b> A function's behaviour used to be spread over string switches in the
 * evaluator, the element-wise math, the range-vector dispatch and the name-dropping checks; adding or
 * fixing a function meant finding all of them, and they drifted (which functions drop {@code __name__}
 * was decided in four places). Here every fact about a function is one row, the function name is
 * switched on nowhere else, and the evaluator dispatches on the {@link Implementation} kind. Rows are
 * resolved by {@link Function#ordinal()} into an array, so the lookup is one array load per call
 * node evaluation, never a string comparison, and never per sample.
 *
 * <p><b>Labels and {@code __name__}.</b> {@link Labelling} is a row property. The evaluator, not the
 * implementation, applies it: for {@link Labelling#DROP_NAME} it sets the result's deferred
 * {@link Vec#dropName} flag (so {@code sum(rate(x[1m]))} never copies label sets) and then enforces
 * Prometheus' rule that a result which lost its names must not hold two elements with the same label
 * set ({@code vector cannot contain metrics with the same labelset}, see {@link LabelsetGuard}); rows
 * that build new label sets ({@link Labelling#NEW}) are checked the same way, and
 * {@link Labelling#KEEP} rows pass their input's label sets through unchanged and need no check.
 *
 * <p>Internal functions ({@code kedify_rate}) are rows like any other; only the parser cannot name them.
 */
final class FunctionTable {
    /** What a function's result does to its input's label sets. */
    enum Labelling {
        /** Elements keep their input element's label set, {@code __name__} included (sort, last_over_time). */
        KEEP,
        /** Elements keep their input's label set without {@code __name__}: the value no longer measures that metric. */
        DROP_NAME,
        /** Elements get label sets the function builds (label_replace, absent, vector). */
        NEW
    }

    /** The implementation of a function, by the shape of its evaluation. */
    sealed interface Implementation permits VectorFn, ScalarFn, RangeFn {
    }

    /** A function returning an instant vector from instant-vector, scalar and string arguments. */
    @FunctionalInterface
    non-sealed interface VectorFn extends Implementation {
        Vec apply(Evaluation ev, List<Expr> args, long t) throws PromQLException;
    }

    /** A function returning a scalar. */
    @FunctionalInterface
    non-sealed interface ScalarFn extends Implementation {
        double apply(Evaluation ev, List<Expr> args, long t) throws PromQLException;
    }

    /**
     * A function of one range-vector argument, applied series by series to each series that has samples
     * in the window: returns false when that series yields no output element, else sets {@link Window#result}.
     */
    @FunctionalInterface
    non-sealed interface RangeFn extends Implementation {
        boolean apply(Window w) throws PromQLException;

        /** The call's result from the per-series outputs; {@code anySamples}: some series had samples. */
        default Vec finish(Vec perSeries, boolean anySamples, Expr rangeArg) {
            return perSeries;
        }
    }

    /** An element-wise value function; {@code a} and {@code b} are the call's scalar arguments. */
    @FunctionalInterface
    private interface ElementOp {
        double apply(double v, double a, double b);
    }

    /**
     * One row. {@code atModifierUnsafe}: the result depends on the evaluation time even when every
     * argument is pinned by {@code @} (Prometheus 2.42's {@code AtModifierUnsafeFunctions}); such a call is
     * evaluated at each step, and a range-vector argument's {@code @} then acts as an offset from the
     * query start (see {@link Evaluation}). {@code rangeArg}: index of the range-vector argument, or -1.
     */
    record Entry(Function function, Labelling labelling, boolean atModifierUnsafe, Implementation impl, int rangeArg) {
    }

    /**
     * One series' window for a {@link RangeFn}: samples oldest first (staleness markers removed), the
     * window bounds, the evaluation time, the call's scalar arguments in order ({@code a}, {@code b}) and
     * the result. Reused for every series and step; the scalar arguments are set anew by each call.
     */
    static final class Window {
        long[] ts;
        double[] v;
        int n;
        long rangeStart;
        long rangeEnd;
        long rangeMs;
        /** The step's evaluation time (the base of predict_linear's prediction). */
        long evalTime;
        double a;
        double b;
        double result;
        final double[] pair = new double[2];
        double[] scratch = new double[16];
    }

    private static final Entry[] BY_ORDINAL = new Entry[Function.values().size()];
    private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

    private static final String NATIVE_HISTOGRAMS = " is not supported: native histograms are not stored "
            + "(OTLP exponential histograms become classic _bucket, _sum and _count series); use histogram_quantile over _bucket series";

    static {
        // ---- element-wise math (Go's math semantics where Java differs) ----
        elementwise("abs", (v, a, b) -> Math.abs(v));
        elementwise("ceil", (v, a, b) -> Math.ceil(v));
        elementwise("floor", (v, a, b) -> Math.floor(v));
        elementwise("exp", (v, a, b) -> Math.exp(v));
        elementwise("sqrt", (v, a, b) -> Math.sqrt(v));
        elementwise("ln", (v, a, b) -> Math.log(v));
        elementwise("log2", (v, a, b) -> MathFunctions.log2(v));
        elementwise("log10", (v, a, b) -> Math.log10(v));
        elementwise("sgn", (v, a, b) -> Math.signum(v));
        elementwise("acos", (v, a, b) -> Math.acos(v));
        elementwise("asin", (v, a, b) -> Math.asin(v));
        elementwise("atan", (v, a, b) -> Math.atan(v));
        elementwise("cos", (v, a, b) -> Math.cos(v));
        elementwise("sin", (v, a, b) -> Math.sin(v));
        elementwise("tan", (v, a, b) -> Math.tan(v));
        elementwise("cosh", (v, a, b) -> Math.cosh(v));
        elementwise("sinh", (v, a, b) -> Math.sinh(v));
        elementwise("tanh", (v, a, b) -> Math.tanh(v));
        elementwise("acosh", (v, a, b) -> MathFunctions.acosh(v));
        elementwise("asinh", (v, a, b) -> MathFunctions.asinh(v));
        elementwise("atanh", (v, a, b) -> MathFunctions.atanh(v));
        elementwise("deg", (v, a, b) -> v * 180 / Math.PI);
        elementwise("rad", (v, a, b) -> v * Math.PI / 180);
        vector("round", Labelling.DROP_NAME, (ev, args, t) ->
                map(ev.evalVector(args.get(0), t), MathFunctions::round, args.size() > 1 ? ev.evalScalar(args.get(1), t) : 1, 0));
        vector("clamp", Labelling.DROP_NAME, (ev, args, t) -> {
            double min = ev.evalScalar(args.get(1), t);
            double max = ev.evalScalar(args.get(2), t);
            Vec in = ev.evalVector(args.get(0), t);
            return max < min ? Vec.empty() : map(in, (v, lo, hi) -> Math.max(lo, Math.min(hi, v)), min, max);
        });
        vector("clamp_min", Labelling.DROP_NAME, (ev, args, t) ->
                map(ev.evalVector(args.get(0), t), (v, a, b) -> Math.max(a, v), ev.evalScalar(args.get(1), t), 0));
        vector("clamp_max", Labelling.DROP_NAME, (ev, args, t) ->
                map(ev.evalVector(args.get(0), t), (v, a, b) -> Math.min(a, v), ev.evalScalar(args.get(1), t), 0));

        // ---- calendar functions of the sample value (default: the evaluation time), in UTC ----
        date("days_in_month", d -> d.toLocalDate().lengthOfMonth());
        date("day_of_month", ZonedDateTime::getDayOfMonth);
        date("day_of_week", d -> d.getDayOfWeek().getValue() % 7);
        date("day_of_year", ZonedDateTime::getDayOfYear);
        date("hour", ZonedDateTime::getHour);
        date("minute", ZonedDateTime::getMinute);
        date("month", ZonedDateTime::getMonthValue);
        date("year", ZonedDateTime::getYear);

        // ---- other instant-vector functions ----
        row("timestamp", Labelling.DROP_NAME, true, (VectorFn) (ev, args, t) -> {
            Vec in = ev.evalVector(args.get(0), t);
            Vec out = new Vec(in.size());
            for (int i = 0; i < in.size(); i++) {
                out.add(in.rawLabels(i), (in.hasTimestamps() ? in.timestamp(i) : t) / 1000.0);
            }
            return out;
        });
        vector("vector", Labelling.NEW, (ev, args, t) -> {
            Vec out = Vec.empty();
            out.add(Labels.EMPTY, ev.evalScalar(args.get(0), t));
            return out;
        });
        vector("absent", Labelling.NEW, (ev, args, t) -> {
            Vec out = Vec.empty();
            if (ev.evalVector(args.get(0), t).size() == 0) {
                out.add(InstantFunctions.absentLabels(Exprs.unwrapParens(args.get(0))), 1);
            }
            return out;
        });
        vector("sort", Labelling.KEEP, (ev, args, t) -> InstantFunctions.sort(ev.evalVector(args.get(0), t), false));
        vector("sort_desc", Labelling.KEEP, (ev, args, t) -> InstantFunctions.sort(ev.evalVector(args.get(0), t), true));
        vector("label_replace", Labelling.NEW, (ev, args, t) -> LabelFunctions.labelReplace(ev.evalVector(args.get(0), t),
                Evaluation.stringValue(args.get(1)), Evaluation.stringValue(args.get(2)), Evaluation.stringValue(args.get(3)),
                Evaluation.stringValue(args.get(4))));
        vector("label_join", Labelling.NEW, (ev, args, t) -> {
            List<String> srcs = new ArrayList<>(args.size() - 3);
            for (int i = 3; i < args.size(); i++) {
                srcs.add(Evaluation.stringValue(args.get(i)));
            }
            return LabelFunctions.labelJoin(ev.evalVector(args.get(0), t), Evaluation.stringValue(args.get(1)),
                    Evaluation.stringValue(args.get(2)), srcs);
        });
        vector("histogram_quantile", Labelling.DROP_NAME, (ev, args, t) ->
                HistogramQuantile.apply(ev.evalScalar(args.get(0), t), ev.evalVector(args.get(1), t)));
        for (String name : List.of("histogram_count", "histogram_sum", "histogram_fraction")) {
            // Prometheus would answer an empty vector over float series; that reads as "no traffic".
            String message = "function \"" + name + "\"" + NATIVE_HISTOGRAMS;
            vector(name, Labelling.DROP_NAME, (ev, args, t) -> {
                throw PromQLException.execution(message);
            });
        }

        // ---- scalar functions ----
        row("time", Labelling.NEW, true, (ScalarFn) (ev, args, t) -> t / 1000.0);
        scalar("pi", (ev, args, t) -> Math.PI);
        scalar("scalar", (ev, args, t) -> {
            Vec v = ev.evalVector(args.get(0), t);
            return v.size() == 1 ? v.value(0) : Double.NaN;
        });

        // ---- range-vector functions ----
        range("rate", 2, w -> RangeMath.extrapolatedRate(w.ts, w.v, w.n, w.rangeStart, w.rangeEnd, w.rangeMs, true, true));
        range("increase", 2, w -> RangeMath.extrapolatedRate(w.ts, w.v, w.n, w.rangeStart, w.rangeEnd, w.rangeMs, true, false));
        range("delta", 2, w -> RangeMath.extrapolatedRate(w.ts, w.v, w.n, w.rangeStart, w.rangeEnd, w.rangeMs, false, false));
        row("irate", Labelling.DROP_NAME, false, (RangeFn) w -> w.n >= 2 && instantValue(w, true));
        row("idelta", Labelling.DROP_NAME, false, (RangeFn) w -> w.n >= 2 && instantValue(w, false));
        range("deriv", 2, w -> {
            RangeMath.linearRegression(w.ts, w.v, w.n, w.ts[0], w.pair);
            return w.pair[0];
        });
        // Prometheus 2.42 regresses around the step's evaluation time, also under @ (funcPredictLinear's enh.Ts).
        row("predict_linear", Labelling.DROP_NAME, true, atLeast(2, w -> {
            RangeMath.linearRegression(w.ts, w.v, w.n, w.evalTime, w.pair);
            return w.pair[0] * w.a + w.pair[1];
        }));
        row("holt_winters", Labelling.DROP_NAME, false, (RangeFn) w -> {
            // Validated per series with samples, as in Prometheus: no such series, no error.
            if (w.a <= 0 || w.a >= 1) {
                throw PromQLException.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: " + goFloat(w.a));
            }
            if (w.b <= 0 || w.b >= 1) {
                throw PromQLException.execution("invalid trend factor. Expected: 0 < tf < 1, got: " + goFloat(w.b));
            }
            if (w.n < 2) {
                return false;
            }
            w.result = RangeMath.holtWinters(w.v, w.n, w.a, w.b);
            return true;
        });
        range("resets", 1, w -> RangeMath.resets(w.v, w.n));
        range("changes", 1, w -> RangeMath.changes(w.v, w.n));
        range("avg_over_time", 1, w -> RangeMath.avg(w.v, w.n));
        range("min_over_time", 1, w -> RangeMath.min(w.v, w.n));
        range("max_over_time", 1, w -> RangeMath.max(w.v, w.n));
        range("sum_over_time", 1, w -> RangeMath.sum(w.v, w.n));
        range("count_over_time", 1, w -> w.n);
        range("present_over_time", 1, w -> 1);
        range("stddev_over_time", 1, w -> Math.sqrt(RangeMath.stdvar(w.v, w.n)));
        range("stdvar_over_time", 1, w -> RangeMath.stdvar(w.v, w.n));
        range("quantile_over_time", 1, w -> {
            if (w.scratch.length < w.n) {
                w.scratch = new double[Math.max(w.n, w.scratch.length * 2)];
            }
            System.arraycopy(w.v, 0, w.scratch, 0, w.n);
            return RangeMath.quantile(w.a, w.scratch, w.n);
        });
        // A stored sample unchanged: last_over_time keeps the metric name (Prometheus 2.42).
        row("last_over_time", Labelling.KEEP, false, atLeast(1, w -> w.v[w.n - 1]));
        row("absent_over_time", Labelling.NEW, false, new RangeFn() {
            @Override
            public boolean apply(Window w) {
                return false;
            }

            @Override
            public Vec finish(Vec perSeries, boolean anySamples, Expr rangeArg) {
                Vec absent = Vec.empty();
                if (!anySamples) {
                    absent.add(InstantFunctions.absentLabels(rangeArg instanceof MatrixSelector ms ? ms.selector() : null), 1);
                }
                return absent;
            }
        });
        range(Function.KEDIFY_RATE, 1, w -> RangeMath.kedifyRate(w.ts, w.v, w.n));
    }

    private FunctionTable() {
    }

    /** The row of a function; every {@link Function} has one (see {@code FunctionTableTest}). */
    static Entry of(Function f) {
        return BY_ORDINAL[f.ordinal()];
    }

    /** Every row by function name, internal functions included. */
    static Map<String, Entry> all() {
        return Collections.unmodifiableMap(BY_NAME);
    }

    // ---- row builders ------------------------------------------------------------------------------

    private static void row(String name, Labelling labelling, boolean atModifierUnsafe, Implementation impl) {
        Function f = Function.lookup(name);
        if (f == null) {
            throw new IllegalStateException("no parser signature for function " + name);
        }
        row(f, labelling, atModifierUnsafe, impl);
    }

    private static void row(Function f, Labelling labelling, boolean atModifierUnsafe, Implementation impl) {
        Entry e = new Entry(f, labelling, atModifierUnsafe, impl, f.argTypes().indexOf(ValueType.MATRIX));
        if (BY_ORDINAL[f.ordinal()] != null) {
            throw new IllegalStateException("function " + f + " has two rows");
        }
        BY_ORDINAL[f.ordinal()] = e;
        BY_NAME.put(f.name(), e);
    }

    private static void vector(String name, Labelling labelling, VectorFn fn) {
        row(name, labelling, false, fn);
    }

    private static void scalar(String name, ScalarFn fn) {
        row(name, Labelling.NEW, false, fn);
    }

    private static void elementwise(String name, ElementOp op) {
        vector(name, Labelling.DROP_NAME, (ev, args, t) -> map(ev.evalVector(args.get(0), t), op, 0, 0));
    }

    private static void date(String name, ToIntFunction<ZonedDateTime> field) {
        row(name, Labelling.DROP_NAME, true, (VectorFn) (ev, args, t) -> {
            Vec in;
            if (args.isEmpty()) {
                in = Vec.empty();
                in.add(Labels.EMPTY, t / 1000.0);
            } else {
                in = ev.evalVector(args.get(0), t);
            }
            Vec out = new Vec(in.size());
            for (int i = 0; i < in.size(); i++) {
                double seconds = in.value(i);
                out.add(in.rawLabels(i), Double.isNaN(seconds) || Double.isInfinite(seconds) ? Double.NaN
                        : field.applyAsInt(ZonedDateTime.ofInstant(Instant.ofEpochSecond((long) Math.floor(seconds)), ZoneOffset.UTC)));
            }
            return out;
        });
    }

    /** A range function yielding a value for every series with at least {@code minSamples} samples. */
    private interface RangeValue {
        double apply(Window w);
    }

    private static RangeFn atLeast(int minSamples, RangeValue value) {
        return w -> {
            if (w.n < minSamples) {
                return false;
            }
            w.result = value.apply(w);
            return true;
        };
    }

    private static void range(String name, int minSamples, RangeValue value) {
        row(name, Labelling.DROP_NAME, false, atLeast(minSamples, value));
    }

    private static void range(Function f, int minSamples, RangeValue value) {
        row(f, Labelling.DROP_NAME, false, atLeast(minSamples, value));
    }

    // ---- shared implementation pieces --------------------------------------------------------------

    /** Applies an element-wise function, keeping each element's stored labels (the row decides about the name). */
    private static Vec map(Vec in, ElementOp op, double a, double b) {
        Vec out = new Vec(in.size());
        for (int i = 0; i < in.size(); i++) {
            out.add(in.rawLabels(i), op.apply(in.value(i), a, b));
        }
        return out;
    }

    private static boolean instantValue(Window w, boolean isRate) {
        if (!RangeMath.instantValue(w.ts, w.v, w.n, isRate, w.pair)) {
            return false;
        }
        w.result = w.pair[0];
        return true;
    }

    /** Go's %f. */
    private static String goFloat(double v) {
        return Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : String.format(java.util.Locale.ROOT, "%f", v);
    }
}
