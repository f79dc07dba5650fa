package dev.kedaotel.receiver;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The {@link SeriesCache}'s key: its layout and its hash, in one place, because the hash is computed
 * while a request is walked and again from a stored key when the cache's index grows
 * ({@link #hashOfStored}), and both must agree.
 *
 * <pre>
 *   context (ints little-endian)                                                   attributes
 *   +------+---------------------+--------+------------+-------------+----------------------------+
 *   | kind | resource context id | metric | extra name | extra value | KeyValue fields, as sent   |
 *   +------+---------------------+--------+------------+-------------+----------------------------+
 *   0      1                     5        9            13            context length (9 or 17)
 *   kind 0: no extra label (extra name and value -1, not stored); kind 1: an extra label ({@code le}, {@code quantile})
 * </pre>
 * {@link TargetInfo} keys a resource's {@code target_info} as kind 1 with metric {@code target_info}, extra
 * label {@code __name__=target_info} (which no data point writes) and the resource's attribute fields as
 * the attribute bytes.
 * The resource context id names the promoted resource labels of the point's {@code ResourceMetrics} in
 * the cache's {@link ResourceContexts}. Hash: {@link #attributeHash} once per data point, then
 * {@link #seriesHash} per series it writes. Never 0.
 */
final class CacheKeys {
    /** Context bytes without an extra label: kind, resource context id, metric. */
    static final int PLAIN_CONTEXT_BYTES = 9;
    /** Context bytes with an extra label. */
    static final int EXTRA_CONTEXT_BYTES = 17;

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private CacheKeys() {
    }

    /** Writes a key's context into {@code context} (at least {@value #EXTRA_CONTEXT_BYTES} bytes); returns its length. */
    static int writeContext(byte[] context, int resourceId, int metric, int extraName, int extraValue) {
        INTS.set(context, 1, resourceId);
        INTS.set(context, 5, metric);
        if (extraName == -1 && extraValue == -1) {
            context[0] = 0;
            return PLAIN_CONTEXT_BYTES;
        }
        context[0] = 1;
        INTS.set(context, 9, extraName);
        INTS.set(context, 13, extraValue);
        return EXTRA_CONTEXT_BYTES;
    }

    /** The hash state of a data point's attribute bytes (once per point). */
    static long attributeHash(byte[] buf, int off, int len) {
        return hashBytes(buf, off, len);
    }

    /** The slot hash of one series of a point. Never 0. */
    static int seriesHash(long attributeHash, int resourceId, int metric, int extraName, int extraValue) {
        return finish(mix(mix(mix(mix(attributeHash, resourceId), metric), extraName), extraValue));
    }

    /** {@link #seriesHash} of a key stored as context + attributes at {@code key[off, off + keyLength)}. */
    static int hashOfStored(byte[] key, int off, int contextLength, int keyLength) {
        long attributes = attributeHash(key, off + contextLength, keyLength - contextLength);
        boolean extra = key[off] != 0;
        return seriesHash(attributes, (int) INTS.get(key, off + 1), (int) INTS.get(key, off + 5),
                extra ? (int) INTS.get(key, off + 9) : -1, extra ? (int) INTS.get(key, off + 13) : -1);
    }

    /** Hash of a resource's label ints, as bytes (for {@link ResourceContexts}). */
    static int resourceHash(byte[] ints, int len) {
        return finish(hashBytes(ints, 0, len));
    }

    /** Writes the {@code i}-th int of a resource's label ints. */
    static void setResourceInt(byte[] ints, int i, int v) {
        INTS.set(ints, 4 * i, v);
    }

    /** Hash state of {@code buf[off, off+len)}, eight bytes at a time. */
    private static long hashBytes(byte[] buf, int off, int len) {
        long h = 0x9E3779B97F4A7C15L ^ len;
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = (h ^ (long) LONGS.get(buf, i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        for (; i < end; i++) {
            h = (h ^ (buf[i] & 0xff)) * 0x94D049BB133111EBL;
        }
        return h;
    }

    private static long mix(long h, int v) {
        h = (h ^ (v & 0xffffffffL)) * 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    private static int finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        int r = (int) h;
        return r == 0 ? 1 : r;
    }
}
