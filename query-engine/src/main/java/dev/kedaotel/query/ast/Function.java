package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kedaotel.query.ValueType.MATRIX;
import static dev.kedaotel.query.ValueType.SCALAR;
import static dev.kedaotel.query.ValueType.STRING;
import static dev.kedaotel.query.ValueType.VECTOR;

/**
 * A PromQL function's signature: the parser's half of the function vocabulary (Prometheus 2.42's
 * {@code parser/functions.go}). {@code variadic}: 0 = exactly the listed arguments; n &gt; 0 = the last n
 * listed arguments are optional; -1 = the last listed type repeats.
 *
 * <p>The evaluator's half, what each function computes and whether its result drops {@code __name__},
 * is the table in {@code dev.kedaotel.query.eval.FunctionTable}, indexed by {@link #ordinal()} so that a
 * call node finds its implementation with one array load. The parser must not depend on the evaluator,
 * hence two tables; {@code FunctionTableTest} proves they hold the same set of functions, so a name
 * added here without an implementation (or the reverse) fails the build.
 *
 * <p>Internal functions (such as {@code kedify_rate}) have a signature and an implementation like any
 * other, but {@link #lookup} does not return them: only code can build a call to one.
 */
public final class Function {
    private static final Map<String, Function> PUBLIC = new LinkedHashMap<>();
    private static final List<Function> ALL = new ArrayList<>();

    /** kedify's own rate (see {@code dev.kedaotel.query.kedify.KedifyQuery}); only built programmatically. */
    public static final Function KEDIFY_RATE = register(new Function("kedify_rate", List.of(MATRIX), 0, VECTOR, true));

    static {
        for (String n : List.of("abs", "ceil", "floor", "exp", "ln", "log2", "log10", "sqrt", "sgn",
                "acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh",
                "deg", "rad", "absent", "sort", "sort_desc", "timestamp", "histogram_count", "histogram_sum")) {
            def(n, List.of(VECTOR), 0, VECTOR);
        }
        for (String n : List.of("rate", "increase", "delta", "irate", "idelta", "resets", "changes", "deriv",
                "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
                "last_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time", "absent_over_time")) {
            def(n, List.of(MATRIX), 0, VECTOR);
        }
        for (String n : List.of("days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute",
                "month", "year")) {
            def(n, List.of(VECTOR), 1, VECTOR);
        }
        def("clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR);
        def("clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR);
        def("clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR);
        def("round", List.of(VECTOR, SCALAR), 1, VECTOR);
        def("histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR);
        def("histogram_fraction", List.of(SCALAR, SCALAR, VECTOR), 0, VECTOR);
        def("holt_winters", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR);
        def("predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR);
        def("quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR);
        def("label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR);
        def("label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR);
        def("scalar", List.of(VECTOR), 0, SCALAR);
        def("vector", List.of(SCALAR), 0, VECTOR);
        def("time", List.of(), 0, SCALAR);
        def("pi", List.of(), 0, SCALAR);
    }

    private final String name;
    private final List<ValueType> argTypes;
    private final int variadic;
    private final ValueType returnType;
    private final boolean internal;
    private final int ordinal;

    private Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType, boolean internal) {
        this.ordinal = ALL.size();
        this.name = name;
        this.argTypes = argTypes;
        this.variadic = variadic;
        this.returnType = returnType;
        this.internal = internal;
    }

    private static Function register(Function f) {
        ALL.add(f);
        return f;
    }

    private static void def(String name, List<ValueType> args, int variadic, ValueType ret) {
        PUBLIC.put(name, register(new Function(name, args, variadic, ret, false)));
    }

    /** The function callable from PromQL text under this (case-sensitive) name, or null. */
    public static Function lookup(String name) {
        return PUBLIC.get(name);
    }

    /** The functions callable from PromQL text, by name. */
    public static Map<String, Function> all() {
        return Collections.unmodifiableMap(PUBLIC);
    }

    /** Every function, internal ones included, in {@link #ordinal()} order. */
    public static List<Function> values() {
        return Collections.unmodifiableList(ALL);
    }

    /** Dense index of this function in {@link #values()}, for array-backed tables keyed by function. */
    public int ordinal() {
        return ordinal;
    }

    public String name() {
        return name;
    }

    public List<ValueType> argTypes() {
        return argTypes;
    }

    public int variadic() {
        return variadic;
    }

    public ValueType returnType() {
        return returnType;
    }

    public boolean internal() {
        return internal;
    }

    @Override
    public String toString() {
        return name;
    }
}
