package dev.kedaotel.receiver;

import java.math.BigDecimal;

/**
 * Formats {@code le} and {@code quantile} label values the way Prometheus' OTLP translator does (Go's
 * {@code strconv.FormatFloat(v, 'f', -1, 64)}): the shortest decimal that round-trips, never an
 * exponent, no trailing {@code .0} ({@code 1}, {@code 0.005}, {@code 1000000}), and {@code +Inf},
 * {@code -Inf}, {@code NaN}. Symbols are cached per worker by the double's bits so the hot path does
 * not format or allocate for bounds seen before.
 */
final class FloatLabels {
    private final LongIntMap cache = new LongIntMap(1024);

    /** The interned symbol of {@code v}'s label text. */
    int symbol(double v, IngestSink sink) {
        long bits = Double.doubleToRawLongBits(v);
        int sym = cache.get(bits);
        if (sym == LongIntMap.MISSING) {
            sym = sink.intern(format(v));
            cache.put(bits, sym);
        }
        return sym;
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        // Double.toString gives the shortest round-tripping digits (possibly with an exponent);
        // BigDecimal re-renders them without exponent and without trailing zeros.
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
