package dev.kedaotel.tsdb;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one place that knows how samples are laid out in a ring slot. A slot of capacity {@code cap} is
 * a base timestamp followed by two columns, 12 bytes per sample instead of 16:
 *
 * <pre>
 *   0              8                          8 + A                          8 + A + 8·cap
 *   +--------------+--------------------------+------------------------------+
 *   | base ts (i64)| ts − base, ms (i32) × cap| value (f64 bits) × cap       |
 *   +--------------+--------------------------+------------------------------+
 *   A = 4·cap rounded up to a multiple of 8, so every value is 8-byte aligned
 * </pre>
 * Why a per-slot base: a window of samples spans minutes, so a 32-bit millisecond offset (±24.8 days)
 * is exact; the base is written once per slot use, before any sample in it is published, and only
 * changes when the ring moves to another slot (which readers detect through the descriptor). A sample
 * whose offset would not fit makes the ring move to a fresh slot with a new base
 * ({@link #fits}). Slot offsets are 8-byte aligned, so each field is naturally aligned and each plain
 * load or store of one field is single-copy atomic; a sample as a whole is not, which the ring's
 * reader protocol accounts for.
 */
final class SampleCodec {
    /** Bytes a slot needs before its columns. */
    static final int BASE_BYTES = 8;

    private SampleCodec() {
    }

    /** Total bytes of a slot holding {@code cap} samples (a multiple of 8). */
    static int slotBytes(int cap) {
        return valuesOffset(cap) + (cap << 3);
    }

    private static int valuesOffset(int cap) {
        return BASE_BYTES + (((cap << 2) + 7) & ~7);
    }

    /** Largest capacity whose slot size stays a positive int. */
    static int maxCapacity() {
        return (Integer.MAX_VALUE - 64) / 12;
    }

    static void writeBase(UnsafeBuffer buffer, int slot, long baseTimestampMs) {
        buffer.putLong(slot, baseTimestampMs);
    }

    static long base(UnsafeBuffer buffer, int slot) {
        return buffer.getLong(slot);
    }

    /** Whether {@code timestampMs} can be stored in a slot with this base. */
    static boolean fits(long timestampMs, long base) {
        long d = timestampMs - base;
        return d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE;
    }

    /** Stores sample position {@code pos}; the caller checked {@link #fits}. */
    static void write(UnsafeBuffer buffer, int slot, int cap, int pos, long base, long timestampMs, double value) {
        buffer.putInt(slot + BASE_BYTES + (pos << 2), (int) (timestampMs - base));
        buffer.putLong(slot + valuesOffset(cap) + (pos << 3), Double.doubleToRawLongBits(value));
    }

    static long timestamp(UnsafeBuffer buffer, int slot, int pos, long base) {
        return base + buffer.getInt(slot + BASE_BYTES + (pos << 2));
    }

    static double value(UnsafeBuffer buffer, int slot, int cap, int pos) {
        return Double.longBitsToDouble(buffer.getLong(slot + valuesOffset(cap) + (pos << 3)));
    }
}
