package dev.kedaotel.receiver;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import dev.kedaotel.model.StaleMarker;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** OTLP/gRPC through a real Netty server on loopback into a real TimeSeriesStore. */
class OtlpGrpcEndToEndTest {
    private static final int MAX_INBOUND = 64 * 1024;

    private StoreProbe probe;
    private OtlpIngestor ingestor;
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        probe = new StoreProbe();
        ingestor = OtlpIngestor.forStore(probe.store, ReceiverConfig.defaults(), new ReceiverStats());
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(OtlpGrpcService.definition(ingestor))
                .maxInboundMessageSize(MAX_INBOUND)
                .build()
                .start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        probe.close();
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip"})
    void sdkExporterPushesGaugeCounterAndHistogram(String compression) {
        OtlpGrpcMetricExporter exporter = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint())
                .setCompression(compression).build();
        try (SdkMetrics sdk = new SdkMetrics(exporter, "checkout")) {
            Attributes attrs = Attributes.of(AttributeKey.stringKey("http.route"), "/pay");
            sdk.meter.gaugeBuilder("queue.depth").build().set(-4.5, attrs);
            LongCounter counter = sdk.meter.counterBuilder("http.requests").build();
            counter.add(5, attrs);
            DoubleHistogram histogram = sdk.meter.histogramBuilder("latency")
                    .setExplicitBucketBoundariesAdvice(List.of(0.1, 1.0)).build();
            histogram.record(0.05, attrs);
            histogram.record(0.5, attrs);
            histogram.record(7, attrs);
            sdk.flush();
            counter.add(3, attrs);
            sdk.flush();
            // Asserted before close(): shutting the SDK down exports once more.
            assertStored();
        }
    }

    private void assertStored() {
        assertEquals(-4.5, probe.last("queue_depth", "http_route", "/pay"));
        assertEquals(List.of(5.0, 8.0), probe.values("http_requests", "http_route", "/pay"));
        assertEquals(1, probe.last("latency_bucket", "le", "0.1"));
        assertEquals(2, probe.last("latency_bucket", "le", "1"));
        assertEquals(3, probe.last("latency_bucket", "le", "+Inf"));
        assertEquals(3, probe.last("latency_count"));
        assertEquals(7.55, probe.last("latency_sum"), 1e-9);
        var labels = probe.labels("http_requests");
        assertEquals("checkout", labels.get("service_name"));
        assertEquals("checkout", labels.get("job"));
        assertEquals("pod-1", labels.get("k8s_pod_name"));
    }

    @Test
    void deltaAndCumulativeTemporalityGiveTheSameCumulativeSeries() {
        long[] increments = {5, 7, 3};
        Map<String, List<Double>> stored = new HashMap<>();
        for (boolean delta : new boolean[] {false, true}) {
            OtlpGrpcMetricExporter exporter = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint())
                    .setAggregationTemporalitySelector(delta ? AggregationTemporalitySelector.deltaPreferred()
                            : AggregationTemporalitySelector.alwaysCumulative())
                    .build();
            try (SdkMetrics sdk = new SdkMetrics(exporter, delta ? "delta" : "cumulative")) {
                LongCounter counter = sdk.meter.counterBuilder("jobs.done").build();
                DoubleHistogram histogram = sdk.meter.histogramBuilder("job.seconds")
                        .setExplicitBucketBoundariesAdvice(List.of(1.0)).build();
                for (long inc : increments) {
                    counter.add(inc);
                    histogram.record(inc);
                    histogram.record(0.5);
                    sdk.flush();
                }
                // Read before close(): shutdown exports once more (cumulative repeats, delta sends nothing).
                String job = delta ? "delta" : "cumulative";
                for (String series : List.of("jobs_done", "job_seconds_count", "job_seconds_sum")) {
                    stored.put(series + "/" + job, probe.values(series, "job", job));
                }
                for (String le : List.of("1", "+Inf")) {
                    stored.put("le=" + le + "/" + job, probe.values("job_seconds_bucket", "job", job, "le", le));
                }
            }
        }
        assertEquals(List.of(5.0, 12.0, 15.0), stored.get("jobs_done/cumulative"));
        assertEquals(List.of(1.0, 2.0, 3.0), stored.get("le=1/cumulative"));
        assertEquals(List.of(2.0, 4.0, 6.0), stored.get("le=+Inf/cumulative"));
        for (String series : List.of("jobs_done", "job_seconds_count", "job_seconds_sum", "le=1", "le=+Inf")) {
            assertEquals(stored.get(series + "/cumulative"), stored.get(series + "/delta"), series);
        }
    }

    @Test
    void garbageIsInvalidArgumentAndTheServerKeepsServing() {
        byte[] garbage = "definitely not protobuf".getBytes(StandardCharsets.US_ASCII);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> ClientCalls.blockingUnaryCall(channel, OtlpGrpcService.EXPORT, CallOptions.DEFAULT, garbage));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("byte offset 0"), e.getStatus().getDescription());

        ExportMetricsServiceResponse ok = MetricsServiceGrpc.newBlockingStub(channel).withCompression("gzip")
                .export(gaugeRequest("after.garbage", System.currentTimeMillis()));
        assertEquals(ExportMetricsServiceResponse.getDefaultInstance(), ok);
        assertEquals(1, probe.last("after_garbage"));
        assertEquals(ExportMetricsServiceResponse.getDefaultInstance(),
                MetricsServiceGrpc.newBlockingStub(channel).export(ExportMetricsServiceRequest.getDefaultInstance()));
    }

    @Test
    void exportsBeyondTheBytesInFlightBudgetAreRetryableUnavailable() {
        MetricsServiceGrpc.MetricsServiceBlockingStub stub = MetricsServiceGrpc.newBlockingStub(channel);
        BytesInFlight budget = ingestor.bytesInFlight();
        // Another export holds the whole budget.
        assertTrue(budget.tryReserve(budget.limit()));
        StatusRuntimeException busy = assertThrows(StatusRuntimeException.class,
                () -> stub.export(gaugeRequest("busy.gauge", System.currentTimeMillis())));
        assertEquals(Status.Code.UNAVAILABLE, busy.getStatus().getCode());
        assertTrue(busy.getStatus().getDescription().contains("OTLP_MAX_BYTES_IN_FLIGHT"), busy.getStatus().getDescription());
        com.google.rpc.Status details = io.grpc.protobuf.StatusProto.fromThrowable(busy);
        assertEquals(1, details.getDetailsCount());
        assertTrue(details.getDetails(0).is(com.google.rpc.RetryInfo.class), "the retry delay travels as google.rpc.RetryInfo");
        budget.release(budget.limit());
        stub.export(gaugeRequest("busy.gauge", System.currentTimeMillis()));
        assertEquals(0, budget.used(), "every export gives its bytes back");
        assertEquals(1, probe.last("busy_gauge"));
    }

    @Test
    void rejectedPointsComeBackAsPartialSuccess() {
        long now = System.currentTimeMillis();
        MetricsServiceGrpc.MetricsServiceBlockingStub stub = MetricsServiceGrpc.newBlockingStub(channel);
        stub.export(gaugeRequest("foo", now));
        ExportMetricsServiceResponse r = stub.export(gaugeRequest("foo", now - 1000));
        assertTrue(r.hasPartialSuccess());
        assertEquals(1, r.getPartialSuccess().getRejectedDataPoints());
        assertEquals("1 data point rejected: 1 out_of_order (e.g. metric \"foo\")", r.getPartialSuccess().getErrorMessage());
    }

    @Test
    void noRecordedValueEndsTheSeriesInTheStore() {
        long now = System.currentTimeMillis();
        MetricsServiceGrpc.MetricsServiceBlockingStub stub = MetricsServiceGrpc.newBlockingStub(channel);
        stub.export(gaugeRequest("up.ish", now));
        stub.export(Otlp.request(Metric.newBuilder().setName("up.ish").setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(Otlp.nanos(now + 1)).setFlags(1))).build()));
        List<Double> values = probe.values("up_ish");
        assertEquals(2, values.size());
        assertTrue(StaleMarker.isStale(values.get(1)), values::toString);
    }

    @Test
    void oversizedRequestAfterDecompressionIsResourceExhausted() {
        // Compresses to far below the limit, but is larger than it once decompressed.
        String big = "x".repeat(MAX_INBOUND * 2);
        ExportMetricsServiceRequest request = Otlp.request(Metric.newBuilder().setName("big")
                .setGauge(Gauge.newBuilder().addDataPoints(Otlp.doublePoint(T0_MS, 1, "k", big))).build());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> MetricsServiceGrpc.newBlockingStub(channel).withCompression("gzip").export(request));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        assertTrue(probe.find("big").isEmpty());
    }

    private static ExportMetricsServiceRequest gaugeRequest(String name, long ms) {
        return Otlp.request(Metric.newBuilder().setName(name)
                .setGauge(Gauge.newBuilder().addDataPoints(Otlp.doublePoint(ms, 1))).build());
    }
}
