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
    private static final String PROMETHEUS_API_HTTPS = "https://keda-otel-scaler.keda.svc:9090";
    /** Chart values files among the examples: rendered with the chart instead of parsed as objects. */
    private static final String VALUES_SUFFIX = "values.yaml";
    /** Kinds without a namespace. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("ClusterIssuer", "ClusterTriggerAuthentication");
    private static final Set<String> OPERATIONS = Set.of("last_one", "rate", "count", "avg", "min", "max");

    static Stream<Path> yamlFiles() throws IOException {
        try (Stream<Path> s = Files.walk(Chart.examplesDir())) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".yaml") && !p.toString().endsWith(VALUES_SUFFIX))
                    .sorted().collect(Collectors.toList());
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
            if (!CLUSTER_SCOPED.contains(o.str("kind"))) {
                assertTrue(o.str("metadata.namespace") != null, file + ": " + o.str("kind") + " names its namespace");
            }
        }
    }

    @Test
    void everyExampleFolderHasAReadmeWithExpectedOutput() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(Chart.examplesDir())) {
            dirs = s.filter(Files::isDirectory).collect(Collectors.toList());
        }
        assertEquals(8, dirs.size(), "example folders: " + dirs);
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

    /** Every chart values file among the examples installs (schema and the chart's own checks). */
    @Test
    void everyExampleValuesFileRendersWithTheChart() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Chart.examplesDir())) {
            files = s.filter(p -> p.toString().endsWith(VALUES_SUFFIX)).collect(Collectors.toList());
        }
        assertFalse(files.isEmpty());
        for (Path f : files) {
            Manifests m = Chart.asDocumented().valuesFile(f).render();
            assertTrue(m.has("Deployment") || m.has("StatefulSet"), f + " renders the scaler's workload");
        }
    }

    @Test
    void mtlsExampleGivesKedaItsClientCertificateThroughATriggerAuthentication() {
        Node so = load("tls-mtls/scaledobject.yaml").one("ScaledObject");
        Node trigger = so.list("spec.triggers").get(0);
        Node md = checkOtelTrigger(trigger, "external-push");
        assertEquals("true", md.str("enableTLS"));
        for (String secret : List.of("caCert", "tlsClientCert", "tlsClientKey")) {
            assertFalse(md.has(secret), secret + " belongs in the TriggerAuthentication, not in the metadata KEDA forwards");
        }

        Manifests auth = load("tls-mtls/keda-auth.yaml");
        Node ta = auth.get("TriggerAuthentication", trigger.str("authenticationRef.name"));
        assertEquals(so.str("metadata.namespace"), ta.str("metadata.namespace"));
        Node clientCert = auth.one("Certificate");
        assertEquals(so.str("metadata.namespace"), clientCert.str("metadata.namespace"), "the Secret must be in the TriggerAuthentication's namespace");
        assertTrue(clientCert.list("spec.usages").stream().anyMatch(u -> "client auth".equals(u.str())));
        java.util.Map<String, String> keys = new java.util.TreeMap<>();
        for (Node ref : ta.list("spec.secretTargetRef")) {
            assertEquals(clientCert.str("spec.secretName"), ref.str("name"));
            keys.put(ref.str("parameter"), ref.str("key"));
        }
        assertEquals(java.util.Map.of("caCert", "ca.crt", "tlsClientCert", "tls.crt", "tlsClientKey", "tls.key"), keys);

        // The issuer of every client certificate is the one the chart's certificate comes from.
        Node values = Manifests.parse(readExample("tls-mtls/scaler-values.yaml")).all().get(0);
        String issuer = values.str("certManager.issuerRef.name");
        assertEquals(issuer, clientCert.str("spec.issuerRef.name"));
        assertEquals(values.str("certManager.issuerRef.kind"), clientCert.str("spec.issuerRef.kind"));
        load("tls-mtls/ca.yaml").get("ClusterIssuer", issuer);
    }

    @Test
    void mtlsExampleValuesTurnOnMutualTlsForCollectorsAndKedaAndATokenForTheApi() {
        Manifests m = Chart.asDocumented().valuesFile(Chart.examplesDir().resolve("tls-mtls/scaler-values.yaml")).render();
        java.util.Map<String, String> env = DefaultRenderingTest.env(m);
        assertTrue(env.containsKey("OTLP_TLS_CA_FILE") && env.containsKey("KEDA_TLS_CA_FILE"), env.toString());
        assertEquals("true", env.get("KEDA_TLS_ENABLED"));
        assertTrue(env.containsKey("REST_API_TLS_CERT_FILE") && !env.containsKey("REST_API_TLS_CA_FILE"), env.toString());
        assertEquals("/etc/keda-otel-scaler/bearer-token/token", env.get("REST_API_BEARER_TOKEN_FILE"));
        assertEquals("HTTPS", DefaultRenderingTest.container(m).str("readinessProbe.httpGet.scheme"));
        assertTrue(m.one("Certificate").list("spec.dnsNames").stream().anyMatch(d -> "keda-otel-scaler.keda.svc".equals(d.str())));
    }

    @Test
    void mtlsExampleCollectorExportsWithItsClientCertificate() {
        Manifests m = load("tls-mtls/collector.yaml");
        Node col = m.one("OpenTelemetryCollector");
        Node otlp = col.at("spec.config.exporters.otlp");
        assertEquals(OTLP_ENDPOINT, otlp.str("endpoint"));
        assertFalse(otlp.has("tls.insecure"));
        String dir = col.list("spec.volumeMounts").get(0).str("mountPath");
        assertEquals(dir + "/ca.crt", otlp.str("tls.ca_file"));
        assertEquals(dir + "/tls.crt", otlp.str("tls.cert_file"));
        assertEquals(dir + "/tls.key", otlp.str("tls.key_file"));
        assertEquals(m.one("Certificate").str("spec.secretName"), col.list("spec.volumes").get(0).str("secret.secretName"));
    }

    @Test
    void mtlsExamplePrometheusTriggerUsesHttpsAndTheBearerToken() {
        Manifests m = load("tls-mtls/prometheus-trigger.yaml");
        Node trigger = m.one("ScaledObject").list("spec.triggers").get(0);
        assertEquals("prometheus", trigger.str("type"));
        assertEquals(PROMETHEUS_API_HTTPS, trigger.str("metadata.serverAddress"));
        assertEquals("bearer", trigger.str("metadata.authModes"));
        Node ta = m.get("TriggerAuthentication", trigger.str("authenticationRef.name"));
        List<String> params = ta.list("spec.secretTargetRef").stream().map(r -> r.str("parameter")).sorted().collect(Collectors.toList());
        assertEquals(List.of("bearerToken", "ca"), params);
    }

    /**
     * The HA collector sends the whole stream to every replica: one otlp exporter per replica of the
     * example's values, each addressing that StatefulSet pod under the headless Service the chart
     * renders, all in one pipeline; never the loadbalancing exporter, which would split the series.
     */
    @Test
    void haCollectorExportsEverythingToEveryReplicaTheChartRenders() {
        Manifests chart = Chart.asDocumented().valuesFile(Chart.examplesDir().resolve("ha-replicas/scaler-values.yaml")).render();
        Node sts = chart.one("StatefulSet");
        int replicas = sts.at("spec.replicas").integer();
        String headless = sts.str("spec.serviceName");
        chart.get("Service", headless);
        int otlpPort = chart.get("Service", headless).list("spec.ports").stream()
                .filter(p -> "otlp-grpc".equals(p.str("name"))).findFirst().orElseThrow().at("port").integer();

        Node cfg = load("ha-replicas/collector.yaml").one("OpenTelemetryCollector").at("spec.config");
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            expected.add(sts.str("metadata.name") + "-" + i + "." + headless + "." + sts.str("metadata.namespace") + ".svc:" + otlpPort);
        }
        List<String> exporters = cfg.at("service.pipelines.metrics.exporters").list().stream().map(Node::str).collect(Collectors.toList());
        List<String> endpoints = exporters.stream().map(e -> cfg.at("exporters").map().get(e))
                .map(e -> String.valueOf(((java.util.Map<?, ?>) e).get("endpoint"))).collect(Collectors.toList());
        assertEquals(expected, endpoints, "one exporter per replica, in the metrics pipeline");
        assertTrue(exporters.stream().allMatch(e -> e.startsWith("otlp/")), exporters.toString());
        assertFalse(cfg.at("exporters").map().keySet().stream().anyMatch(k -> k.startsWith("loadbalancing") || k.startsWith("load_balancing")),
                "the loadbalancing exporter sends each point to one replica only");

        Node so = load("ha-replicas/scaledobject.yaml").one("ScaledObject");
        checkOtelTrigger(so.list("spec.triggers").get(0), "external-push");
    }

    private static String readExample(String relative) {
        try {
            return Files.readString(Chart.examplesDir().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
