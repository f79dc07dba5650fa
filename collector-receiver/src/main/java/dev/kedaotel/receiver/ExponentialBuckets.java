package dev.kedaotel.receiver;

import dev.kedaotel.receiver.OtlpSchema.Buckets;
import dev.kedaotel.receiver.OtlpSchema.ExponentialHistogramDataPoint;
import java.util.Arrays;

/**
 * The buckets of one exponential histogram point (scale, zero bucket, positive and negative buckets),
 * read from the wire and written as classic cumulative {@code _bucket{le}} series on the series'
 * {@link ExponentialGrids grid}, so that {@code histogram_quantile} works on them:
 * <ul>
 *   <li>negative buckets first, most negative first: {@code le="-base^j"} counts the values at or
 *       below it, from {@code -base^(hi+1)} (0) to {@code -base^lo} (all negative values);</li>
 *   <li>the zero bucket at {@code le=zero_threshold} ({@code "0"} for the SDKs' exact zeros), when the
 *       grid has negative values or zeros, and it is below the first positive boundary;</li>
 *   <li>positive buckets from {@code le="base^lo"} (the count of everything below the first bucket, so
 *       interpolation in the first bucket starts at its lower boundary, not at 0) to {@code base^(hi+1)};</li>
 *   <li>{@code le="+Inf"} = the point's count.</li>
 * </ul>
 * A negative bucket holds {@code [-base^(i+1), -base^i)} (its magnitudes are upper-inclusive), while
 * {@code le} is upper-inclusive on the value: only a value exactly on a negative boundary is counted
 * one bucket off. The cumulative counts are otherwise exact, at every boundary.
 *
 * <p>Malformed points are refused with a {@link RejectReason} before anything is written: a scale
 * outside [-10, 20], a count over 2^63-1 (negative as Java's long) or bucket counts that overflow
 * when added, bucket counts adding up to more than the point's count, a populated bucket outside the
 * doubles. Reading and writing allocate nothing once the arrays have grown to the largest point seen.
 * Not thread-safe; one per ingest worker.
 */
final class ExponentialBuckets {
    private final IngestSink sink;
    private final FloatLabels floats;
    private final ExponentialGrids grids;
    private final ExponentialGrids.Plan plan = new ExponentialGrids.Plan();
    private final int leLabel;
    private final int infSym;
    private final long retentionMs;

    // The point as read.
    private int scale;
    private long zeroCount;
    private double zeroThreshold;
    private int posOffset;
    private long[] pos = new long[64];
    private int posSize;
    private int negOffset;
    private long[] neg = new long[64];
    private int negSize;

    // The point on its grid.
    private long[] posAcc = new long[64];
    private long[] negAcc = new long[64];

    ExponentialBuckets(IngestSink sink, FloatLabels floats, ExponentialGrids grids) {
        this.sink = sink;
        this.floats = floats;
        this.grids = grids;
        this.leLabel = sink.internPermanent("le");
        this.infSym = sink.internPermanent("+Inf");
        this.retentionMs = sink.retentionMs();
    }

    void clear() {
        scale = 0;
        zeroCount = 0;
        zeroThreshold = 0;
        posOffset = 0;
        posSize = 0;
        negOffset = 0;
        negSize = 0;
    }

