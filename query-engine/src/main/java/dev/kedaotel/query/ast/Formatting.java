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

    /** Prometheus' model.Duration text (see {@link Durations#format}). */
    public static String duration(long ms) {
        return Durations.format(ms);
    }

    /** Go's strconv.Quote (see {@link GoStrings#quote}). */
    public static String quote(String s) {
        return GoStrings.quote(s);
    }

    public static boolean isPlainMetricName(String name) {
        return PrometheusNames.isValidMetricName(name);
    }

    static String matcher(LabelMatcher m) {
        String name = PrometheusNames.isValidLabelName(m.name()) ? m.name() : quote(m.name());
        return name + m.type().symbol + quote(m.value());
    }

    static String modifiers(AtModifier at, long offsetMs) {
        String s = at == null ? "" : at.toString();
        if (offsetMs != 0) {
            s += " offset " + duration(offsetMs);
        }
        return s;
    }
}
