package dev.kedaotel.query.kedify;

import dev.kedaotel.query.ast.Function;

import java.util.Locale;

/**
 * kedify's {@code operationOverTime}: how each series' samples inside the window become one value, and
 * the one place that knows the spellings and what each compiles to. The scaler's metadata parser, the
 * {@code /memstore/query} endpoint and {@link KedifyQuery} all read it from here; what to do with an
 * unknown spelling is each caller's policy (the scaler falls back to {@link #LAST_ONE} as kedify does,
 * the REST endpoint refuses it).
 */
public enum OperationOverTime {
    LAST_ONE("last_one", "last_over_time"),
    RATE("rate", null),
    COUNT("count", "count_over_time"),
    AVG("avg", "avg_over_time"),
    MIN("min", "min_over_time"),
    MAX("max", "max_over_time");

    /** The spellings, for messages: {@code last_one, rate, count, avg, min, max}. */
    public static final String SUPPORTED = "last_one, rate, count, avg, min, max";

    private final String wireName;
    private final String promqlFunction;

    OperationOverTime(String wireName, String promqlFunction) {
        this.wireName = wireName;
        this.promqlFunction = promqlFunction;
    }

    /** The spelling used in trigger metadata and kedify's REST API. */
    public String wireName() {
        return wireName;
    }

    /** The range function this operation compiles to ({@code rate} is kedify's own, non-extrapolating). */
    Function function() {
        return promqlFunction == null ? Function.KEDIFY_RATE : Function.lookup(promqlFunction);
    }

    /** The operation named {@code text} (case-insensitive, trimmed), or null if it names none. */
    public static OperationOverTime fromWireName(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (OperationOverTime op : values()) {
            if (op.wireName.equals(wanted)) {
                return op;
            }
        }
        return null;
    }
}