    /** Reads the field with tag {@code tag} if it is one of the buckets' fields; false to skip it. */
    boolean read(int tag, ProtoCursor c) throws MalformedOtlpException {
        switch (tag) {
            case ExponentialHistogramDataPoint.SCALE_TAG -> {
                long v = c.readVarint();
                // sint32: zigzag; a value beyond 32 bits is out of range whatever it decodes to.
                scale = v >>> 32 != 0 ? Integer.MAX_VALUE : (int) (v >>> 1) ^ -(int) (v & 1);
            }
            case ExponentialHistogramDataPoint.ZERO_COUNT_TAG -> zeroCount = c.readFixed64();
            case ExponentialHistogramDataPoint.ZERO_THRESHOLD_TAG -> zeroThreshold = c.readDouble();
            case ExponentialHistogramDataPoint.POSITIVE_TAG -> readBuckets(c, true);
            case ExponentialHistogramDataPoint.NEGATIVE_TAG -> readBuckets(c, false);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Reads a {@code Buckets} message; a repeated one merges as protobuf does (counts appended, offset replaced). */
    private void readBuckets(ProtoCursor c, boolean positive) throws MalformedOtlpException {
        int saved = c.enter();
        int end = c.limit;
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == Buckets.OFFSET_TAG) {
                long v = c.readVarint();
                int offset = (int) (v >>> 1) ^ -(int) (v & 1);
                if (positive) {
                    posOffset = offset;
                } else {
                    negOffset = offset;
                }
            } else if (t == Buckets.BUCKET_COUNTS_UNPACKED_TAG) {
                add(positive, c.readVarint());
            } else if (t == Buckets.BUCKET_COUNTS_TAG) {
                int s = c.enter();
                int e = c.limit;
                while (c.hasMore()) {
                    add(positive, c.readVarint());
                }
                c.leave(s, e);
            } else {
                c.skip(OtlpSchema.wireType(t));
            }
        }
        c.leave(saved, end);
    }

    private void add(boolean positive, long count) {
        if (positive) {
            if (posSize == pos.length) {
                pos = Arrays.copyOf(pos, posSize * 2);
            }
            pos[posSize++] = count;
        } else {
            if (negSize == neg.length) {
                neg = Arrays.copyOf(neg, negSize * 2);
            }
            neg[negSize++] = count;
        }
    }

    /**
     * Checks the point just read, whose count is {@code count}: 0 when it can be written, else the
     * {@link RejectReason} it is rejected for (before any of its series is written).
     */
    int check(long count) {
        if (scale < ExponentialBoundaries.MIN_SCALE || scale > ExponentialBoundaries.MAX_SCALE) {
            return RejectReason.EXP_HISTOGRAM_SCALE;
        }
        long total = zeroCount;
        if (total < 0) {
            return RejectReason.EXP_HISTOGRAM_COUNTS;
        }
        for (int i = 0; i < posSize; i++) {
            long v = pos[i];
            if (v < 0 || (total += v) < 0) {
                return RejectReason.EXP_HISTOGRAM_COUNTS;
            }
        }
        for (int i = 0; i < negSize; i++) {
            long v = neg[i];
            if (v < 0 || (total += v) < 0) {
                return RejectReason.EXP_HISTOGRAM_COUNTS;
            }
        }
        if (Long.compareUnsigned(total, count) > 0) {
            return RejectReason.EXP_HISTOGRAM_COUNT_MISMATCH;
        }
        int pf = first(pos, posSize);
        if (pf >= 0 && !inRange(posOffset, pf, last(pos, posSize))) {
            return RejectReason.EXP_HISTOGRAM_INDEX;
        }
        int nf = first(neg, negSize);
        if (nf >= 0 && !inRange(negOffset, nf, last(neg, negSize))) {
            return RejectReason.EXP_HISTOGRAM_INDEX;
        }
        return 0;
    }

    private boolean inRange(int offset, int first, int last) {
        return ExponentialBoundaries.inDoubleRange((long) offset + first, scale)
                && ExponentialBoundaries.inDoubleRange((long) offset + last, scale);
    }

