package dev.kedaotel.query.ast;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.PrometheusNames;

import dev.kedaotel.model.Durations;
import dev.kedaotel.model.GoFloats;
import dev.kedaotel.model.GoStrings;

/** Printing helpers that reproduce Prometheus' canonical text for numbers, strings and durations. */
public final class Formatting {

    private Formatting() {
    }

    /** Go's {@code %v} of a float64, as Prometheus prints number literals (see {@link GoFloats#formatG}). */
    public static String formatNumber(double v) {
        return GoFloats.formatG(v);
    }

    /**
     * Whether a metric name can be written bare. Not when the lexer would read it as something else — a
     * keyword ({@code by}, {@code offset}, …), an aggregator ({@code sum}, {@code count_values}, …) or a
     * number ({@code Inf}, {@code NaN}), in any case — so {@code {"sum"}} prints as it was written.
     */
    public static boolean isPlainMetricName(String name) {
        if (!PrometheusNames.isValidMetricName(name)) {
            return false;
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return !NOT_BARE.contains(lower) && AggregateOp.byKeyword(lower) == null;
    }

    /** The lexer's keywords and number words (found by fuzzing: {@code {"nan"}} printed as {@code nan} reads as NaN). */
    private static final java.util.Set<String> NOT_BARE = java.util.Set.of("and", "or", "unless", "atan2", "bool", "by",
            "group_left", "group_right", "ignoring", "offset", "on", "without", "inf", "nan");

    static String matcher(LabelMatcher m) {
        String name = PrometheusNames.isValidLabelName(m.name()) ? m.name() : GoStrings.quote(m.name());
        return name + m.type().symbol + GoStrings.quote(m.value());
    }

    static String modifiers(AtModifier at, long offsetMs) {
        String s = at == null ? "" : at.toString();
        if (offsetMs != 0) {
            s += " offset " + Durations.format(offsetMs);
        }
        return s;
    }
}
