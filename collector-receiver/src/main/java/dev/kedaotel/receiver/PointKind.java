package dev.kedaotel.receiver;

import dev.kedaotel.receiver.OtlpSchema.ExponentialHistogramDataPoint;
import dev.kedaotel.receiver.OtlpSchema.HistogramDataPoint;
import dev.kedaotel.receiver.OtlpSchema.NumberDataPoint;
import dev.kedaotel.receiver.OtlpSchema.SummaryDataPoint;
import dev.kedaotel.receiver.OtlpSchema.ValueAtQuantile;
import java.util.Arrays;

/**
 * What differs between OTLP's data point types, so that one {@link DataPointWalker} can walk them all:
 * where a type keeps the fields every point has (its data points in the type message, its temporality,
 * the point's attributes, start time, time and flags), how it reads its own fields, and which Prometheus series a
 * point becomes:
 * <ul>
 *   <li>gauge, sum ({@link Numbers}) → {@code <name>};</li>
 *   <li>histogram → {@code <name>_sum} (when present), {@code <name>_count}, {@code <name>_bucket{le}}
 *       (cumulative counts, last {@code +Inf} = count);</li>
 *   <li>exponential histogram → {@code <name>_sum} (when present), {@code <name>_count}, {@code <name>_bucket{le}}
 *       (cumulative counts at the boundaries of the series' grid, see {@link ExponentialBuckets});</li>
 *   <li>summary → {@code <name>_sum}, {@code <name>_count}, {@code <name>{quantile}}.</li>
 * </ul>
 * An instance holds the scratch state of the point being read, so it is one per ingest worker and
 * type (gauge and sum share a class, not an instance), and reading a point allocates nothing once its
 * arrays have grown to the largest point seen. Not thread-safe.
 */
abstract sealed class PointKind {
    /** The tag of the type message's data points. */
    final int dataPointsTag;
    /** The tag of the type message's aggregation temporality; 0 when the type has none (never delta). */
    final int temporalityTag;
    /** The tags of the point's attributes, start time, time and flags. */
    final int attributesTag;
    final int startTimeTag;
    final int timeTag;
    final int flagsTag;

    private PointKind(int dataPointsTag, int temporalityTag, int attributesTag, int startTimeTag, int timeTag,
                      int flagsTag) {
        this.dataPointsTag = dataPointsTag;
        this.temporalityTag = temporalityTag;
        this.attributesTag = attributesTag;
        this.startTimeTag = startTimeTag;
        this.timeTag = timeTag;
        this.flagsTag = flagsTag;
    }

    /** Interns the names of the series the current metric's points write. */
    abstract void names(NameSymbols names);

    /** Forgets the previous point's own fields. */
    abstract void clear();

    /** Reads the field with tag {@code tag} at the cursor if it is one of the type's own; false to skip it. */
    abstract boolean read(int tag, ProtoCursor c) throws MalformedOtlpException;

    /** Writes the point's samples at {@code ts} in {@code mode} ({@link PointWriter#MODE_SET}…). */
    abstract void write(PointWriter out, long ts, int mode) throws MalformedOtlpException;

    static double unsignedToDouble(long v) {
        return v >= 0 ? (double) v : (double) (v >>> 1) * 2.0;
    }

    /** Gauge and sum points: one value, {@code as_double} or {@code as_int}. */
    static final class Numbers extends PointKind {
        private int name;
        private double value;

        Numbers(int dataPointsTag, int temporalityTag) {
            super(dataPointsTag, temporalityTag, NumberDataPoint.ATTRIBUTES_TAG, NumberDataPoint.START_TIME_UNIX_NANO_TAG,
                    NumberDataPoint.TIME_UNIX_NANO_TAG, NumberDataPoint.FLAGS_TAG);
        }

        @Override
        void names(NameSymbols names) {
            name = names.metric("");
        }

        @Override
        void clear() {
            value = 0;
        }

        @Override
        boolean read(int tag, ProtoCursor c) throws MalformedOtlpException {
            if (tag == NumberDataPoint.AS_DOUBLE_TAG) {
                value = c.readDouble();
            } else if (tag == NumberDataPoint.AS_INT_TAG) {
                value = (double) c.readFixed64();
            } else {
                return false;
            }
            return true;
        }

        @Override
        void write(PointWriter out, long ts, int mode) throws MalformedOtlpException {
            out.write(name, -1, -1, ts, value, mode);
        }
    }

