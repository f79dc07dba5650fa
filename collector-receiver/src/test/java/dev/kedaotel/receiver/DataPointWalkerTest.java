package dev.kedaotel.receiver;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.attrs;
import static dev.kedaotel.receiver.Otlp.nanos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.model.StaleMarker;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one data point walker with each {@link PointKind}, on type messages encoded by the generated
 * classes (concatenated where a test needs another field order), into a recording sink.
 */
class DataPointWalkerTest {
    private static final long NOW = T0_MS + 60_000;
    private static final byte[] NAME = "m".getBytes(StandardCharsets.UTF_8);

    private final RecordingSink sink = new RecordingSink();
    private final ProtoCursor c = new ProtoCursor();
    private final AttributeValues values = new AttributeValues(sink);
    private final NameSymbols names = new NameSymbols(sink);
    private final PointWriter writer;
    private final DataPointWalker walker;
    private final RejectionTally tally = new RejectionTally();
    private final FloatLabels floats = new FloatLabels();

    DataPointWalkerTest() throws MalformedOtlpException {
        ResourceLabels resource = new ResourceLabels(ReceiverConfig.defaults(), sink, values, names);
        resource.begin();
        resource.finish(new byte[0]);
        writer = new PointWriter(c, sink, resource, new PointAttributes(sink, values, names), null);
        writer.resourceChanged();
        walker = new DataPointWalker(c, writer);
    }

