package dev.kedaotel.receiver;

import dev.kedaotel.receiver.OtlpSchema.AggregationTemporality;
import dev.kedaotel.receiver.OtlpSchema.DataPointFlags;

/**
 * Walks the data points of one metric's type message ({@code Gauge}, {@code Sum}, {@code Histogram},
 * {@code ExponentialHistogram} or {@code Summary}), whatever the type: the fields every data point has
 * are read here, once (the attributes' byte range is noted for {@link PointWriter}, the time replaces
 * zero by the arrival time, the flags turn NoRecordedValue into a staleness marker on each series the
 * point would write), the type's own fields go to its {@link PointKind}, which then writes the point's
 * samples. Each point is counted, with the first rejection one of its series got, in the request's
 * {@link RejectionTally}. A point's {@code start_time_unix_nano} is read but not stored, nor are its
 * exemplars.
 *
 * <p>Protobuf does not fix field order, so the type message's temporality is scanned for before its
 * points. Allocation-free. Not thread-safe; one per ingest worker, sharing the worker's cursor.
 */
final class DataPointWalker {
    private final ProtoCursor c;
    private final PointWriter out;

    DataPointWalker(ProtoCursor c, PointWriter out) {
        this.c = c;
        this.out = out;
    }

    /**
     * Stores the points of the type message filling the cursor's range, as the metric whose name is
     * {@code buf[nameOff, nameOff+nameLen)} (names already set in {@code kind}).
     */
    void walk(PointKind kind, long nowMs, RejectionTally tally, int nameOff, int nameLen)
            throws MalformedOtlpException {
        boolean delta = kind.temporalityTag != 0 && isDelta(kind.temporalityTag);
        int attributesTag = kind.attributesTag;
        int startTimeTag = kind.startTimeTag;
        int timeTag = kind.timeTag;
        int flagsTag = kind.flagsTag;
        while (c.hasMore()) {
            int t = c.readTag();
            if (t != kind.dataPointsTag) {
                c.skip(OtlpSchema.wireType(t));
                continue;
            }
            int saved = c.enter();
            int end = c.limit;
            out.beginPoint(attributesTag, end);
            kind.clear();
            long time = 0;
            long flags = 0;
            while (c.hasMore()) {
                int at = c.pos;
                int f = c.readTag();
                if (f == attributesTag) {
                    c.pos = c.readLengthEnd();
                    out.noteAttribute(at, c.pos);
                } else if (f == timeTag) {
                    time = c.readFixed64();
                } else if (f == startTimeTag) {
                    c.readFixed64(); // not stored: the series are cumulative from their first sample
                } else if (f == flagsTag) {
                    flags = c.readVarint();
                } else if (!kind.read(f, c)) {
                    c.skip(OtlpSchema.wireType(f));
                }
            }
            c.leave(saved, end);
            out.endFields();
            kind.write(out, timestampMs(time, nowMs), mode(flags, delta));
            tally.received(1);
            int outcome = out.outcome();
            if (RejectReason.isRejection(outcome)) {
                tally.reject(outcome, 1, c.buf, nameOff, nameLen);
            }
        }
    }

    /** Counts the data points of the type message at the cursor, leaving the cursor unchanged. */
    long countPoints(PointKind kind) throws MalformedOtlpException {
        int start = c.pos;
        long n = 0;
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == kind.dataPointsTag) {
                n++;
            }
            c.skip(OtlpSchema.wireType(t));
        }
        c.pos = start;
        return n;
    }

    /** Reads the aggregation temporality of the type message at the cursor, leaving the cursor unchanged. */
    private boolean isDelta(int temporalityTag) throws MalformedOtlpException {
        int start = c.pos;
        long temporality = 0;
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == temporalityTag) {
                temporality = c.readVarint();
            } else {
                c.skip(OtlpSchema.wireType(t));
            }
        }
        c.pos = start;
        return temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
    }

    private static long timestampMs(long unixNano, long nowMs) {
        return unixNano == 0 ? nowMs : Long.divideUnsigned(unixNano, 1_000_000L);
    }

    private static int mode(long flags, boolean delta) {
        if ((flags & DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK) != 0) {
            return PointWriter.MODE_STALE;
        }
        return delta ? PointWriter.MODE_DELTA : PointWriter.MODE_SET;
    }
}
