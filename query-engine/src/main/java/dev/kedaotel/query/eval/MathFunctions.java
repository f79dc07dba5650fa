package dev.kedaotel.query.eval;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Element-wise functions of instant vectors, with Go's math semantics where Java differs. */
final class MathFunctions {
    private static final double LN2 = Math.log(2);

    private MathFunctions() {
    }

    static double apply(String fn, double v, double a, double b) {
        switch (fn) {
            case "abs": return Math.abs(v);
            case "ceil": return Math.ceil(v);
            case "floor": return Math.floor(v);
            case "exp": return Math.exp(v);
            case "sqrt": return Math.sqrt(v);
            case "ln": return Math.log(v);
            case "log2": return log2(v);
            case "log10": return Math.log10(v);
            case "sgn": return Math.signum(v);
            case "acos": return Math.acos(v);
            case "asin": return Math.asin(v);
            case "atan": return Math.atan(v);
            case "cos": return Math.cos(v);
            case "sin": return Math.sin(v);
            case "tan": return Math.tan(v);
            case "cosh": return Math.cosh(v);
            case "sinh": return Math.sinh(v);
            case "tanh": return Math.tanh(v);
            case "acosh": return Math.log(v + Math.sqrt(v * v - 1));
            case "asinh": return v == 0 || Double.isInfinite(v) ? v : Math.signum(v) * Math.log(Math.abs(v) + Math.sqrt(v * v + 1));
            case "atanh": return 0.5 * Math.log((1 + v) / (1 - v));
            case "deg": return v * 180 / Math.PI;
            case "rad": return v * Math.PI / 180;
            case "round": {
                double inverse = 1.0 / a;
                return Math.floor(v * inverse + 0.5) / inverse;
            }
            case "clamp": return Math.max(a, Math.min(b, v));
            case "clamp_min": return Math.max(a, v);
            case "clamp_max": return Math.min(a, v);
            default: return dateFunction(fn, v);
        }
    }

    /** Go's Log2 is exact for powers of two; Java's log(x)/log(2) is not. */
    static double log2(double v) {
        if (v > 0 && !Double.isInfinite(v) && v >= Double.MIN_NORMAL) {
            int exp = Math.getExponent(v);
            double frac = v / Math.scalb(1.0, exp); // in [1, 2)
            if (frac == 1.0) {
                return exp;
            }
            return Math.log(frac) / LN2 + exp;
        }
        return Math.log(v) / LN2;
    }

    private static double dateFunction(String fn, double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            return Double.NaN;
        }
        ZonedDateTime d = ZonedDateTime.ofInstant(Instant.ofEpochSecond((long) Math.floor(seconds)), ZoneOffset.UTC);
        switch (fn) {
            case "days_in_month": return d.toLocalDate().lengthOfMonth();
            case "day_of_month": return d.getDayOfMonth();
            case "day_of_week": return d.getDayOfWeek().getValue() % 7;
            case "day_of_year": return d.getDayOfYear();
            case "hour": return d.getHour();
            case "minute": return d.getMinute();
            case "month": return d.getMonthValue();
            case "year": return d.getYear();
            default: throw new IllegalArgumentException("unknown function " + fn);
        }
    }
}
