package dev.kedaotel.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples users copy: every YAML parses into Kubernetes objects, every folder explains itself,
 * and the addresses, ports and metadata keys match what the chart installs.
 */
class ExamplesTest {
    private static final String SCALER_ADDRESS = "keda-otel-scaler.keda.svc:4318";
    private static final String OTLP_ENDPOINT = "keda-otel-scaler.keda.svc:4317";
    private static final String PROMETHEUS_API = "http://keda-otel-scaler.keda.svc:9090";
    private static final Set<String> OPERATIONS = Set.of("last_one", "rate", "count", "avg", "min", "max");

    static Stream<Path> yamlFiles() throws IOException {
        try (Stream<Path> s = Files.walk(Chart.examplesDir())) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
            return files.stream();
        }
    }

    static Manifests load(String relative) {
        try {
            return Manifests.parse(Files.readString(Chart.examplesDir().resolve(relative)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("yamlFiles")
    void everyExampleParsesIntoNamespacedKubernetesObjects(Path file) throws IOException {
        Manifests m = Manifests.parse(Files.readString(file));
        assertFalse(m.all().isEmpty(), file + " has no object");
        for (Node o : m.all()) {
            assertTrue(o.str("apiVersion") != null && o.str("kind") != null && o.str("metadata.name") != null,
                    file + ": every object has apiVersion, kind and metadata.name");
            assertTrue(o.str("metadata.namespace") != null, file + ": " + o.str("kind") + " names its namespace");
        }
    }

    @Test
    void everyExampleFolderHasAReadmeWithExpectedOutput() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(Chart.examplesDir())) {
            dirs = s.filter(Files::isDirectory).collect(Collectors.toList());
        }
        assertEquals(6, dirs.size(), "example folders: " + dirs);
        for (Path dir : dirs) {
            Path readme = dir.resolve("README.md");
            assertTrue(Files.isRegularFile(readme), "missing " + readme);
            assertTrue(Files.readString(readme).contains("Expected"), readme + " states the expected output");
        }
    }

    /** Checks a trigger of kedify's external/external-push form; returns its metadata. */
    private static Node checkOtelTrigger(Node trigger, String type) {
        assertEquals(type, trigger.str("type"));
        Node md = trigger.at("metadata");
        assertEquals(SCALER_ADDRESS, md.str("scalerAddress"));
        assertTrue(md.str("metricQuery").matches("(sum|avg|min|max|count)?\\(?[a-zA-Z_:][a-zA-Z0-9_:]*\\{[^{}]+\\}\\)?"),
                "metricQuery in kedify syntax: " + md.str("metricQuery"));
        Double.parseDouble(md.str("targetValue"));
        if (md.has("operationOverTime")) {
            assertTrue(OPERATIONS.contains(md.str("operationOverTime")), md.str("operationOverTime"));
        }
        if (md.has("clampMax")) {
            Double.parseDouble(md.str("clampMax"));
        }
        assertTrue(md.map().values().stream().allMatch(v -> v instanceof String),
                "trigger metadata values must be strings (KEDA's CRD): " + md.raw());
        return md;
    }

    @Test
    void externalExampleUsesTheScalerPortAndKedifyKeys() {
        Node so = load("scaledobject-external/scaledobject.yaml").one("ScaledObject");
        assertEquals("keda.sh/v1alpha1", so.str("apiVersion"));
        Node md = checkOtelTrigger(so.list("spec.triggers").get(0), "external");
        assertEquals("4", md.str("targetValue"));
        assertEquals("avg", md.str("operationOverTime"));
        assertEquals("200", md.str("clampMax"));
    }

    @Test
    void externalPushExampleScalesFromZero() {
        Node so = load("scaledobject-external-push/scaledobject.yaml").one("ScaledObject");
        checkOtelTrigger(so.list("spec.triggers").get(0), "external-push");
        assertEquals(0, so.at("spec.minReplicaCount").integer());
    }

    @Test
    void kserveExampleUsesAnOpenTelemetryPodMetricOnVllmRunningRequests() {
        Node isvc = load("kserve-inferenceservice/inferenceservice.yaml").one("InferenceService");
        assertEquals("serving.kserve.io/v1beta1", isvc.str("apiVersion"));
        assertEquals("keda", isvc.at("metadata.annotations").map().get("serving.kserve.io/autoscalerClass"));
        assertEquals(isvc.str("metadata.name") + "-predictor",
                isvc.at("metadata.annotations").map().get("sidecar.opentelemetry.io/inject"),
                "the sidecar annotation names KServe's collector, <isvc>-predictor");
        Node metric = isvc.list("spec.predictor.autoScaling.metrics").get(0);
        assertEquals("PodMetric", metric.str("type"));
        assertEquals("opentelemetry", metric.str("podmetric.metric.backend"));
        assertEquals("vllm:num_requests_running", metric.str("podmetric.metric.query"));
        assertEquals(List.of("vllm:num_requests_running"), metric.at("podmetric.metric.metricNames").raw());
        assertEquals("4", metric.str("podmetric.target.value"));
        assertFalse(metric.has("podmetric.metric.serverAddress"), "relies on KServe's default keda-otel-scaler.keda.svc:4318");
    }

    @Test
    void collectorSidecarScrapesFiltersLabelsAndExportsToOurOtlpPort() {
        Node col = load("otel-collector-sidecar/collector.yaml").one("OpenTelemetryCollector");
        assertEquals("sidecar", col.str("spec.mode"));
        Node cfg = col.at("spec.config");
        Node otlp = cfg.at("exporters.otlp");
        assertEquals(OTLP_ENDPOINT, otlp.str("endpoint"));
        assertEquals("none", otlp.str("compression"));
        assertEquals("true", otlp.str("tls.insecure"));
        List<String> kept = cfg.list("processors.filter/metrics.metrics.include.metric_names").stream()
                .map(Node::str).collect(Collectors.toList());
        assertEquals("strict", cfg.str("processors.filter/metrics.metrics.include.match_type"));
        assertTrue(kept.contains("vllm:num_requests_running"), "filter keeps the scaling metrics: " + kept);
        String statements = String.valueOf(cfg.at("processors.transform").raw());
        for (String label : List.of("namespace", "deployment", "pod")) {
            assertTrue(statements.contains("set(attributes[\"" + label + "\"]"), "transform adds " + label);
        }
        List<String> pipeline = cfg.list("service.pipelines.metrics.processors").stream().map(Node::str).collect(Collectors.toList());
        assertEquals(List.of("resourcedetection/env", "transform", "filter/metrics"), pipeline);
        assertEquals(List.of("otlp"), cfg.at("service.pipelines.metrics.exporters").raw());

        Node deploy = load("otel-collector-sidecar/model-server.yaml").one("Deployment");
        assertEquals(col.str("metadata.name"), deploy.at("spec.template.metadata.annotations").map().get("sidecar.opentelemetry.io/inject"));
    }

    @Test
    void hpaBehaviourExampleHasScaleUpAndScaleDownPolicies() {
        Node so = load("hpa-behavior/scaledobject.yaml").one("ScaledObject");
        Node behavior = so.at("spec.advanced.horizontalPodAutoscalerConfig.behavior");
        assertEquals(300, behavior.at("scaleDown.stabilizationWindowSeconds").integer());
        assertFalse(behavior.list("scaleUp.policies").isEmpty());
        assertFalse(behavior.list("scaleDown.policies").isEmpty());
        checkOtelTrigger(so.list("spec.triggers").get(0), "external");
        String target = so.str("spec.scaleTargetRef.name");
        load("hpa-behavior/deployment.yaml").get("Deployment", target);
    }

    @Test
    void knativeAndPrometheusTriggerReadOurPrometheusApi() {
        Node ksvc = load("knative-prometheus/knative-service.yaml").one("Service");
        assertEquals("serving.knative.dev/v1", ksvc.str("apiVersion"));
        java.util.Map<String, Object> ann = ksvc.at("spec.template.metadata.annotations").map();
        assertEquals("hpa.autoscaling.knative.dev", ann.get("autoscaling.knative.dev/class"));
        assertEquals(PROMETHEUS_API, ann.get("autoscaling.knative.dev/prometheus-address"));
        assertTrue(String.valueOf(ann.get("autoscaling.knative.dev/prometheus-query")).startsWith("sum(rate("));
        assertTrue(ann.containsKey("autoscaling.knative.dev/target"));

        Node so = load("knative-prometheus/scaledobject-prometheus.yaml").one("ScaledObject");
        Node trigger = so.list("spec.triggers").get(0);
        assertEquals("prometheus", trigger.str("type"));
        assertEquals(PROMETHEUS_API, trigger.str("metadata.serverAddress"));
        Double.parseDouble(trigger.str("metadata.threshold"));
    }
}
