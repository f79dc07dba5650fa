package dev.kedaotel.server;

import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What KServe wires up for an InferenceService with a {@code PodMetric} on
 * {@code vllm:num_requests_running} and {@code backend: opentelemetry}: its collector sidecar scrapes
 * vLLM, adds namespace/deployment/pod with a transform and exports over OTLP/gRPC; its generated
 * ScaledObject (type {@code external}) asks with {@code sum(<query>{namespace="…", deployment="…"})}.
 */
class KServeScalingTest {
    private static RunningServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new RunningServer();
        long now = System.currentTimeMillis();
        // Two replicas of the predictor, plus the same metric from another InferenceService and from a
        // collector that lacks KServe's transform: neither may leak into the predictor's value.
        export(sidecar("kserve-test", "llama-predictor", "llama-predictor-6b8f9-abcde", 3, now - 2_000));
        export(sidecar("kserve-test", "llama-predictor", "llama-predictor-6b8f9-fghij", 2, now - 2_000));
        export(sidecar("kserve-test", "mistral-predictor", "mistral-predictor-5c7d8-klmno", 40, now - 2_000));
        export(sidecar("kserve-test", null, "stray-pod", 100, now - 2_000));
        export(sidecar("kserve-test", "llama-predictor", "llama-predictor-6b8f9-abcde", 5, now - 1_000));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void export(ExportMetricsServiceRequest request) {
        ExportMetricsServiceResponse r = MetricsServiceGrpc.newBlockingStub(server.otlpChannel)
                .withDeadlineAfter(10, TimeUnit.SECONDS).export(request);
        assertFalse(r.hasPartialSuccess(), r.toString());
    }

    /** One scrape of vLLM as KServe's sidecar forwards it (the operator injects the k8s.* resource attributes). */
    private static ExportMetricsServiceRequest sidecar(String namespace, String deployment, String pod, double running, long tsMs) {
        NumberDataPoint.Builder dp = NumberDataPoint.newBuilder().setTimeUnixNano(tsMs * 1_000_000L).setAsDouble(running)
                .addAttributes(attr("model_name", "meta-llama/Llama-3.1-8B-Instruct"))
                .addAttributes(attr("namespace", namespace))
                .addAttributes(attr("pod", pod));
        Resource.Builder res = Resource.newBuilder()
                .addAttributes(attr("service.name", "otel-collector"))
                .addAttributes(attr("service.instance.id", "localhost:8080"))
                .addAttributes(attr("k8s.namespace.name", namespace))
                .addAttributes(attr("k8s.pod.name", pod));
        if (deployment != null) {
            dp.addAttributes(attr("deployment", deployment));
            res.addAttributes(attr("k8s.deployment.name", deployment));
        }
        Metric m = Metric.newBuilder().setName("vllm:num_requests_running").setGauge(Gauge.newBuilder().addDataPoints(dp)).build();
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(res).addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(m))).build();
    }

    private static KeyValue attr(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private static double getMetrics(String metricQuery, String operationOverTime) {
        Map<String, String> md = new LinkedHashMap<>();
        md.put("scalerAddress", "keda-otel-scaler.keda.svc:4318");
        md.put("metricQuery", metricQuery);
        md.put("targetValue", "4");
        if (operationOverTime != null) {
            md.put("operationOverTime", operationOverTime);
        }
        ScaledObjectRef ref = ScaledObjectRef.newBuilder().setName("llama-predictor").setNamespace("kserve-test")
                .putAllScalerMetadata(md).build();
        return server.scaler().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref)
                .setMetricName("s0-kserve-test-llama-predictor").build()).getMetricValues(0).getMetricValueFloat();
    }

    @Test
    void generatedQuerySumsOnlyThePredictorsPods() {
        String generated = "sum(vllm:num_requests_running{namespace=\"kserve-test\", deployment=\"llama-predictor\"})";
        assertEquals(5 + 2, getMetrics(generated, null), 1e-9, "latest value of each of the two pods");
        assertEquals(4 + 2, getMetrics(generated, "avg"), 1e-9, "avg over each pod's window, summed");
        assertEquals(5 + 2, getMetrics(generated, "sum"), 1e-9, "KServe's test passes 'sum': falls back to last_one");
    }

    @Test
    void userQueryWithItsOwnLabelsOrAggregationStillWorks() {
        assertEquals(7, getMetrics("sum(vllm:num_requests_running{model_name=\"meta-llama/Llama-3.1-8B-Instruct\"}"
                + "{namespace=\"kserve-test\", deployment=\"llama-predictor\"})", null), 1e-9);
        assertEquals(5, getMetrics("sum(max(vllm:num_requests_running){namespace=\"kserve-test\", deployment=\"llama-predictor\"})", null), 1e-9);
    }

    @Test
    void resourceAttributesArePromotedForPromQL() throws Exception {
        String body = server.get("/api/v1/query?query=" + RunningServer.enc(
                "count by (k8s_deployment_name) (vllm:num_requests_running{job=\"otel-collector\", instance=\"localhost:8080\"})")).body();
        assertEquals(true, body.contains("{\"k8s_deployment_name\":\"llama-predictor\"}") && body.contains("\"2\""), body);
    }
}
