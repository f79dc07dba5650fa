package dev.kedaotel.receiver;

/**
 * The bucket boundaries of OTLP exponential histograms, as the data model defines them: at scale
 * {@code s} the base is {@code 2^(2^-s)} and bucket index {@code i} holds the values whose magnitude is
 * in {@code (base^i, base^(i+1)]}. Lowering the scale by one merges buckets {@code 2i} and
 * {@code 2i+1} into bucket {@code i} (index {@code i >> 1}, floor division): the boundaries of a scale
 * are every other boundary of the next finer one, which is why merging is exact.
 *
 * <p>A boundary is computed as {@code 2^q · 2^(r/2^s)} with {@code i = q·2^s + r}: the root comes
 * from a table (scales 1..{@value #TABLE_SCALE}, the ones the receiver writes) or {@link StrictMath},
 * and {@link Math#scalb} is exact, so a boundary is the same double, hence the same {@code le} text,
 * on every export, JVM and platform.
 */
final class ExponentialBoundaries {
    static final int MIN_SCALE = -10;
    static final int MAX_SCALE = 20;
    /** Largest scale with a precomputed root table. */
    static final int TABLE_SCALE = 3;
    private static final double[][] ROOTS = new double[TABLE_SCALE + 1][];

    static {
        for (int s = 1; s <= TABLE_SCALE; s++) {
            ROOTS[s] = new double[1 << s];
            for (int r = 0; r < 1 << s; r++) {
                ROOTS[s][r] = root(s, r);
            }
        }
    }

    private ExponentialBoundaries() {
    }

    private static double root(int scale, long r) {
        return StrictMath.pow(2.0, (double) r / (1L << scale));
    }

    /** {@code base^index} at {@code scale}: 0 or +Inf where it leaves the double range. */
    static double boundary(long index, int scale) {
        if (scale <= 0) {
            long exp = index << -scale;
            if (index > 1 << 11 || exp > 1100) {
                return Double.POSITIVE_INFINITY;
            }
            if (index < -(1 << 11) || exp < -1100) {
                return 0.0;
            }
            return Math.scalb(1.0, (int) exp);
        }
        long q = index >> scale;
        int r = (int) (index & ((1L << scale) - 1));
        if (q > 1100) {
            return Double.POSITIVE_INFINITY;
        }
        if (q < -1100) {
            return 0.0;
        }
        double root = scale <= TABLE_SCALE ? ROOTS[scale][r] : root(scale, r);
        return Math.scalb(root, (int) q);
    }

    /** The exponent of {@code base^index}, {@code index / 2^scale}; exact (indices are far below 2^53). */
    static double exponent(long index, int scale) {
        return Math.scalb((double) index, -scale);
    }

    /**
     * Whether bucket {@code index} at {@code scale} overlaps the finite positive doubles, i.e. its lower
     * boundary is below the largest double and its upper one above 0 (the smallest subnormal is 2^-1074).
     */
    static boolean inDoubleRange(long index, int scale) {
        return exponent(index, scale) < 1024 && exponent(index + 1, scale) >= -1074;
    }

    /** The index at {@code scale - by} of bucket {@code index} at {@code scale} ({@code by} ≥ 0): floor division. */
    static long downscale(long index, int by) {
        return by >= 63 ? (index < 0 ? -1 : 0) : index >> by;
    }
}
