package dev.kedaotel.query.eval;

/**
 * Element-wise math with Go's semantics where Java's differs; the functions' rows in {@link FunctionTable}
 * call these.
 */
final class MathFunctions {
    private static final double LN2 = Math.log(2);

    private MathFunctions() {
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

    static double acosh(double v) {
        return Math.log(v + Math.sqrt(v * v - 1));
    }

    static double asinh(double v) {
        return v == 0 || Double.isInfinite(v) ? v : Math.signum(v) * Math.log(Math.abs(v) + Math.sqrt(v * v + 1));
    }

    static double atanh(double v) {
        return 0.5 * Math.log((1 + v) / (1 - v));
    }

    /** round(v, toNearest), rounding halves up as Prometheus does; {@code unused} fits the element-op shape. */
    static double round(double v, double toNearest, double unused) {
        double inverse = 1.0 / toNearest;
        return Math.floor(v * inverse + 0.5) / inverse;
    }
}