    /** The types with a {@code count} and a {@code sum}, written as {@code <name>_count} and {@code <name>_sum}. */
    abstract static sealed class CountAndSum extends PointKind {
        private final int countTag;
        private final int sumTag;
        /** Summary's sum is not optional: its {@code _sum} is written even when the field is absent (as 0). */
        private final boolean sumAlways;
        private int sumName;
        private int countName;
        long count;
        private double sum;
        private boolean hasSum;

        private CountAndSum(int dataPointsTag, int temporalityTag, int attributesTag, int startTimeTag, int timeTag,
                            int flagsTag, int countTag, int sumTag, boolean sumAlways) {
            super(dataPointsTag, temporalityTag, attributesTag, startTimeTag, timeTag, flagsTag);
            this.countTag = countTag;
            this.sumTag = sumTag;
            this.sumAlways = sumAlways;
        }

        @Override
        void names(NameSymbols names) {
            sumName = names.metric("_sum");
            countName = names.metric("_count");
        }

        @Override
        void clear() {
            count = 0;
            sum = 0;
            hasSum = false;
        }

        @Override
        final boolean read(int tag, ProtoCursor c) throws MalformedOtlpException {
            if (tag == countTag) {
                count = c.readFixed64();
            } else if (tag == sumTag) {
                sum = c.readDouble();
                hasSum = true;
            } else {
                return readOwn(tag, c);
            }
            return true;
        }

        /** Reads a field besides count and sum; false to skip it. */
        abstract boolean readOwn(int tag, ProtoCursor c) throws MalformedOtlpException;

        /** Writes {@code _sum} (when sent or as a staleness marker, or always) and {@code _count}. */
        final void writeSumAndCount(PointWriter out, long ts, int mode) throws MalformedOtlpException {
            if (sumAlways || hasSum || mode == PointWriter.MODE_STALE) {
                out.write(sumName, -1, -1, ts, sum, mode);
            }
            out.write(countName, -1, -1, ts, unsignedToDouble(count), mode);
        }
    }

    /** Histogram points: count, sum, bucket counts and explicit bounds (packed or not). */
    static final class Histograms extends CountAndSum {
        private final IngestSink sink;
        private final FloatLabels floats;
        private final int leLabel;
        private final int infSym;
        private int bucketName;
        private long[] bucketCounts = new long[32];
        private int bucketCountSize;
        private double[] bounds = new double[32];
        private int boundSize;

        Histograms(int dataPointsTag, int temporalityTag, IngestSink sink, FloatLabels floats) {
            super(dataPointsTag, temporalityTag, HistogramDataPoint.ATTRIBUTES_TAG,
                    HistogramDataPoint.START_TIME_UNIX_NANO_TAG, HistogramDataPoint.TIME_UNIX_NANO_TAG, HistogramDataPoint.FLAGS_TAG, HistogramDataPoint.COUNT_TAG,
                    HistogramDataPoint.SUM_TAG, false);
            this.sink = sink;
            this.floats = floats;
            this.leLabel = sink.internPermanent("le");
            this.infSym = sink.internPermanent("+Inf");
        }

        @Override
        void names(NameSymbols names) {
            super.names(names);
            bucketName = names.metric("_bucket");
        }

        @Override
        void clear() {
            super.clear();
            bucketCountSize = 0;
            boundSize = 0;
        }

