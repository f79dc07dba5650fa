package dev.kedaotel.tsdb;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one place that knows how a sample is laid out in ring memory, so a compressed encoding can
 * replace it later without touching the ring protocol. Today: 16 bytes, native byte order.
 *
 * <pre>
 *   0                   8                   16
 *   +-------------------+-------------------+
 *   | timestamp ms (i64)| value (f64 bits)  |
 *   +-------------------+-------------------+
 * </pre>
 * Both fields are 8-byte aligned (slots are 16-byte aligned), so on 64-bit platforms each plain load
 * or store of one field is single-copy atomic; a sample as a whole is not, which the ring's reader
 * protocol accounts for.
 */
final class SampleCodec {
    static final int BYTES = 16;
    static final int SHIFT = 4;
    private static final int VALUE_OFFSET = 8;

    private SampleCodec() {
    }

    static void write(UnsafeBuffer buffer, int offset, long timestampMs, double value) {
        buffer.putLong(offset, timestampMs);
        buffer.putLong(offset + VALUE_OFFSET, Double.doubleToRawLongBits(value));
    }

    static long timestamp(UnsafeBuffer buffer, int offset) {
        return buffer.getLong(offset);
    }

    static double value(UnsafeBuffer buffer, int offset) {
        return Double.longBitsToDouble(buffer.getLong(offset + VALUE_OFFSET));
    }

    /** Copies one sample between slots (used when a ring moves to a bigger size class). */
    static void copy(UnsafeBuffer from, int fromOffset, UnsafeBuffer to, int toOffset) {
        to.putLong(toOffset, from.getLong(fromOffset));
        to.putLong(toOffset + VALUE_OFFSET, from.getLong(fromOffset + VALUE_OFFSET));
    }
}
