package dev.kedaotel.receiver;

import dev.kedaotel.model.GoFloats;

/**
 * Formats {@code le} and {@code quantile} label values the way Prometheus' OTLP translator does (Go's
 * {@code strconv.FormatFloat(v, 'f', -1, 64)}): the shortest decimal that round-trips, never an
 * exponent, no trailing {@code .0} ({@code 1}, {@code 0.005}, {@code 1000000}), and {@code +Inf},
 * {@code -Inf}, {@code NaN}. Symbols are cached per worker by the double's bits so the hot path does
 * not format or allocate for bounds seen before.
 */
final class FloatLabels {
    private final LongIntMap cache = new LongIntMap(1024);

    /** Forgets the cached symbols (they may have been freed). */
    void clear() {
        cache.clear();
    }

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

    /** Go's shortest 'f' formatting, as Prometheus' OTLP translation writes {@code le} and {@code quantile}. */
    static String format(double v) {
        return GoFloats.formatF(v);
    }
}
