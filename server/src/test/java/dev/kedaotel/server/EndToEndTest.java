package dev.kedaotel.server;

import dev.kedaotel.scaler.externalscaler.GetMetricSpecResponse;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drop-in contract end to end: the real OpenTelemetry Java SDK exports over OTLP/gRPC to a
 * running service, and a client generated from KEDA's externalscaler proto sees the values; the
 * Prometheus HTTP API and self-metrics answer over real HTTP.
 */
class EndToEndTest {
    private static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("namespace");
    private static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("deployment");
    private static final AttributeKey<String> POD = AttributeKey.stringKey("pod");

    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new RunningServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SdkMeterProvider provider(MetricExporter exporter, FakeOtelClock clock, String podName) {
        return SdkMeterProvider.builder()
                .setClock(clock)
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "model-server",
                        AttributeKey.stringKey("k8s.pod.name"), podName)))
                // Exports happen only on forceFlush: the test decides when data arrives.
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofDays(1)).build())
                .build();
    }

    private static OtlpGrpcMetricExporter grpcExporter(AggregationTemporalitySelector temporality) {
        return OtlpGrpcMetricExporter.builder().setEndpoint(server.otlpEndpoint())
                .setAggregationTemporalitySelector(temporality).build();
    }

    private static void flush(SdkMeterProvider p) {
        assertTrue(p.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "OTLP export failed");
    }

    private static ScaledObjectRef scaledObject(String name, Map<String, String> metadata) {
        return ScaledObjectRef.newBuilder().setName(name).setNamespace("ns").putAllScalerMetadata(metadata).build();
    }

    private static double getMetrics(ScaledObjectRef ref) {
        return server.scaler().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("ns-" + ref.getName()).build())
                .getMetricValues(0).getMetricValueFloat();
    }

    @Test
    void gaugePushedBySdkIsSummedAcrossPodsByGetMetrics() {
        FakeOtelClock clock = new FakeOtelClock(System.currentTimeMillis() - 5_000);
        try (SdkMeterProvider p = provider(grpcExporter(AggregationTemporalitySelector.alwaysCumulative()), clock, "pod-a")) {
            Meter meter = p.get("e2e");
            DoubleGauge running = meter.gaugeBuilder("vllm.num_requests_running").build();
            running.set(3, Attributes.of(NAMESPACE, "ns", DEPLOYMENT, "llama", POD, "p1"));
            running.set(4.5, Attributes.of(NAMESPACE, "ns", DEPLOYMENT, "llama", POD, "p2"));
            running.set(100, Attributes.of(NAMESPACE, "other", DEPLOYMENT, "llama", POD, "p3"));
            flush(p);

            ScaledObjectRef ref = scaledObject("llama", Map.of(
                    "metricQuery", "sum(vllm.num_requests_running{namespace=ns, deployment=\"llama\"})",
                    "targetValue", "4"));
            GetMetricSpecResponse spec = server.scaler().getMetricSpec(ref);
            assertEquals(4.0, spec.getMetricSpecs(0).getTargetSizeFloat());
            assertEquals(4, spec.getMetricSpecs(0).getTargetSize());
            var resp = server.scaler().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("ns-llama").build());
            assertEquals(7.5, resp.getMetricValues(0).getMetricValueFloat(), 1e-9);
            assertEquals(8, resp.getMetricValues(0).getMetricValue(), "deprecated int field is the ceiling");
            assertEquals("ns-llama", resp.getMetricValues(0).getMetricName());
            assertTrue(server.scaler().isActive(ref).getResult());

            ScaledObjectRef clamped = scaledObject("llama-clamped", Map.of(
                    "metricQuery", "max(vllm_num_requests_running{deployment=llama})", "targetValue", "4", "clampMax", "50"));
            assertEquals(50, getMetrics(clamped), 1e-9);
        }
    }

    /** kedify and Prometheus' OTLP translator turn an array attribute into a label with Go's json.Marshal. */
    @Test
    void arrayAttributeBecomesTheLabelValueGoWouldWrite() throws Exception {
        FakeOtelClock clock = new FakeOtelClock(System.currentTimeMillis() - 5_000);
        try (SdkMeterProvider p = provider(grpcExporter(AggregationTemporalitySelector.alwaysCumulative()), clock, "pod-t")) {
            p.get("e2e").gaugeBuilder("tagged_gauge").build()
                    .set(1, Attributes.of(AttributeKey.stringArrayKey("tags"), List.of("<a>", "&b")));
            flush(p);
        }
        HttpResponse<String> values = server.get("/api/v1/label/tags/values");
        assertEquals(200, values.statusCode(), values.body());
        // The label value is Go's json.Marshal text of the array; the API's JSON escapes its quotes and backslashes.
        assertEquals("{\"status\":\"success\",\"data\":[\"[\\\"\\\\u003ca\\\\u003e\\\",\\\"\\\\u0026b\\\"]\"]}", values.body());
        HttpResponse<String> selected = server.get("/api/v1/query?query=" + RunningServer.enc(
                "tagged_gauge{tags=`[\"\\u003ca\\u003e\",\"\\u0026b\"]`}"));
        assertTrue(selected.body().contains("\"value\":["), "the Go-escaped text selects the series: " + selected.body());
    }

    /** +Inf in the data used to reach KEDA as metricValue 9223372036854775807 and active=true. */
    @Test
    void infiniteGaugeIsReportedAsNotFound() throws Exception {
        FakeOtelClock clock = new FakeOtelClock(System.currentTimeMillis() - 5_000);
        try (SdkMeterProvider p = provider(grpcExporter(AggregationTemporalitySelector.alwaysCumulative()), clock, "pod-inf")) {
            p.get("e2e").gaugeBuilder("kv_cache_pressure").build()
                    .set(Double.POSITIVE_INFINITY, Attributes.of(NAMESPACE, "ns", POD, "inf1"));
            flush(p);
        }
        HttpResponse<String> stored = server.get("/api/v1/query?query=" + RunningServer.enc("kv_cache_pressure{pod=\"inf1\"}"));
        assertTrue(stored.body().contains("\"+Inf\""), "the +Inf sample is stored: " + stored.body());

        for (String query : List.of("sum(kv_cache_pressure{namespace=ns})", "max(kv_cache_pressure) * 2")) {
            ScaledObjectRef ref = scaledObject("inf", Map.of("metricQuery", query, "targetValue", "1"));
            var resp = server.scaler().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("ns-inf").build());
            assertEquals(0.0, resp.getMetricValues(0).getMetricValueFloat(), query + ": the value-if-not-found (default 0)");
            assertEquals(0, resp.getMetricValues(0).getMetricValue(), query);
            assertFalse(server.scaler().isActive(ref).getResult(), query);
        }
    }

    @Test
    void scaledObjectsAreListedWithTheirCompiledQuery() throws Exception {
        ScaledObjectRef ref = scaledObject("listed", Map.of("metricQuery", "avg(listed_metric{pod=\"p\"})", "targetValue", "2"));
        server.scaler().isActive(ref);
        HttpResponse<String> r = server.get("/memstore/scaledobjects");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("{\"namespace\":\"ns\",\"name\":\"listed\",\"metricQuery\":\"avg(listed_metric{pod=\\\"p\\\"})\","
                + "\"promql\":\"avg(last_over_time(listed_metric{pod=\\\"p\\\"}[2m]))\",\"syntax\":\"kedify\""), r.body());
        assertTrue(r.body().contains("\"evaluated\":true,\"found\":false,\"value\":0,\"active\":false"), r.body());
        assertTrue(server.get("/info").body().contains("\"scaledObjects\":"));
    }

    @Test
    void counterAndHistogramAreStoredAsPrometheusSeries() throws Exception {
        FakeOtelClock clock = new FakeOtelClock(System.currentTimeMillis() - 5_000);
        try (SdkMeterProvider p = provider(grpcExporter(AggregationTemporalitySelector.alwaysCumulative()), clock, "pod-h")) {
            Meter meter = p.get("e2e");
            LongCounter requests = meter.counterBuilder("http.server.requests").build();
            DoubleHistogram duration = meter.histogramBuilder("http.server.duration")
                    .setExplicitBucketBoundariesAdvice(List.of(0.1, 1.0, 5.0)).build();
            requests.add(5, Attributes.of(POD, "h1"));
            for (double v : new double[] {0.05, 0.5, 2, 10}) {
                duration.record(v, Attributes.of(POD, "h1"));
            }
            flush(p);
        }
        String buckets = server.get("/api/v1/query?query=" + RunningServer.enc("http_server_duration_bucket{pod=\"h1\"}")).body();
        assertTrue(buckets.contains("\"le\":\"0.1\"") && buckets.contains("\"le\":\"1\"") && buckets.contains("\"le\":\"+Inf\""), buckets);
        assertEquals("4", scalarOf("sum(http_server_duration_bucket{pod=\"h1\",le=\"+Inf\"})"));
        assertEquals("2", scalarOf("sum(http_server_duration_bucket{pod=\"h1\",le=\"1\"})"));
        assertEquals("4", scalarOf("sum(http_server_duration_count{pod=\"h1\"})"));
        assertEquals("12.55", scalarOf("sum(http_server_duration_sum{pod=\"h1\"})"));
        assertEquals("5", scalarOf("sum(http_server_requests{pod=\"h1\"})"));
        // Resource attributes are promoted to labels under their Prometheus names.
        assertEquals("1", scalarOf("count(http_server_requests{k8s_pod_name=\"pod-h\", job=\"model-server\"})"));
    }

    /** Evaluates an instant query that returns one sample and gives its value string. */
    private static String scalarOf(String promql) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/query?query=" + RunningServer.enc(promql));
        assertEquals(200, r.statusCode(), r.body());
        String body = r.body();
        int v = body.lastIndexOf(",\"");
        boolean oneSample = body.contains("\"resultType\":\"scalar\"")
                || (body.contains("\"result\":[{") && body.indexOf("\"metric\"") == body.lastIndexOf("\"metric\""));
        assertTrue(v > 0 && oneSample, promql + " should give one sample: " + body);
        return body.substring(v + 2, body.indexOf('"', v + 2));
    }

    @Test
    void deltaAndCumulativeExportersGiveTheSameRate() throws Exception {
        FakeOtelClock clock = new FakeOtelClock(System.currentTimeMillis() - 60_000);
        try (SdkMeterProvider delta = provider(grpcExporter(AggregationTemporalitySelector.deltaPreferred()), clock, "pod-d");
             SdkMeterProvider cumulative = provider(grpcExporter(AggregationTemporalitySelector.alwaysCumulative()), clock, "pod-c")) {
            LongCounter d = delta.get("e2e").counterBuilder("jobs.done.delta").build();
            LongCounter c = cumulative.get("e2e").counterBuilder("jobs.done.cumulative").build();
            for (long inc : new long[] {3, 0, 7, 2, 11}) {
                d.add(inc);
                c.add(inc);
                flush(delta);
                flush(cumulative);
                clock.advanceMs(10_000);
            }
            // Asserted before the providers shut down: on shutdown the cumulative exporter sends its
            // total once more while the delta exporter has nothing new, which is the SDK's behaviour.
            assertEquals(scalarOf("sum(jobs_done_cumulative)"), scalarOf("sum(jobs_done_delta)"));
            assertEquals("23", scalarOf("sum(jobs_done_delta)"));
            String samples = server.get("/api/v1/query?query=" + RunningServer.enc("{__name__=~\"jobs_done_.*\"}[5m]")).body();
            String rateD = scalarOf("sum(rate(jobs_done_delta[5m]))");
            assertEquals(scalarOf("sum(rate(jobs_done_cumulative[5m]))"), rateD, samples);
            double kedifyRateDelta = getMetrics(scaledObject("jobs-d", Map.of("metricQuery", "jobs.done.delta", "targetValue", "1", "operationOverTime", "rate")));
            double kedifyRateCumulative = getMetrics(scaledObject("jobs-c", Map.of("metricQuery", "jobs.done.cumulative", "targetValue", "1", "operationOverTime", "rate")));
            assertEquals(kedifyRateCumulative, kedifyRateDelta, 1e-12);
            // 20 requests between the first and the last sample, 40 s apart (kedify's rate does not extrapolate).
            assertEquals(20.0 / 40.0, kedifyRateDelta, 1e-9);
        }
    }

    @Test
    void streamIsActiveFlipsWithinOneExportAndBack() throws Exception {
        BlockingQueue<Boolean> pushes = new LinkedBlockingQueue<>();
        ScaledObjectRef ref = scaledObject("stream-me", Map.of(
                "metricQuery", "sum(queue.depth{deployment=worker})", "targetValue", "10"));
        var ctx = io.grpc.Context.current().withCancellation();
        ctx.run(() -> server.scalerAsync().streamIsActive(ref, new StreamObserver<IsActiveResponse>() {
            @Override
            public void onNext(IsActiveResponse value) {
                pushes.add(value.getResult());
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        }));
        try {
            assertEquals(Boolean.FALSE, pushes.poll(10, TimeUnit.SECONDS), "current state is sent when the stream opens");
            FakeOtelClock clock = new FakeOtelClock(System.currentTimeMillis() - 2_000);
            try (SdkMeterProvider p = provider(grpcExporter(AggregationTemporalitySelector.alwaysCumulative()), clock, "worker-1")) {
                DoubleGauge depth = p.get("e2e").gaugeBuilder("queue.depth").build();
                depth.set(12, Attributes.of(DEPLOYMENT, "worker"));
                flush(p);
                assertEquals(Boolean.TRUE, pushes.poll(10, TimeUnit.SECONDS), "one export makes it active");
                clock.advanceMs(1_000);
                depth.set(0, Attributes.of(DEPLOYMENT, "worker"));
                flush(p);
                assertEquals(Boolean.FALSE, pushes.poll(10, TimeUnit.SECONDS), "dropping to 0 makes it inactive");
                clock.advanceMs(500);
                depth.set(0, Attributes.of(DEPLOYMENT, "worker"));
                flush(p);
                // An unchanged answer is not repeated (KEDA >= 2.18 turns every true into a scale request).
                assertEquals(null, pushes.poll(1500, TimeUnit.MILLISECONDS));
            }
        } finally {
            ctx.cancel(null);
        }
    }

    @Test
    void notFoundGivesTheConfiguredValue() {
        ScaledObjectRef ref = scaledObject("nothing", Map.of("metricQuery", "sum(no_such_metric{a=b})", "targetValue", "1"));
        assertEquals(0.0, getMetrics(ref));
        assertFalse(server.scaler().isActive(ref).getResult());
    }

    @Test
    void badInputGetsClearErrorsAndTheServerKeepsServing() throws Exception {
        // Garbage bytes as an OTLP Export request.
        MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("opentelemetry.proto.collector.metrics.v1.MetricsService/Export")
                .setRequestMarshaller(new BytesMarshaller()).setResponseMarshaller(new BytesMarshaller()).build();
        StatusRuntimeException garbage = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                server.otlpChannel, raw, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), new byte[] {0x0a, (byte) 0xff, (byte) 0xff, 0x01}));
        assertEquals(Status.Code.INVALID_ARGUMENT, garbage.getStatus().getCode());
        assertNotNull(garbage.getStatus().getDescription());
        // An empty request is a valid, successful export.
        byte[] ok = ClientCalls.blockingUnaryCall(server.otlpChannel, raw, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), new byte[0]);
        assertEquals(0, ok.length, "full success leaves partial_success unset");

        StatusRuntimeException noTarget = assertThrows(StatusRuntimeException.class,
                () -> server.scaler().getMetricSpec(scaledObject("bad", Map.of("metricQuery", "foo"))));
        assertEquals(Status.Code.INVALID_ARGUMENT, noTarget.getStatus().getCode());
        assertTrue(noTarget.getStatus().getDescription().contains("targetValue"), noTarget.getStatus().getDescription());

        StatusRuntimeException badQuery = assertThrows(StatusRuntimeException.class,
                () -> getMetrics(scaledObject("bad-q", Map.of("metricQuery", "sum(foo{a=b)", "targetValue", "1"))));
        assertEquals(Status.Code.INVALID_ARGUMENT, badQuery.getStatus().getCode());
        assertTrue(badQuery.getStatus().getDescription().contains("metricQuery"), badQuery.getStatus().getDescription());

        HttpResponse<String> promErr = server.get("/api/v1/query?query=" + RunningServer.enc("sum(rate(x[1m])"));
        assertEquals(400, promErr.statusCode());
        assertTrue(promErr.body().contains("\"errorType\":\"bad_data\""), promErr.body());

        HttpResponse<String> otlpHttpGarbage = server.http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.httpBase() + "/v1/metrics")).header("Content-Type", "application/x-protobuf")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x0a, (byte) 0xff})).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, otlpHttpGarbage.statusCode());

        // Still serving.
        assertEquals("2", scalarOf("1+1"));
        assertEquals(200, server.get("/readyz").statusCode());
        String selfMetrics = server.getMetricsPort("/metrics").body();
        assertTrue(selfMetrics.contains("keda_otel_scaler_points_stored_total"), selfMetrics);
    }

    @Test
    void kedifyDebugEndpointsAnswer() throws Exception {
        HttpResponse<String> r = server.postJson("/memstore/query", "{\"operationOverTime\":\"last_one\",\"query\":\"sum(never_pushed)\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"value\":-1") && r.body().contains("Metric not found"), r.body());
        HttpResponse<String> bad = server.postJson("/memstore/query", "{\"query\":\"x\"}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("operationOverTime"), bad.body());
        assertEquals(200, server.get("/memstore/names").statusCode());
    }

    /** Passes bytes through unchanged, to send what no protobuf library would produce. */
    static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
