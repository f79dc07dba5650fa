package dev.kedaotel.receiver;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.attr;
import static dev.kedaotel.receiver.Otlp.nanos;
import static dev.kedaotel.receiver.Otlp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.model.StaleMarker;
import dev.kedaotel.model.TimeSource;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Exponential histograms as classic {@code _bucket{le}} series, through the real ingestor into a
 * recording sink: the boundary math, merging to the bucket limit, negative and zero buckets, the
 * fixed grid across scale changes (cumulative and delta) and the rejections of malformed points.
 */
class ExponentialHistogramMappingTest {
    private static final long NOW = T0_MS + 60_000;

    private final RecordingSink sink = new RecordingSink();
    private OtlpIngestor ingestor = ingestor(64);

    private OtlpIngestor ingestor(int maxBuckets) {
        return new OtlpIngestor(ReceiverConfig.builder().exponentialHistogramMaxBuckets(maxBuckets).build(),
                new ReceiverStats(), () -> sink, TimeSource.wallClock(() -> NOW));
    }

    private ExportResult export(ExportMetricsServiceRequest request) throws MalformedOtlpException {
        return ingestor.export(request.toByteArray(), ReceiverStats.Transport.GRPC);
    }

    private static Metric metric(String name, AggregationTemporality t, ExponentialHistogramDataPoint.Builder... points) {
        ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder().setAggregationTemporality(t);
        for (ExponentialHistogramDataPoint.Builder p : points) {
            h.addDataPoints(p);
        }
        return Metric.newBuilder().setName(name).setExponentialHistogram(h).build();
    }

    private static Metric cumulative(String name, ExponentialHistogramDataPoint.Builder... points) {
        return metric(name, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, points);
    }

    private static ExponentialHistogramDataPoint.Builder point(long ms, int scale, long zero, int posOffset, long... pos) {
        long count = zero;
        Buckets.Builder b = Buckets.newBuilder().setOffset(posOffset);
        for (long c : pos) {
            b.addBucketCounts(c);
            count += c;
        }
        return ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(nanos(ms)).setScale(scale)
                .setZeroCount(zero).setPositive(b).setCount(count);
    }

