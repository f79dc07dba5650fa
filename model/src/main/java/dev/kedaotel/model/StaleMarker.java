package dev.kedaotel.model;

/**
 * Prometheus' staleness marker: a NaN with a specific bit pattern, distinct from an ordinary NaN
 * sample. Written when OTLP flags a point NoRecordedValue; a series whose latest sample is the marker
 * is absent from instant queries from that timestamp on, and markers never appear in range vectors.
 */
public final class StaleMarker {
    public static final long BITS = 0x7ff0000000000002L;
    public static final double VALUE = Double.longBitsToDouble(BITS);

    private StaleMarker() {
    }

    public static boolean isStale(double v) {
        return Double.doubleToRawLongBits(v) == BITS;
    }
}