    /** Walks the type message {@code parts} (concatenated) as metric "m". */
    private void walk(PointKind kind, byte[]... parts) throws MalformedOtlpException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        byte[] buf = out.toByteArray();
        c.reset(buf, 0, buf.length);
        names.setMetric(NAME, 0, NAME.length);
        kind.names(names);
        walker.walk(kind, NOW, tally, 0, 1);
    }

    private PointKind sum() {
        return new PointKind.Numbers(OtlpSchema.Sum.DATA_POINTS_TAG, OtlpSchema.Sum.AGGREGATION_TEMPORALITY_TAG);
    }

    @Test
    void readsTheCommonFieldsInAnyOrderAndSkipsUnknownOnes() throws Exception {
        NumberDataPoint p = NumberDataPoint.newBuilder().setAsInt(7).setStartTimeUnixNano(nanos(T0_MS - 1))
                .setTimeUnixNano(nanos(T0_MS)).addAllAttributes(attrs("pod", "a")).build();
        // Attributes first, then time, then the value: against field-number order.
        byte[] attrsFirst = NumberDataPoint.newBuilder().addAllAttributes(attrs("pod", "b")).build().toByteArray();
        byte[] timeThenValue = NumberDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS)).setAsDouble(2.5).build()
                .toByteArray();
        byte[] reordered = concat(attrsFirst, timeThenValue);
        walk(sum(), Sum.newBuilder().addDataPoints(p).build().toByteArray(), pointField(reordered));
        assertEquals(7, sink.last("__name__", "m", "pod", "a"));
        assertEquals(2.5, sink.last("__name__", "m", "pod", "b"));
        assertEquals(2, tally.received());
        assertEquals(0, tally.rejected());
    }

    @Test
    void aZeroTimeIsTheArrivalTime() throws Exception {
        walk(sum(), Sum.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1)).build().toByteArray());
        assertEquals(List.of(new RecordingSink.Sample(NOW, 1)), sink.samples("__name__", "m"));
    }

    @Test
    void deltaTemporalitySentAfterThePointsStillAccumulates() throws Exception {
        byte[] points = Sum.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS)).setAsDouble(2))
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS + 1)).setAsDouble(3))
                .build().toByteArray();
        byte[] delta = Sum.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                .build().toByteArray();
        walk(sum(), points, delta);
        assertEquals(5, sink.last("__name__", "m"));
    }

    @Test
    void aHistogramPairsBoundsWithCountsPackedOrNot() throws Exception {
        PointKind kind = new PointKind.Histograms(OtlpSchema.Histogram.DATA_POINTS_TAG,
                OtlpSchema.Histogram.AGGREGATION_TEMPORALITY_TAG, sink, floats);
        HistogramDataPoint packed = HistogramDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS)).setCount(6)
                .addBucketCounts(1).addBucketCounts(2).addExplicitBounds(0.5).build();
        // One more bound and count, unpacked: field 7 and field 6 as single fixed64 values.
        byte[] unpacked = concat(new byte[] {(byte) OtlpSchema.HistogramDataPoint.EXPLICIT_BOUNDS_UNPACKED_TAG},
                le64(Double.doubleToLongBits(1.0)),
                new byte[] {(byte) OtlpSchema.HistogramDataPoint.BUCKET_COUNTS_UNPACKED_TAG}, le64(3));
        walk(kind, pointField(concat(packed.toByteArray(), unpacked)));
        assertEquals(1, sink.last("__name__", "m_bucket", "le", "0.5"));
        assertEquals(3, sink.last("__name__", "m_bucket", "le", "1"));
        assertEquals(6, sink.last("__name__", "m_bucket", "le", "+Inf"));
        assertEquals(6, sink.last("__name__", "m_count"));
        assertNull(sink.samples("__name__", "m_sum"), "no sum sent, no _sum series");
    }

    @Test
    void noRecordedValueMarksEverySeriesThePointWouldWriteStale() throws Exception {
        PointKind kind = new PointKind.ExponentialHistograms(OtlpSchema.ExponentialHistogram.DATA_POINTS_TAG,
                OtlpSchema.ExponentialHistogram.AGGREGATION_TEMPORALITY_TAG, sink, floats, new ExponentialGrids(64));
        walk(kind, ExponentialHistogram.newBuilder().addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                .setTimeUnixNano(nanos(T0_MS)).setCount(2).setSum(3)).build().toByteArray());
        walk(kind, ExponentialHistogram.newBuilder().addDataPoints(ExponentialHistogramDataPoint.newBuilder()
                .setTimeUnixNano(nanos(T0_MS + 1)).setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE))
                .build().toByteArray());
        assertTrue(StaleMarker.isStale(sink.last("__name__", "m_sum")));
        assertTrue(StaleMarker.isStale(sink.last("__name__", "m_count")));
        assertTrue(StaleMarker.isStale(sink.last("__name__", "m_bucket", "le", "+Inf")));
    }

    @Test
    void aSummaryAlwaysWritesItsSumAndEachQuantile() throws Exception {
        PointKind kind = new PointKind.Summaries(OtlpSchema.Summary.DATA_POINTS_TAG, sink, floats);
        walk(kind, Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS))
                .setCount(4)
                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(10))
                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(20)))
                .build().toByteArray());
        assertEquals(0, sink.last("__name__", "m_sum"));
        assertEquals(4, sink.last("__name__", "m_count"));
        assertEquals(10, sink.last("__name__", "m", "quantile", "0.5"));
        assertEquals(20, sink.last("__name__", "m", "quantile", "0.99"));
    }

    @Test
    void aRejectedSeriesRejectsItsPointOnce() throws Exception {
        PointKind kind = new PointKind.Histograms(OtlpSchema.Histogram.DATA_POINTS_TAG,
                OtlpSchema.Histogram.AGGREGATION_TEMPORALITY_TAG, sink, floats);
        for (long ms : new long[] {T0_MS, T0_MS - 1}) { // the second is out of order on every series
            walk(kind, Histogram.newBuilder().addDataPoints(HistogramDataPoint.newBuilder()
                    .setTimeUnixNano(nanos(ms)).setCount(1).setSum(1)).build().toByteArray());
        }
        assertEquals(2, tally.received());
        assertEquals(1, tally.rejected());
    }

    @Test
    void countsThePointsOfATypeMessage() throws Exception {
        byte[] buf = Sum.newBuilder().addDataPoints(NumberDataPoint.getDefaultInstance())
                .addDataPoints(NumberDataPoint.getDefaultInstance()).setIsMonotonic(true).build().toByteArray();
        c.reset(buf, 0, buf.length);
        assertEquals(2, walker.countPoints(sum()));
        assertEquals(0, c.pos, "cursor unchanged");
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A type message's data point field (field 1) holding {@code point}; {@code point} under 128 bytes. */
    private static byte[] pointField(byte[] point) {
        assertTrue(point.length < 128);
        return concat(new byte[] {(byte) OtlpSchema.Sum.DATA_POINTS_TAG, (byte) point.length}, point);
    }

    private static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