    /** The latest value of each {@code le} of {@code name_bucket}, by boundary (+Inf last); stale ones left out. */
    private Map<Double, Double> buckets(String name) {
        Map<Double, Double> out = new TreeMap<>();
        sink.series().forEach((labels, samples) -> {
            if ((name + "_bucket").equals(labels.get("__name__"))) {
                double v = samples.get(samples.size() - 1).value();
                if (!StaleMarker.isStale(v)) {
                    String le = labels.get("le");
                    out.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), v);
                }
            }
        });
        return out;
    }

    private static void assertCumulative(Map<Double, Double> buckets) {
        double prev = 0;
        for (double v : buckets.values()) {
            assertTrue(v >= prev, "cumulative counts must not decrease: " + buckets);
            prev = v;
        }
    }

    @Test
    void boundariesAreBaseToTheIndexAndNestAcrossScales() {
        assertEquals(1.0, ExponentialBoundaries.boundary(0, 0));
        assertEquals(2.0, ExponentialBoundaries.boundary(1, 0));
        assertEquals(0.25, ExponentialBoundaries.boundary(-2, 0));
        assertEquals(1024.0, ExponentialBoundaries.boundary(10, 0));
        assertEquals(Math.sqrt(2), ExponentialBoundaries.boundary(1, 1), 1e-15);
        assertEquals(Math.pow(2, -1.0 / 8), ExponentialBoundaries.boundary(-1, 3), 1e-15);
        assertEquals(16.0, ExponentialBoundaries.boundary(1, -2));
        for (int s = -10; s < 3; s++) {
            for (long i = -50; i <= 50; i++) {
                // A boundary of scale s is boundary 2i of scale s+1: merging pairs is exact.
                assertEquals(ExponentialBoundaries.boundary(i, s), ExponentialBoundaries.boundary(2 * i, s + 1), "i=" + i + " s=" + s);
            }
        }
        assertEquals(Double.POSITIVE_INFINITY, ExponentialBoundaries.boundary(1024, 0));
        assertEquals(Double.POSITIVE_INFINITY, ExponentialBoundaries.boundary(1, -10));
        assertEquals(0.0, ExponentialBoundaries.boundary(-1200, 0));
        assertEquals(-1, ExponentialBoundaries.downscale(-1, 1));
        assertEquals(-2, ExponentialBoundaries.downscale(-3, 1));
        assertEquals(1, ExponentialBoundaries.downscale(3, 1));
        assertEquals(-1, ExponentialBoundaries.downscale(-5, 3));
        assertTrue(ExponentialBoundaries.inDoubleRange(1023, 0));
        assertFalse(ExponentialBoundaries.inDoubleRange(1024, 0));
        assertTrue(ExponentialBoundaries.inDoubleRange(-1075, 0));
        assertFalse(ExponentialBoundaries.inDoubleRange(-1076, 0));
    }

    @Test
    void positiveBucketsAndZerosBecomeCumulativeLeSeries() throws Exception {
        // scale 0: (1,2]: 1, (2,4]: 2, (4,8]: 3; three exact zeros.
        ExportResult r = export(request(cumulative("lat", point(T0_MS, 0, 3, 0, 1, 2, 3).setSum(30)
                .addAttributes(attr("svc", "a")))));
        assertTrue(r.isFullSuccess(), r::toString);
        assertEquals(3, sink.last("__name__", "lat_bucket", "svc", "a", "le", "0"));
        assertEquals(3, sink.last("__name__", "lat_bucket", "svc", "a", "le", "1"));
        assertEquals(4, sink.last("__name__", "lat_bucket", "svc", "a", "le", "2"));
        assertEquals(6, sink.last("__name__", "lat_bucket", "svc", "a", "le", "4"));
        assertEquals(9, sink.last("__name__", "lat_bucket", "svc", "a", "le", "8"));
        assertEquals(9, sink.last("__name__", "lat_bucket", "svc", "a", "le", "+Inf"));
        assertEquals(9, sink.last("__name__", "lat_count", "svc", "a"));
        assertEquals(30, sink.last("__name__", "lat_sum", "svc", "a"));
        assertEquals(8, sink.series().size());
    }

    @Test
    void aFinerPointIsMergedOntoTheStartingGridOfScaleThree() throws Exception {
        // scale 5, indices 0..7 one each: at scale 3 that is (1, 2^(1/8)] with 4 and (2^(1/8), 2^(2/8)] with 4.
        export(request(cumulative("fine", point(T0_MS, 5, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1))));
        assertEquals(Map.of(1.0, 0.0, Math.pow(2, 1.0 / 8), 4.0, Math.pow(2, 2.0 / 8), 8.0,
                Double.POSITIVE_INFINITY, 8.0), buckets("fine"));
        assertEquals(FloatLabels.format(ExponentialBoundaries.boundary(1, 3)), "1.0905077326652577");
        assertEquals(4, sink.last("__name__", "fine_bucket", "le", "1.0905077326652577"));
    }

    @Test
    void aWideRangeIsMergedDownToTheBucketLimit() throws Exception {
        ingestor = ingestor(16);
        long[] counts = new long[40];
        java.util.Arrays.fill(counts, 1);
        export(request(cumulative("wide", point(T0_MS, 3, 0, -20, counts))));
        Map<Double, Double> b = buckets("wide");
        assertTrue(b.size() <= 16, b::toString);
        assertCumulative(b);
        assertEquals(40, b.get(Double.POSITIVE_INFINITY));
        // 40 buckets of scale 3 need scale 1 to fit: 10 buckets, 11 boundaries, +Inf; each boundary a power of 2^(1/2).
        assertEquals(12, b.size());
        for (double le : b.keySet()) {
            if (le != Double.POSITIVE_INFINITY) {
                double e = Math.log(le) / Math.log(2) * 2;
                assertEquals(Math.rint(e), e, 1e-9, "le " + le + " is not on the scale 1 grid");
            }
        }
        // 2^-2.5 .. 2^2.5 at scale 3 are indices -20..19: counts below 1 (index 0) are 20.
        assertEquals(20, b.get(1.0));
    }

    @Test
    void negativeZeroAndPositiveBucketsAreOrderedByValue() throws Exception {
        // scale 0: negatives with magnitude in (1,2]: 2, (2,4]: 1; zero bucket 3 (threshold 0.5); positive (1,2]: 4.
        ExponentialHistogramDataPoint.Builder p = point(T0_MS, 0, 3, 0, 4).setZeroThreshold(0.5)
                .setNegative(Buckets.newBuilder().setOffset(0).addBucketCounts(2).addBucketCounts(1));
        p.setCount(10);
        assertTrue(export(request(cumulative("mixed", p))).isFullSuccess());
        Map<Double, Double> expected = new TreeMap<>(Map.of(-4.0, 0.0, -2.0, 1.0, -1.0, 3.0, 0.5, 6.0, 1.0, 6.0, 2.0, 10.0,
                Double.POSITIVE_INFINITY, 10.0));
        assertEquals(expected, buckets("mixed"));
        assertEquals(3, sink.last("__name__", "mixed_bucket", "le", "-1"));
        assertEquals(6, sink.last("__name__", "mixed_bucket", "le", "0.5"));
    }

    @Test
    void aCoarserPointCoarsensTheGridAndMarksTheDroppedBoundariesStale() throws Exception {
        // First export at scale 3: (1, 2^(1/8)] 2, (2^(1/8), 2^(2/8)] 2.
        export(request(cumulative("sc", point(T0_MS, 3, 0, 0, 2, 2))));
        double dropped = Math.pow(2, 1.0 / 8);
        assertEquals(2, sink.last("__name__", "sc_bucket", "le", FloatLabels.format(dropped)));
        // The SDK downscaled to scale 1 after a value of 100: (1, 2^(1/2)] 5, ..., (2^6.5, 2^7] 1.
        long[] counts = new long[14];
        counts[0] = 5;
        counts[13] = 1;
        export(request(cumulative("sc", point(T0_MS + 10_000, 1, 0, 0, counts))));
        assertTrue(StaleMarker.isStale(sink.last("__name__", "sc_bucket", "le", FloatLabels.format(dropped))));
        Map<Double, Double> b = buckets("sc");
        assertCumulative(b);
        assertEquals(0, b.get(1.0));
        assertEquals(5, b.get(Math.sqrt(2)), 0);
        assertEquals(6, b.get(128.0));
        assertEquals(6, b.get(Double.POSITIVE_INFINITY));
        // A boundary both grids have is one series with both samples (rate() sees it continue); 2^(1/4) is
        // on scale 3 but not on scale 1, so it was marked stale; 2^(1/2) is new.
        assertEquals(2, sink.samples("__name__", "sc_bucket", "le", "1").size());
        List<RecordingSink.Sample> quarter = sink.samples("__name__", "sc_bucket", "le", FloatLabels.format(Math.pow(2, 2.0 / 8)));
        assertEquals(2, quarter.size());
        assertTrue(StaleMarker.isStale(quarter.get(1).value()));
        assertEquals(1, sink.samples("__name__", "sc_bucket", "le", FloatLabels.format(Math.sqrt(2))).size());
        // A later finer point stays on the coarser grid: no finer boundary comes back.
        long[] later = new long[57];
        later[0] = 6;
        later[56] = 1;
        export(request(cumulative("sc", point(T0_MS + 20_000, 3, 0, 0, later))));
        assertTrue(StaleMarker.isStale(sink.last("__name__", "sc_bucket", "le", FloatLabels.format(dropped))));
        assertEquals(6, buckets("sc").get(Math.sqrt(2)), 0);
        assertEquals(7, buckets("sc").get(Double.POSITIVE_INFINITY), 0);
    }

    @Test
    void attributesSplitByOtherFieldsStillNameTheSameGrid() throws Exception {
        // Protobuf concatenation merges: attribute, the point's other fields, another attribute.
        for (int[] p : new int[][] {{3, 0}, {1, 10_000}}) {
            byte[] point = concat(concat(
                    ExponentialHistogramDataPoint.newBuilder().addAttributes(attr("a", "1")).build().toByteArray(),
                    point(T0_MS + p[1], p[0], 0, 0, 2, 2).build().toByteArray()),
                    ExponentialHistogramDataPoint.newBuilder().addAttributes(attr("b", "2")).build().toByteArray());
            // Sent as these bytes (re-encoding the message would put the attributes side by side).
            byte[] metric = concat(field(Metric.NAME_FIELD_NUMBER, "split".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    field(Metric.EXPONENTIAL_HISTOGRAM_FIELD_NUMBER, field(ExponentialHistogram.DATA_POINTS_FIELD_NUMBER, point)));
            assertTrue(ingestor.export(field(1, field(2, field(2, metric))), ReceiverStats.Transport.GRPC).isFullSuccess());
        }
        assertEquals(2, sink.samples("__name__", "split_bucket", "a", "1", "b", "2", "le", "1").size());
        // Had the second point another identity, its grid would be new and 2^(1/8) would not be marked stale.
        assertTrue(StaleMarker.isStale(sink.last("__name__", "split_bucket", "a", "1", "b", "2", "le",
                FloatLabels.format(Math.pow(2, 1.0 / 8)))));
    }

    @Test
    void deltaPointsAccumulatePerBoundaryAndNewBoundariesStartFromEarlierCounts() throws Exception {
        AggregationTemporality delta = AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        // scale 0: 3 values in (2,4], then 2 values in (8,16] and 1 in (1,2], then 1 zero.
        export(request(metric("d", delta, point(T0_MS, 0, 0, 1, 3))));
        export(request(metric("d", delta, point(T0_MS + 1000, 0, 0, 0, 1, 0, 0, 2))));
        export(request(metric("d", delta, point(T0_MS + 2000, 0, 1, 0))));
        Map<Double, Double> expected = new TreeMap<>(Map.of(0.0, 1.0, 1.0, 1.0, 2.0, 2.0, 4.0, 5.0, 8.0, 5.0, 16.0, 7.0,
                Double.POSITIVE_INFINITY, 7.0));
        assertEquals(expected, buckets("d"));
        assertEquals(7, sink.last("__name__", "d_count"));
    }

    @Test
    void noRecordedValueMarksEveryBoundaryOfTheGridStale() throws Exception {
        export(request(cumulative("nrv", point(T0_MS, 0, 0, 0, 1, 1))));
        export(request(cumulative("nrv", ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS + 1000))
                .setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE))));
        for (String le : List.of("1", "2", "4", "+Inf")) {
            assertTrue(StaleMarker.isStale(sink.last("__name__", "nrv_bucket", "le", le)), le);
        }
        assertTrue(StaleMarker.isStale(sink.last("__name__", "nrv_count")));
    }

    @Test
    void malformedPointsAreRejectedByNameAndWriteNothing() throws Exception {
        List<ExponentialHistogramDataPoint.Builder> bad = new ArrayList<>();
        bad.add(point(T0_MS, 21, 0, 0, 1));
        bad.add(point(T0_MS, -11, 0, 0, 1));
        bad.add(point(T0_MS, 0, 0, 0, -1L).setCount(5));
        bad.add(point(T0_MS, 0, 0, 0, Long.MAX_VALUE, 1).setCount(-1L));
        bad.add(point(T0_MS, 0, 0, 0, 3).setCount(2));
        bad.add(point(T0_MS, 0, 0, 1024, 1));
        ExportResult r = export(request(cumulative("bad", bad.toArray(ExponentialHistogramDataPoint.Builder[]::new))));
        assertEquals(6, r.rejectedDataPoints(), r::toString);
        assertTrue(r.errorMessage().contains("2 exponential_histogram_scale_out_of_range (e.g. metric \"bad\")"), r.errorMessage());
        assertTrue(r.errorMessage().contains("2 exponential_histogram_bucket_count_overflow"), r.errorMessage());
        assertTrue(r.errorMessage().contains("1 exponential_histogram_buckets_exceed_count"), r.errorMessage());
        assertTrue(r.errorMessage().contains("1 exponential_histogram_bucket_index_out_of_range"), r.errorMessage());
        assertTrue(sink.series().isEmpty(), () -> sink.series().toString());
    }

    @Test
    void unpackedBucketCountsAreReadToo() throws Exception {
        // Buckets{offset=1 (zigzag 2), bucket_counts 5 and 7 as one varint field each (wire type 0)}.
        byte[] buckets = {0x08, 0x02, 0x10, 0x05, 0x10, 0x07};
        byte[] point = concat(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS)).setCount(12)
                .build().toByteArray(), field(ExponentialHistogramDataPoint.POSITIVE_FIELD_NUMBER, buckets));
        assertEquals(List.of(5L, 7L), ExponentialHistogramDataPoint.parseFrom(point).getPositive().getBucketCountsList());
        byte[] metric = concat(field(Metric.NAME_FIELD_NUMBER, "unpacked".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                field(Metric.EXPONENTIAL_HISTOGRAM_FIELD_NUMBER, field(ExponentialHistogram.DATA_POINTS_FIELD_NUMBER, point)));
        byte[] req = field(1, field(2, field(2, metric))); // request.resource_metrics.scope_metrics.metrics
        ExportResult r = ingestor.export(req, ReceiverStats.Transport.GRPC);
        assertTrue(r.isFullSuccess(), r::toString);
        assertEquals(Map.of(2.0, 0.0, 4.0, 5.0, 8.0, 12.0, Double.POSITIVE_INFINITY, 12.0), buckets("unpacked"));
    }

    @Test
    void aTruncatedPackedBucketCountRejectsTheWholeRequest() {
        byte[] buckets = {0x12, 0x02, 0x05, (byte) 0x80}; // bucket_counts: 5, then a varint cut off by the field's end
        byte[] point = concat(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS)).setCount(5)
                .build().toByteArray(), field(ExponentialHistogramDataPoint.POSITIVE_FIELD_NUMBER, buckets));
        byte[] metric = concat(field(Metric.NAME_FIELD_NUMBER, "cut".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                field(Metric.EXPONENTIAL_HISTOGRAM_FIELD_NUMBER, field(ExponentialHistogram.DATA_POINTS_FIELD_NUMBER, point)));
        MalformedOtlpException e = org.junit.jupiter.api.Assertions.assertThrows(MalformedOtlpException.class,
                () -> ingestor.export(field(1, field(2, field(2, metric))), ReceiverStats.Transport.GRPC));
        assertTrue(e.getMessage().contains("truncated varint"), e.getMessage());
        assertTrue(sink.series().isEmpty());
    }

    private static byte[] field(int number, byte[] payload) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(number << 3 | 2);
        int len = payload.length;
        while (len >= 0x80) {
            out.write(len & 0x7f | 0x80);
            len >>>= 7;
        }
        out.write(len);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
