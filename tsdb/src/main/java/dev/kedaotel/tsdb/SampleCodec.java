package dev.kedaotel.tsdb;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The one place that knows how samples are laid out in a block: Gorilla-style compression (delta-of-delta
 * timestamps, XOR'd float bits; Pelkonen et al., VLDB 2015) plus an integer-delta value code for the
 * counters and small gauges that dominate OTLP metrics. Values round-trip bit-exactly (staleness marker
 * payload, -0.0, ±Inf, every NaN); timestamps are full 64-bit milliseconds (no base, no range limit).
 *
 * <h2>Block layout ({@value #BLOCK_BYTES} bytes)</h2>
 * <pre>
 *   0        4        8                16               24                                        96
 *   +--------+--------+----------------+----------------+-----------------------------------------+
 *   | next   | count  | first ts       | first value    | bit stream: samples 1 .. count-1        |
 *   | i32    | i32    | i64            | f64 raw bits   | 9 × i64 words, MSB first ({@value #CAPACITY_BITS} bits)     |
 *   +--------+--------+----------------+----------------+-----------------------------------------+
 * </pre>
 * <b>next</b>: id of the following (newer) block of the series, {@code -1} while this is the newest;
 * <b>count</b>: samples published in this block (≥ 1). Sample 0 is stored raw, so every block decodes on
 * its own and can be dropped without touching its successor. A sample always lies wholly inside one block:
 * when its bits do not fit, it starts the next block instead (the unused tail bits stay zero).
 *
 * <h2>Sample codes (after sample 0)</h2>
 * Timestamp: {@code dod = (t - tPrev) - (tPrev - tPrevPrev)}; for sample 1 the previous delta is 0.
 * <pre>
 *   0                      dod = 0                                   1 bit
 *   10   + 7-bit signed    dod in [-64, 63]    (exporter jitter)      9 bits
 *   110  + 14-bit signed   dod in [-8192, 8191]                     17 bits
 *   1110 + 24-bit signed   dod in [-2^23, 2^23 - 1]                 28 bits
 *   1111 + 64 bits         any dod (wrapping arithmetic, exact)     68 bits
 * </pre>
 * Value, against the previous value's raw bits {@code p}; the writer picks the shortest code that applies:
 * <pre>
 *   0                               same bits                                          1 bit
 *   10   + 8-bit signed  d          v == (double) ((long) p + d), d in [-128, 127]     10 bits
 *   110  + 24-bit signed d          same, d in [-2^23, 2^23 - 1]                       27 bits
 *   1110 + w bits                   p XOR v fits the current window (w meaningful bits)  4 + w
 *   1111 + 6 lead + 6 (len-1) + len p XOR v, opening a new window                     16 + len
 * </pre>
 * The integer code applies whenever the reconstruction is bit-identical (checked by the writer), e.g. a
 * counter growing by small integers, whatever the previous value was. The XOR window (leading zeros,
 * meaningful length) starts empty in every block and only the XOR codes change it.
 *
 * <p>Writer state between appends is one int, the <em>cursor</em>: bit position (bits 0-15), window
 * leading zeros (16-23), window length (24-31, 0 = no window); plus the previous timestamp, delta and
 * value, which the ring keeps in its series header.
 *
 * <p>Bits are written by OR-ing into zeroed words with plain 64-bit stores: a word that already holds
 * published bits is rewritten with those bits unchanged, so a concurrent reader loading it sees the
 * published bits either way. Publication is the ring's release store of {@code count}.
 */
final class SampleCodec {
    static final int BLOCK_BYTES = 96;
    static final int NEXT_OFFSET = 0;
    static final int COUNT_OFFSET = 4;
    static final int FIRST_TS_OFFSET = 8;
    static final int FIRST_VALUE_OFFSET = 16;
    static final int BITS_OFFSET = 24;
    static final int CAPACITY_BITS = (BLOCK_BYTES - BITS_OFFSET) * 8;

    private SampleCodec() {
    }

    // ---- block header ----------------------------------------------------------------------------

    /** Zeroes a block and stores its first sample (next = -1, count = 1), with plain stores. */
    static void initBlock(UnsafeBuffer b, int at, long timestampMs, long valueBits) {
        b.setMemory(at, BLOCK_BYTES, (byte) 0);
        b.putInt(at + NEXT_OFFSET, BlockPool.NO_BLOCK);
        b.putInt(at + COUNT_OFFSET, 1);
        b.putLong(at + FIRST_TS_OFFSET, timestampMs);
        b.putLong(at + FIRST_VALUE_OFFSET, valueBits);
    }

    static int position(int cursor) {
        return cursor & 0xFFFF;
    }

    // ---- encoding sizes --------------------------------------------------------------------------

    static int timestampBits(long dod) {
        if (dod == 0) {
            return 1;
        }
        if (fitsSigned(dod, 7)) {
            return 9;
        }
        if (fitsSigned(dod, 14)) {
            return 17;
        }
        return fitsSigned(dod, 24) ? 28 : 68;
    }

    private static final int SAME = 0;
    private static final int INT8 = 1;
    private static final int INT24 = 2;
    private static final int IN_WINDOW = 3;
    private static final int NEW_WINDOW = 4;

    /**
     * The shortest value code for {@code bits} after {@code prev} given the cursor's window:
     * {@code kind << 8 | size in bits}; pass it to {@link #putValue}. {@link #codeBits} extracts the size.
     */
    static int valueCode(long prev, long bits, int cursor) {
        if (prev == bits) {
            return SAME << 8 | 1;
        }
        long d = integerDelta(prev, bits);
        int best = d == NO_DELTA ? NEW_WINDOW << 8 | 255
                : fitsSigned(d, 8) ? INT8 << 8 | 10 : fitsSigned(d, 24) ? INT24 << 8 | 27 : NEW_WINDOW << 8 | 255;
        long x = prev ^ bits;
        int lead = Long.numberOfLeadingZeros(x);
        int trail = Long.numberOfTrailingZeros(x);
        int wLead = (cursor >>> 16) & 0xFF;
        int wLen = cursor >>> 24;
        if (wLen != 0 && lead >= wLead && trail >= 64 - wLead - wLen && 4 + wLen < (best & 0xFF)) {
            best = IN_WINDOW << 8 | (4 + wLen);
        }
        int fresh = 16 + 64 - lead - trail;
        return fresh < (best & 0xFF) ? NEW_WINDOW << 8 | fresh : best;
    }

    static int codeBits(int valueCode) {
        return valueCode & 0xFF;
    }

    private static final long NO_DELTA = Long.MIN_VALUE;

    /** d with {@code (double) ((long) prev + d)} bit-identical to {@code bits}, or NO_DELTA. */
    private static long integerDelta(long prev, long bits) {
        long v = (long) Double.longBitsToDouble(bits);
        if (Double.doubleToRawLongBits((double) v) != bits) {
            return NO_DELTA; // not an integer (or -0.0, or beyond the long range)
        }
        return v - (long) Double.longBitsToDouble(prev);
    }

    private static boolean fitsSigned(long v, int n) {
        return (v << (64 - n)) >> (64 - n) == v;
    }

    // ---- writing -----------------------------------------------------------------------------------

    /** Writes the timestamp code at bit {@code pos}; returns the new position. The caller checked the fit. */
    static int putTimestamp(UnsafeBuffer b, int at, int pos, long dod) {
        if (dod == 0) {
            return put(b, at, pos, 0, 1);
        }
        if (fitsSigned(dod, 7)) {
            return put(b, at, pos, (0b10L << 7) | (dod & 0x7F), 9);
        }
        if (fitsSigned(dod, 14)) {
            return put(b, at, pos, (0b110L << 14) | (dod & 0x3FFF), 17);
        }
        if (fitsSigned(dod, 24)) {
            return put(b, at, pos, (0b1110L << 24) | (dod & 0xFF_FFFF), 28);
        }
        return put(b, at, put(b, at, pos, 0b1111, 4), dod, 64);
    }

    /**
     * Writes {@code code} (from {@link #valueCode} for the same arguments) at the cursor's position;
     * returns the new cursor (position and window). The caller checked the fit.
     */
    static int putValue(UnsafeBuffer b, int at, int cursor, long prev, long bits, int code) {
        int pos = position(cursor);
        int window = cursor & 0xFFFF_0000;
        switch (code >>> 8) {
            case SAME:
                return window | put(b, at, pos, 0, 1);
            case INT8:
                return window | put(b, at, pos, (0b10L << 8) | (integerDelta(prev, bits) & 0xFF), 10);
            case INT24:
                return window | put(b, at, pos, (0b110L << 24) | (integerDelta(prev, bits) & 0xFF_FFFF), 27);
            case IN_WINDOW: {
                int wLead = (cursor >>> 16) & 0xFF;
                int wLen = cursor >>> 24;
                pos = put(b, at, pos, 0b1110, 4);
                return window | put(b, at, pos, (prev ^ bits) >>> (64 - wLead - wLen), wLen);
            }
            default: {
                long x = prev ^ bits;
                int lead = Long.numberOfLeadingZeros(x);
                int trail = Long.numberOfTrailingZeros(x);
                int len = 64 - lead - trail;
                pos = put(b, at, pos, (0b1111L << 12) | ((long) lead << 6) | (len - 1), 16);
                pos = put(b, at, pos, x >>> trail, len);
                return (len << 24) | (lead << 16) | pos;
            }
        }
    }

    /** ORs the low {@code n} bits (1..64) of {@code v} into the stream at bit {@code pos}; returns pos + n. */
    private static int put(UnsafeBuffer b, int at, int pos, long v, int n) {
        if (n < 64) {
            v &= (1L << n) - 1;
        }
        int addr = at + BITS_OFFSET + ((pos >>> 6) << 3);
        int free = 64 - (pos & 63);
        if (n <= free) {
            b.putLong(addr, b.getLong(addr) | (v << (free - n)));
        } else {
            int rest = n - free;
            b.putLong(addr, b.getLong(addr) | (v >>> rest));
            b.putLong(addr + 8, b.getLong(addr + 8) | (v << (64 - rest)));
        }
        return pos + n;
    }

    // ---- reading -----------------------------------------------------------------------------------

    /** The 64 stream bits starting at {@code pos}, left-aligned (may include bits past the block: ignored). */
    private static long peek(UnsafeBuffer b, int at, int pos) {
        int addr = at + BITS_OFFSET + ((pos >>> 6) << 3);
        int off = pos & 63;
        long hi = b.getLong(addr);
        return off == 0 ? hi : (hi << off) | (b.getLong(addr + 8) >>> (64 - off));
    }

    /**
     * Decodes the block's first {@code count} samples and appends those with index {@code >= skip} and
     * {@code minTs <= t <= maxTs} to {@code out}. Returns false once a timestamp beyond {@code maxTs} was
     * seen (later blocks need not be read). Stops early, without failing, if the stream is inconsistent
     * (only possible when a too-slow reader decodes a block that was reused; the ring then retries).
     */
    static boolean decode(UnsafeBuffer b, int at, int count, int skip, long minTs, long maxTs, SampleBuffer out) {
        return decode(b, at, count, skip, minTs, maxTs, out, null);
    }

    /** {@link #resume}'s result: the last sample's timestamp, its value bits, the last delta, the cursor, 1 if decoded completely. */
    static final int END_TS = 0;
    static final int END_BITS = 1;
    static final int END_DELTA = 2;
    static final int END_CURSOR = 3;
    static final int END_COMPLETE = 4;

    /**
     * The writer's state after the block's first {@code count} samples (restore of a persisted chain):
     * fills {@code end} ({@link #END_TS} ...), {@code end[END_COMPLETE]} 0 when the stream is inconsistent.
     */
    static void resume(UnsafeBuffer b, int at, int count, long[] end) {
        end[END_COMPLETE] = 0;
        decode(b, at, count, count, Long.MIN_VALUE, Long.MAX_VALUE, null, end);
    }

    /**
     * Zeroes the stream bits from {@code pos} to the block's end: bits an append interrupted by the
     * process' death may have OR-ed in beyond the published samples (the writer assumes zeros there).
     */
    static void clearFrom(UnsafeBuffer b, int at, int pos) {
        int addr = at + BITS_OFFSET + ((pos >>> 6) << 3);
        int off = pos & 63;
        if (off != 0) {
            b.putLong(addr, b.getLong(addr) & (-1L << (64 - off)));
            addr += 8;
        }
        for (int end = at + BLOCK_BYTES; addr < end; addr += 8) {
            b.putLong(addr, 0L);
        }
    }

    /** The decoder; {@code end} (null on the read path) receives the writer state at a complete end, see {@link #resume}. */
    private static boolean decode(UnsafeBuffer b, int at, int count, int skip, long minTs, long maxTs, SampleBuffer out,
                                  long[] end) {
        long ts = b.getLong(at + FIRST_TS_OFFSET);
        long bits = b.getLong(at + FIRST_VALUE_OFFSET);
        long delta = 0;
        int pos = 0;
        int wLead = 0;
        int wLen = 0;
        for (int i = 0; ; ) {
            if (ts > maxTs) {
                return false;
            }
            if (i >= skip && ts >= minTs) {
                out.add(ts, Double.longBitsToDouble(bits));
            }
            if (++i >= count || pos >= CAPACITY_BITS) {
                if (end != null && i >= count) {
                    end[END_TS] = ts;
                    end[END_BITS] = bits;
                    end[END_DELTA] = delta;
                    end[END_CURSOR] = (wLen << 24) | (wLead << 16) | pos;
                    end[END_COMPLETE] = 1;
                }
                return true;
            }
            // One 64-bit peek usually covers both codes: a timestamp code of at most 28 bits leaves 36
            // valid bits, enough for the same-value and integer value codes (at most 27 bits).
            long w = peek(b, at, pos);
            long dod;
            int used;
            if (w >= 0) {
                dod = 0;
                used = 1;
            } else if ((w & 0x4000_0000_0000_0000L) == 0) {
                dod = (w << 2) >> 57;
                used = 9;
            } else if ((w & 0x2000_0000_0000_0000L) == 0) {
                dod = (w << 3) >> 50;
                used = 17;
            } else if ((w & 0x1000_0000_0000_0000L) == 0) {
                dod = (w << 4) >> 40;
                used = 28;
            } else {
                dod = peek(b, at, pos + 4);
                used = 68;
            }
            pos += used;
            delta += dod;
            ts += delta;
            if (pos >= CAPACITY_BITS) {
                return true;
            }
            w = used <= 28 ? w << used : peek(b, at, pos);
            if (w >= 0) {
                pos += 1;
            } else if ((w & 0x4000_0000_0000_0000L) == 0) {
                bits = Double.doubleToRawLongBits((double) ((long) Double.longBitsToDouble(bits) + ((w << 2) >> 56)));
                pos += 10;
            } else if ((w & 0x2000_0000_0000_0000L) == 0) {
                bits = Double.doubleToRawLongBits((double) ((long) Double.longBitsToDouble(bits) + ((w << 3) >> 40)));
                pos += 27;
            } else if ((w & 0x1000_0000_0000_0000L) == 0) {
                if (wLen == 0) {
                    return true; // no window in this block: inconsistent stream
                }
                bits ^= (peek(b, at, pos + 4) >>> (64 - wLen)) << (64 - wLead - wLen);
                pos += 4 + wLen;
            } else {
                wLead = (int) ((w << 4) >>> 58);
                wLen = (int) ((w << 10) >>> 58) + 1;
                if (wLead + wLen > 64) {
                    return true; // inconsistent stream
                }
                bits ^= (peek(b, at, pos + 16) >>> (64 - wLen)) << (64 - wLead - wLen);
                pos += 16 + wLen;
            }
        }
    }
}