        @Override
        boolean readOwn(int tag, ProtoCursor c) throws MalformedOtlpException {
            switch (tag) {
                case HistogramDataPoint.BUCKET_COUNTS_UNPACKED_TAG -> addBucketCount(c.readFixed64());
                case HistogramDataPoint.EXPLICIT_BOUNDS_UNPACKED_TAG -> addBound(c.readDouble());
                case HistogramDataPoint.BUCKET_COUNTS_TAG, HistogramDataPoint.EXPLICIT_BOUNDS_TAG -> {
                    boolean counts = tag == HistogramDataPoint.BUCKET_COUNTS_TAG;
                    int saved = c.enter();
                    int end = c.limit;
                    while (c.hasMore()) {
                        long v = c.readFixed64();
                        if (counts) {
                            addBucketCount(v);
                        } else {
                            addBound(Double.longBitsToDouble(v));
                        }
                    }
                    c.leave(saved, end);
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        private void addBucketCount(long v) {
            if (bucketCountSize == bucketCounts.length) {
                bucketCounts = Arrays.copyOf(bucketCounts, bucketCountSize * 2);
            }
            bucketCounts[bucketCountSize++] = v;
        }

        private void addBound(double v) {
            if (boundSize == bounds.length) {
                bounds = Arrays.copyOf(bounds, boundSize * 2);
            }
            bounds[boundSize++] = v;
        }

        @Override
        void write(PointWriter out, long ts, int mode) throws MalformedOtlpException {
            writeSumAndCount(out, ts, mode);
            // Prometheus pairs bounds with counts and ignores extras on either side.
            int n = Math.min(boundSize, bucketCountSize);
            long cumulative = 0;
            for (int i = 0; i < n; i++) {
                cumulative += bucketCounts[i];
                out.write(bucketName, leLabel, floats.symbol(bounds[i], sink), ts, unsignedToDouble(cumulative), mode);
            }
            out.write(bucketName, leLabel, infSym, ts, unsignedToDouble(count), mode);
        }
    }

    /**
     * Exponential histogram points: count, sum and the buckets ({@link ExponentialBuckets}), written as
     * classic {@code _bucket{le}} series on the series' fixed grid ({@link ExponentialGrids}). A malformed
     * point is rejected whole, before any of its series is written.
     */
    static final class ExponentialHistograms extends CountAndSum {
        private final ExponentialBuckets buckets;
        private int bucketName;

        ExponentialHistograms(int dataPointsTag, int temporalityTag, IngestSink sink, FloatLabels floats,
                              ExponentialGrids grids) {
            super(dataPointsTag, temporalityTag, ExponentialHistogramDataPoint.ATTRIBUTES_TAG,
                    ExponentialHistogramDataPoint.START_TIME_UNIX_NANO_TAG, ExponentialHistogramDataPoint.TIME_UNIX_NANO_TAG, ExponentialHistogramDataPoint.FLAGS_TAG,
                    ExponentialHistogramDataPoint.COUNT_TAG, ExponentialHistogramDataPoint.SUM_TAG, false);
            this.buckets = new ExponentialBuckets(sink, floats, grids);
        }

        @Override
        void names(NameSymbols names) {
            super.names(names);
            bucketName = names.metric("_bucket");
        }

        @Override
        void clear() {
            super.clear();
            buckets.clear();
        }

        @Override
        boolean readOwn(int tag, ProtoCursor c) throws MalformedOtlpException {
            return buckets.read(tag, c);
        }

        @Override
        void write(PointWriter out, long ts, int mode) throws MalformedOtlpException {
            if (mode != PointWriter.MODE_STALE) {
                int rejection = buckets.check(count);
                if (rejection != 0) {
                    out.reject(rejection);
                    return;
                }
            }
            writeSumAndCount(out, ts, mode);
            buckets.write(out, bucketName, out.identity(bucketName), ts, count, mode);
        }
    }

    /** Summary points: count, sum and (quantile, value) pairs. */
    static final class Summaries extends CountAndSum {
        private final IngestSink sink;
        private final FloatLabels floats;
        private final int quantileLabel;
        private int name;
        private double[] quantiles = new double[32];
        private double[] values = new double[32];
        private int size;

        Summaries(int dataPointsTag, IngestSink sink, FloatLabels floats) {
            super(dataPointsTag, 0, SummaryDataPoint.ATTRIBUTES_TAG, SummaryDataPoint.START_TIME_UNIX_NANO_TAG,
                    SummaryDataPoint.TIME_UNIX_NANO_TAG,
                    SummaryDataPoint.FLAGS_TAG, SummaryDataPoint.COUNT_TAG, SummaryDataPoint.SUM_TAG, true);
            this.sink = sink;
            this.floats = floats;
            this.quantileLabel = sink.internPermanent("quantile");
        }

        @Override
        void names(NameSymbols names) {
            name = names.metric("");
            super.names(names);
        }

        @Override
        void clear() {
            super.clear();
            size = 0;
        }

        @Override
        boolean readOwn(int tag, ProtoCursor c) throws MalformedOtlpException {
            if (tag != SummaryDataPoint.QUANTILE_VALUES_TAG) {
                return false;
            }
            int saved = c.enter();
            int end = c.limit;
            double q = 0;
            double v = 0;
            while (c.hasMore()) {
                int t = c.readTag();
                if (t == ValueAtQuantile.QUANTILE_TAG) {
                    q = c.readDouble();
                } else if (t == ValueAtQuantile.VALUE_TAG) {
                    v = c.readDouble();
                } else {
                    c.skip(OtlpSchema.wireType(t));
                }
            }
            c.leave(saved, end);
            if (size == quantiles.length) {
                quantiles = Arrays.copyOf(quantiles, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            quantiles[size] = q;
            values[size++] = v;
            return true;
        }

        @Override
        void write(PointWriter out, long ts, int mode) throws MalformedOtlpException {
            writeSumAndCount(out, ts, mode);
            for (int i = 0; i < size; i++) {
                out.write(name, quantileLabel, floats.symbol(quantiles[i], sink), ts, values[i], mode);
            }
        }
    }
}
