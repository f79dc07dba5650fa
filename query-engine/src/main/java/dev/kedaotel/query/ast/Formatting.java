package dev.kedaotel.query.ast;

import dev.kedaotel.tsdb.LabelMatcher;
import dev.kedaotel.tsdb.PrometheusNames;

import dev.kedaotel.tsdb.GoFloats;

/** Printing helpers that reproduce Prometheus' canonical text for numbers, strings and durations. */
public final class Formatting {
    private static final long MS_YEAR = 365L * 24 * 3600 * 1000;
    private static final long MS_WEEK = 7L * 24 * 3600 * 1000;
    private static final long MS_DAY = 24L * 3600 * 1000;
    private static final long MS_HOUR = 3600L * 1000;
    private static final long MS_MINUTE = 60L * 1000;

    private Formatting() {
    }

    /** Go's {@code %v} of a float64, as Prometheus prints number literals (see {@link GoFloats#formatG}). */
    public static String formatNumber(double v) {
        return GoFloats.formatG(v);
    }

    /** Prometheus' model.Duration text: {@code 1h30m}, {@code 500ms}, {@code 1w}; years and weeks only when exact. */
    public static String duration(long ms) {
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        if (ms % MS_YEAR == 0) {
            return sb.append(ms / MS_YEAR).append('y').toString();
        }
        if (ms % MS_WEEK == 0) {
            return sb.append(ms / MS_WEEK).append('w').toString();
        }
        long[] mults = {MS_DAY, MS_HOUR, MS_MINUTE, 1000, 1};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < mults.length; i++) {
            long v = ms / mults[i];
            if (v > 0) {
                sb.append(v).append(units[i]);
                ms -= v * mults[i];
            }
        }
        return sb.toString();
    }

    /** Go's strconv.Quote: double quotes, backslash escapes for quotes, backslashes and control characters. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case 7: sb.append("\\a"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case 11: sb.append("\\v"); break;
                default:
                    if (cp < 0x20 || cp == 0x7f) {
                        sb.append(String.format("\\x%02x", cp));
                    } else {
                        sb.appendCodePoint(cp);
                    }
            }
        }
        return sb.append('"').toString();
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
