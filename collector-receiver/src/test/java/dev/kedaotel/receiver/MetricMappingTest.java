package dev.kedaotel.receiver;

import dev.kedaotel.model.TimeSource;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.attr;
import static dev.kedaotel.receiver.Otlp.doublePoint;
import static dev.kedaotel.receiver.Otlp.intPoint;
import static dev.kedaotel.receiver.Otlp.nanos;
import static dev.kedaotel.receiver.Otlp.request;
import static dev.kedaotel.receiver.Otlp.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.model.StaleMarker;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OTLP → Prometheus mapping, through the real ingestor, into a recording sink. */
class MetricMappingTest {
    private static final long NOW = T0_MS + 60_000;

    private final RecordingSink sink = new RecordingSink();
    private final OtlpIngestor ingestor = new OtlpIngestor(ReceiverConfig.defaults(), new ReceiverStats(), () -> sink, TimeSource.wallClock(() -> NOW));

    private ExportResult export(ExportMetricsServiceRequest request) throws MalformedOtlpException {
        return ingestor.export(request.toByteArray(), ReceiverStats.Transport.GRPC);
    }

    private static Metric gauge(String name, NumberDataPoint... points) {
        return Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points))).build();
    }

    private static Metric sum(String name, AggregationTemporality t, boolean monotonic, NumberDataPoint... points) {
        return Metric.newBuilder().setName(name).setSum(Sum.newBuilder().setAggregationTemporality(t)
                .setIsMonotonic(monotonic).addAllDataPoints(List.of(points))).build();
    }

    @Test
    void gaugeKeepsNameAndSanitisesAttributeKeys() throws Exception {
        ExportResult r = export(request(gauge("http.server.active_requests", doublePoint(T0_MS, 2.5, "http.method", "GET"))));
        assertTrue(r.isFullSuccess(), r::toString);
        assertEquals(2.5, sink.last("__name__", "http_server_active_requests", "http_method", "GET"));
        assertEquals(T0_MS, sink.samples("__name__", "http_server_active_requests", "http_method", "GET").get(0).ts());
        assertEquals(1, sink.commits());
    }

    @Test
    void negativeIntGaugeIsKept() throws Exception {
        export(request(gauge("temp", intPoint(T0_MS, -5))));
        assertEquals(-5.0, sink.last("__name__", "temp"));
    }

    @Test
    void zeroTimestampMeansArrivalTime() throws Exception {
        export(request(gauge("g", NumberDataPoint.newBuilder().setAsDouble(1).build())));
        assertEquals(NOW, sink.samples("__name__", "g").get(0).ts());
    }

    @Test
    void cumulativeCounterAndNonMonotonicSumAreStoredAsSent() throws Exception {
        export(request(
                sum("requests", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, true, intPoint(T0_MS, 10)),
                sum("queue.size", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, false, doublePoint(T0_MS, -3))));
        export(request(
                sum("requests", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, true, intPoint(T0_MS + 1000, 15))));
        assertEquals(List.of(new RecordingSink.Sample(T0_MS, 10), new RecordingSink.Sample(T0_MS + 1000, 15)),
                sink.samples("__name__", "requests"));
        assertEquals(-3.0, sink.last("__name__", "queue_size"));
    }

    @Test
    void deltaSumIsAccumulatedIntoACumulativeSeries() throws Exception {
        // The generated encoder writes data_points (field 1) before aggregation_temporality (field 2).
        export(request(sum("jobs", AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, true, intPoint(T0_MS, 3, "q", "a"))));
        export(request(sum("jobs", AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, true, intPoint(T0_MS + 1000, 4, "q", "a"))));
        assertEquals(List.of(new RecordingSink.Sample(T0_MS, 3), new RecordingSink.Sample(T0_MS + 1000, 7)),
                sink.samples("__name__", "jobs", "q", "a"));
    }

    @Test
    void histogramWritesCumulativeBucketsSumAndCount() throws Exception {
        Metric h = Metric.newBuilder().setName("rpc.duration").setHistogram(Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS))
                        .addAllExplicitBounds(List.of(0.005, 1.0, 2.5, 100.0))
                        .addAllBucketCounts(List.of(1L, 2L, 3L, 0L, 4L))
                        .setCount(10).setSum(42.5).addAttributes(attr("svc", "a")))).build();
        assertTrue(export(request(h)).isFullSuccess());
        assertEquals(1, sink.last("__name__", "rpc_duration_bucket", "svc", "a", "le", "0.005"));
        assertEquals(3, sink.last("__name__", "rpc_duration_bucket", "svc", "a", "le", "1"));
        assertEquals(6, sink.last("__name__", "rpc_duration_bucket", "svc", "a", "le", "2.5"));
        assertEquals(6, sink.last("__name__", "rpc_duration_bucket", "svc", "a", "le", "100"));
        assertEquals(10, sink.last("__name__", "rpc_duration_bucket", "svc", "a", "le", "+Inf"));
        assertEquals(42.5, sink.last("__name__", "rpc_duration_sum", "svc", "a"));
        assertEquals(10, sink.last("__name__", "rpc_duration_count", "svc", "a"));
        assertNull(sink.samples("__name__", "rpc_duration_bucket", "svc", "a", "le", "1.0"));
    }

    @Test
    void deltaHistogramIsAccumulatedPerSeries() throws Exception {
        for (int i = 0; i < 2; i++) {
            Metric h = Metric.newBuilder().setName("lat").setHistogram(Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS + i * 1000L))
                            .addExplicitBounds(1).addAllBucketCounts(List.of(1L, 2L)).setCount(3).setSum(5))).build();
            export(request(h));
        }
        assertEquals(2, sink.last("__name__", "lat_bucket", "le", "1"));
        assertEquals(6, sink.last("__name__", "lat_bucket", "le", "+Inf"));
        assertEquals(10, sink.last("__name__", "lat_sum"));
        assertEquals(6, sink.last("__name__", "lat_count"));
    }

    @Test
    void exponentialHistogramWritesSumCountAndBuckets() throws Exception {
        Metric m = Metric.newBuilder().setName("eh").setExponentialHistogram(ExponentialHistogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS))
                        .setCount(7).setSum(3.5).setScale(2).setZeroCount(1))).build();
        export(request(m));
        assertEquals(7, sink.last("__name__", "eh_count"));
        assertEquals(3.5, sink.last("__name__", "eh_sum"));
        assertEquals(1, sink.last("__name__", "eh_bucket", "le", "0"));
        assertEquals(7, sink.last("__name__", "eh_bucket", "le", "+Inf"));
        assertEquals(4, sink.series().size());
    }

    @Test
    void summaryWritesQuantilesSumAndCount() throws Exception {
        Metric m = Metric.newBuilder().setName("s").setSummary(Summary.newBuilder()
                .addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS)).setCount(4).setSum(8)
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(1.5))
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(3))
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(1).setValue(4))))
                .build();
        export(request(m));
        assertEquals(1.5, sink.last("__name__", "s", "quantile", "0.5"));
        assertEquals(3, sink.last("__name__", "s", "quantile", "0.99"));
        assertEquals(4, sink.last("__name__", "s", "quantile", "1"));
        assertEquals(8, sink.last("__name__", "s_sum"));
        assertEquals(4, sink.last("__name__", "s_count"));
    }

    @Test
    void collidingAttributeKeysAreJoinedInKeyOrder() throws Exception {
        // "a_b" is sent first but "a.b" sorts first ('.' < '_').
        export(request(gauge("g", doublePoint(T0_MS, 1, "a_b", "second", "a.b", "first", "c", "x"))));
        assertEquals(1, sink.last("__name__", "g", "a_b", "first;second", "c", "x"));
    }

    @Test
    void attributeValuesOfEveryKindAreStringified() throws Exception {
        NumberDataPoint p = NumberDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS)).setAsDouble(1)
                .addAttributes(attr("i", AnyValue.newBuilder().setIntValue(-42).build()))
                .addAttributes(attr("b", AnyValue.newBuilder().setBoolValue(true).build()))
                .addAttributes(attr("d", AnyValue.newBuilder().setDoubleValue(0.25).build()))
                .addAttributes(attr("arr", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setStringValue("x"))
                        .addValues(AnyValue.newBuilder().setIntValue(2))).build()))
                .addAttributes(attr("kv", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(attr("z", "1")).addValues(attr("a", AnyValue.newBuilder().setBoolValue(false).build())))
                        .build()))
                .addAttributes(attr("1st", "digit"))
                .addAttributes(attr("empty", AnyValue.getDefaultInstance()))
                .build();
        export(request(gauge("g", p)));
        assertEquals(1, sink.last("__name__", "g", "i", "-42", "b", "true", "d", "0.25", "arr", "[\"x\",2]",
                "kv", "{\"a\":false,\"z\":\"1\"}", "key_1st", "digit"));
    }

    @Test
    void promotedResourceAttributesJobAndInstance() throws Exception {
        export(request(resource("k8s.pod.name", "pod-1", "k8s.namespace.name", "ns", "service.name", "api",
                        "service.namespace", "shop", "service.instance.id", "i-1", "cloud.region", "eu"),
                gauge("g", doublePoint(T0_MS, 1, "k8s_pod_name", "override"))));
        assertEquals(1, sink.last("__name__", "g", "k8s_pod_name", "override", "k8s_namespace_name", "ns",
                "service_name", "api", "service_namespace", "shop", "service_instance_id", "i-1", "cloud_region", "eu",
                "job", "shop/api", "instance", "i-1"));
    }

    @Test
    void jobAndInstanceCanBeTurnedOff() throws Exception {
        RecordingSink s = new RecordingSink();
        OtlpIngestor ing = new OtlpIngestor(ReceiverConfig.builder().promoteJobAndInstance(false)
                .promotedResourceAttributes(List.of("service.name")).build(), new ReceiverStats(), () -> s, TimeSource.wallClock(() -> NOW));
        ing.export(request(resource("service.name", "api", "service.instance.id", "i-1"),
                gauge("g", doublePoint(T0_MS, 1))).toByteArray(), ReceiverStats.Transport.HTTP);
        assertEquals(1, s.last("__name__", "g", "service_name", "api"));
    }

    @Test
    void resourcePodBecomesHostNameWhenThereIsNoHostName() throws Exception {
        export(request(resource("pod", "worker-7"), gauge("g", doublePoint(T0_MS, 1))));
        export(request(resource("pod", "worker-7", "host.name", "node-a"), gauge("h", doublePoint(T0_MS, 1))));
        assertEquals(1, sink.last("__name__", "g", "host_name", "worker-7"));
        assertEquals(1, sink.last("__name__", "h", "host_name", "node-a"));
    }

    @Test
    void noRecordedValueWritesStalenessMarkers() throws Exception {
        export(request(gauge("g", doublePoint(T0_MS, 1, "k", "v"))));
        export(request(gauge("g", NumberDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS + 1000)).setFlags(1)
                .addAllAttributes(Otlp.attrs("k", "v")).build())));
        assertTrue(StaleMarker.isStale(sink.last("__name__", "g", "k", "v")));
        assertEquals(T0_MS + 1000, sink.samples("__name__", "g", "k", "v").get(1).ts());
    }

    @Test
    void outOfOrderPointsAreReportedAsPartialSuccess() throws Exception {
        export(request(gauge("foo", doublePoint(T0_MS + 5000, 1, "k", "a"), doublePoint(T0_MS + 5000, 1, "k", "b"))));
        ExportResult r = export(request(gauge("foo", doublePoint(T0_MS, 2, "k", "a"), doublePoint(T0_MS, 2, "k", "b"),
                doublePoint(T0_MS + 6000, 3, "k", "a"))));
        assertEquals(2, r.rejectedDataPoints());
        assertEquals("2 data points rejected: 2 out_of_order (e.g. metric \"foo\")", r.errorMessage());
        assertEquals(2, r.toResponse().getPartialSuccess().getRejectedDataPoints());
        assertEquals(3, sink.last("__name__", "foo", "k", "a"));
    }

    @Test
    void resentPointsAreDuplicatesNotRejections() throws Exception {
        ExportMetricsServiceRequest req = request(gauge("foo", doublePoint(T0_MS, 1)));
        export(req);
        ExportResult r = export(req);
        assertTrue(r.isFullSuccess(), r::toString);
        assertEquals(0, r.toProtobuf().length);
    }

    @Test
    void metricsWithoutDataOrNameAreRejectedAndTheRestIsStored() throws Exception {
        ExportResult r = export(request(Metric.newBuilder().setName("nodata").build(),
                Metric.newBuilder().setGauge(Gauge.newBuilder().addDataPoints(doublePoint(T0_MS, 1))
                        .addDataPoints(doublePoint(T0_MS, 2))).build(),
                gauge("ok", doublePoint(T0_MS, 1))));
        assertEquals(3, r.rejectedDataPoints());
        assertEquals("3 data points rejected: 1 no_metric_type (e.g. metric \"nodata\"), 2 empty_metric_name "
                + "(e.g. metric \"\")", r.errorMessage());
        assertEquals(1, sink.last("__name__", "ok"));
        assertEquals(1, sink.series().size());
    }

    @Test
    void emptyRequestSucceeds() throws Exception {
        assertTrue(ingestor.export(new byte[0], ReceiverStats.Transport.GRPC).isFullSuccess());
        assertTrue(sink.series().isEmpty());
    }

    @Test
    void statsCountPointsAndRejections() throws Exception {
        ReceiverStats stats = new ReceiverStats();
        RecordingSink s = new RecordingSink();
        OtlpIngestor ing = new OtlpIngestor(ReceiverConfig.defaults(), stats, () -> s, TimeSource.wallClock(() -> NOW));
        ing.export(request(gauge("g", doublePoint(T0_MS + 1000, 1))).toByteArray(), ReceiverStats.Transport.GRPC);
        ing.export(request(gauge("g", doublePoint(T0_MS, 1), doublePoint(T0_MS + 2000, 1))).toByteArray(),
                ReceiverStats.Transport.HTTP);
        assertEquals(1, stats.requests(ReceiverStats.Transport.GRPC));
        assertEquals(1, stats.requests(ReceiverStats.Transport.HTTP));
        assertEquals(3, stats.pointsReceived());
        assertEquals(2, stats.pointsStored());
        assertEquals(1, stats.rejected("out_of_order"));
        assertTrue(ReceiverStats.rejectionReasons().contains("no_metric_type"));
    }
}