    private static int first(long[] counts, int size) {
        for (int i = 0; i < size; i++) {
            if (counts[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    private static int last(long[] counts, int size) {
        for (int i = size - 1; i >= 0; i--) {
            if (counts[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Writes the {@code _bucket} series of a point that passed {@link #check}, in {@code mode}, as
     * series {@code key}'s grid has it after this point ({@code bucketName} is the {@code _bucket} name).
     */
    void write(PointWriter out, int bucketName, long key, long ts, long count, int mode)
            throws MalformedOtlpException {
        if (mode == PointWriter.MODE_STALE) {
            writeStale(out, bucketName, key, ts);
            return;
        }
        boolean delta = mode == PointWriter.MODE_DELTA;
        int pf = first(pos, posSize);
        int pl = last(pos, posSize);
        int nf = first(neg, negSize);
        int nl = last(neg, negSize);
        long negTotal = 0;
        for (int i = 0; i < negSize; i++) {
            negTotal += neg[i];
        }
        long posTotal = 0;
        for (int i = 0; i < posSize; i++) {
            posTotal += pos[i];
        }
        long expiredBefore = ts - retentionMs > ts ? Long.MIN_VALUE : ts - retentionMs;
        grids.plan(key, ts, expiredBefore, scale,
                pf < 0 ? ExponentialGrids.EMPTY_LO : (long) posOffset + pf, pf < 0 ? ExponentialGrids.EMPTY_HI : (long) posOffset + pl,
                nf < 0 ? ExponentialGrids.EMPTY_LO : (long) negOffset + nf, nf < 0 ? ExponentialGrids.EMPTY_HI : (long) negOffset + nl,
                zeroCount != 0 || nf >= 0, delta, negTotal, zeroCount, negTotal + zeroCount + posTotal, plan);
        int g = plan.scale;
        int by = scale - g;
        posAcc = regrid(pos, posSize, posOffset, by, plan.posLo, plan.posHi, posAcc);
        negAcc = regrid(neg, negSize, negOffset, by, plan.negLo, plan.negHi, negAcc);
        if (plan.coarsened()) {
            staleDropped(out, bucketName, ts, plan.prevScale, g, plan.prevPosLo, plan.prevPosHi, false);
            staleDropped(out, bucketName, ts, plan.prevScale, g, plan.prevNegLo, plan.prevNegHi, true);
        }
        // Earlier points' counts below a boundary the grid did not have before (delta only; see ExponentialGrids).
        boolean baselines = delta && plan.existed;
        long cumulative = 0;
        if (plan.negLo <= plan.negHi) {
            for (long j = plan.negHi + 1L; j >= plan.negLo; j--) {
                if (j <= plan.negHi) {
                    cumulative += negAcc[(int) (j - plan.negLo)];
                }
                long base = baselines && !wasWritten(j, g, plan.prevNegLo, plan.prevNegHi)
                        ? (plan.prevNegLo > plan.prevNegHi || shift(j, plan.prevScale - g) < plan.prevNegLo ? plan.priorNeg : 0)
                        : 0;
                writeLe(out, bucketName, -ExponentialBoundaries.boundary(j, g), ts, cumulative + base, mode);
            }
        }
        cumulative += zeroCount;
        double zeroLe = zeroThreshold > 0 ? zeroThreshold : 0.0; // NaN and negative thresholds are 0
        if (plan.zero && (plan.posLo > plan.posHi || zeroLe < ExponentialBoundaries.boundary(plan.posLo, g))) {
            long base = baselines && !plan.prevZero ? plan.priorNeg + plan.priorZero : 0;
            writeAt(out, bucketName, zeroLe, ts, cumulative + base, mode);
        }
        if (plan.posLo <= plan.posHi) {
            for (long j = plan.posLo; j <= plan.posHi + 1L; j++) {
                long base = baselines && !wasWritten(j, g, plan.prevPosLo, plan.prevPosHi)
                        ? (plan.prevPosLo > plan.prevPosHi || shift(j, plan.prevScale - g) < plan.prevPosLo
                                ? plan.priorNeg + plan.priorZero : plan.priorBuckets)
                        : 0;
                writeLe(out, bucketName, ExponentialBoundaries.boundary(j, g), ts, cumulative + base, mode);
                if (j <= plan.posHi) {
                    cumulative += posAcc[(int) (j - plan.posLo)];
                }
            }
        }
        out.write(bucketName, leLabel, infSym, ts, PointKind.unsignedToDouble(count), mode);
    }

    /** The point's counts at indices {@code >> by}, over {@code [lo, hi]} (the grid's range, covering the point's). */
    private static long[] regrid(long[] counts, int size, int offset, int by, int lo, int hi, long[] acc) {
        if (lo > hi) {
            return acc;
        }
        int n = hi - lo + 1;
        if (acc.length < n) {
            acc = new long[Math.max(n, acc.length * 2)];
        }
        Arrays.fill(acc, 0, n, 0L);
        for (int i = 0; i < size; i++) {
            if (counts[i] != 0) {
                acc[(int) (ExponentialBoundaries.downscale((long) offset + i, by) - lo)] += counts[i];
            }
        }
        return acc;
    }

    private static long shift(long index, int by) {
        return index << by;
    }

    /** Whether boundary {@code j} at scale {@code g} was a boundary of the grid before this point. */
    private boolean wasWritten(long j, int g, int prevLo, int prevHi) {
        if (prevLo > prevHi) {
            return false;
        }
        long f = shift(j, plan.prevScale - g);
        return f >= prevLo && f <= prevHi + 1L;
    }

    /** Marks stale the boundaries of the grid at {@code oldScale} that the grid at {@code newScale} lacks. */
    private void staleDropped(PointWriter out, int bucketName, long ts, int oldScale, int newScale, int lo, int hi,
                              boolean negative) throws MalformedOtlpException {
        if (lo > hi) {
            return;
        }
        long mask = (1L << (oldScale - newScale)) - 1;
        for (long j = lo; j <= hi + 1L; j++) {
            if ((j & mask) != 0) {
                double b = ExponentialBoundaries.boundary(j, oldScale);
                writeLe(out, bucketName, negative ? -b : b, ts, 0, PointWriter.MODE_STALE);
            }
        }
    }

    /** A NoRecordedValue point: a staleness marker on every boundary of the series' grid. */
    private void writeStale(PointWriter out, int bucketName, long key, long ts) throws MalformedOtlpException {
        if (grids.current(key, plan)) {
            int g = plan.scale;
            if (plan.negLo <= plan.negHi) {
                for (long j = plan.negLo; j <= plan.negHi + 1L; j++) {
                    writeLe(out, bucketName, -ExponentialBoundaries.boundary(j, g), ts, 0, PointWriter.MODE_STALE);
                }
            }
            if (plan.zero) {
                writeAt(out, bucketName, zeroThreshold > 0 ? zeroThreshold : 0.0, ts, 0, PointWriter.MODE_STALE);
            }
            if (plan.posLo <= plan.posHi) {
                for (long j = plan.posLo; j <= plan.posHi + 1L; j++) {
                    writeLe(out, bucketName, ExponentialBoundaries.boundary(j, g), ts, 0, PointWriter.MODE_STALE);
                }
            }
        }
        out.write(bucketName, leLabel, infSym, ts, 0, PointWriter.MODE_STALE);
    }

    /**
     * Writes one bucket boundary; one that leaves the doubles (0 or infinite, at very coarse scales or at
     * the ends of the double range) is left out: its neighbours, the zero boundary and {@code +Inf} carry its counts.
     */
    private void writeLe(PointWriter out, int bucketName, double le, long ts, long cumulative, int mode)
            throws MalformedOtlpException {
        if (le == 0.0 || Double.isInfinite(le)) {
            return;
        }
        writeAt(out, bucketName, le, ts, cumulative, mode);
    }

    private void writeAt(PointWriter out, int bucketName, double le, long ts, long cumulative, int mode)
            throws MalformedOtlpException {
        out.write(bucketName, leLabel, floats.symbol(le, sink), ts, PointKind.unsignedToDouble(cumulative), mode);
    }
}
