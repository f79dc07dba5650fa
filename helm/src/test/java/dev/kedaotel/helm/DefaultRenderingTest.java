package dev.kedaotel.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** helm template with the chart's own values, installed as the README (and KServe) install it. */
class DefaultRenderingTest {
    private static Manifests out;

    @BeforeAll
    static void render() {
        out = Chart.asDocumented().render();
    }

    /** The scaler's workload: the Deployment, or the StatefulSet with workloadKind StatefulSet. */
    static Node workload(Manifests m) {
        return m.has("StatefulSet") ? m.one("StatefulSet") : m.one("Deployment");
    }

    static Node container(Manifests m) {
        return workload(m).list("spec.template.spec.containers").get(0);
    }

    static Map<String, String> env(Manifests m) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Node e : container(m).list("env")) {
            env.put(e.str("name"), e.str("value"));
        }
        return env;
    }

    @Test
    void serviceIsKedaOtelScalerInNamespaceKedaWithTheFourNamedPorts() {
        Node svc = out.get("Service", "keda-otel-scaler");
        assertEquals("keda", svc.str("metadata.namespace"));
        assertEquals("ClusterIP", svc.str("spec.type"));
        assertEquals("true", svc.str("spec.publishNotReadyAddresses"),
                "one replica receives the OTLP stream through this Service also while it warms up (not Ready)");
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Node p : svc.list("spec.ports")) {
            ports.put(p.str("name"), p.at("port").integer());
            assertEquals(p.str("name"), p.str("targetPort"), "Service ports target the container port of the same name");
        }
        assertEquals(Map.of("otlp-grpc", 4317, "keda-scaler", 4318, "http", 9090, "metrics", 8080), ports);
        assertEquals(out.one("Deployment").at("spec.selector.matchLabels").map(), svc.at("spec.selector").map());
    }

    @Test
    void deploymentAndServiceAccountAreNamedAfterTheRelease() {
        Node deploy = out.get("Deployment", "keda-otel-scaler");
        assertEquals("keda", deploy.str("metadata.namespace"));
        assertEquals(1, deploy.at("spec.replicas").integer());
        // One replica cannot hand its window over in a rolling update (collectors stay on the old pod until
        // it exits): the old pod exits first, and the new one warms up on the whole stream.
        assertEquals("Recreate", deploy.str("spec.strategy.type"));
        assertFalse(deploy.has("spec.strategy.rollingUpdate"));
        out.get("ServiceAccount", "keda-otel-scaler");
        assertEquals("keda-otel-scaler", deploy.str("spec.template.spec.serviceAccountName"));
        assertEquals("false", deploy.str("spec.template.spec.automountServiceAccountToken"));
        Map<String, Object> podLabels = deploy.at("spec.template.metadata.labels").map();
        for (Map.Entry<String, Object> sel : deploy.at("spec.selector.matchLabels").map().entrySet()) {
            assertEquals(sel.getValue(), podLabels.get(sel.getKey()), "pod template carries selector label " + sel.getKey());
        }
    }

    @Test
    void optionalObjectsAreOffByDefault() {
        assertEquals(List.of("Deployment", "Service", "ServiceAccount"),
                out.all().stream().map(o -> o.str("kind")).sorted().collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void containerExposesTheFourNamedPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Node p : container(out).list("ports")) {
            ports.put(p.str("name"), p.at("containerPort").integer());
        }
        assertEquals(Map.of("otlp-grpc", 4317, "keda-scaler", 4318, "http", 9090, "metrics", 8080), ports);
        assertEquals("ghcr.io/kedaotel/keda-otel-scaler:0.1.0", container(out).str("image"));
    }

    @Test
    void probesUseTheHealthEndpointsOnTheHttpPort() {
        Node c = container(out);
        assertEquals("/healthz", c.str("livenessProbe.httpGet.path"));
        assertEquals("http", c.str("livenessProbe.httpGet.port"));
        assertEquals("HTTP", c.str("livenessProbe.httpGet.scheme"));
        assertEquals(6, c.at("livenessProbe.failureThreshold").integer());
        assertEquals("/readyz", c.str("readinessProbe.httpGet.path"));
        assertEquals("http", c.str("readinessProbe.httpGet.port"));
        assertEquals(1, c.at("readinessProbe.timeoutSeconds").integer());
    }

    @Test
    void securityContextIsRestrictedAndTmpIsWritable() {
        Node pod = out.one("Deployment").at("spec.template.spec");
        assertEquals("true", pod.str("securityContext.runAsNonRoot"));
        assertEquals("1000", pod.str("securityContext.runAsUser"));
        assertEquals("RuntimeDefault", pod.str("securityContext.seccompProfile.type"));
        Node c = container(out);
        assertEquals("true", c.str("securityContext.runAsNonRoot"));
        assertEquals("1000", c.str("securityContext.runAsUser"));
        assertEquals("true", c.str("securityContext.readOnlyRootFilesystem"));
        assertEquals("false", c.str("securityContext.allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), c.at("securityContext.capabilities.drop").raw());
        assertEquals("RuntimeDefault", c.str("securityContext.seccompProfile.type"));
        assertFalse(c.has("securityContext.capabilities.add"));

        assertEquals("/tmp", c.named("volumeMounts", "tmp").str("mountPath"));
        assertTrue(pod.named("volumes", "tmp").has("emptyDir"), "/tmp is an emptyDir");
    }

    @Test
    void resourcesLeaveHalfTheMemoryLimitOffHeap() {
        Node r = container(out).at("resources");
        assertEquals("500m", r.str("requests.cpu"));
        assertEquals("256Mi", r.str("requests.memory"));
        assertEquals("512Mi", r.str("limits.memory"));
        assertFalse(r.has("limits.cpu"), "no CPU limit: GC and bursts must not be throttled");
        assertEquals("", env(out).get("JAVA_OPTS"), "heap sizing is left to the launcher's MaxRAMPercentage");
    }

    @Test
    void everyServerSettingHasItsDefaultOrIsLeftUnset() {
        Map<String, String> env = env(out);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("OTLP_RECEIVER_PORT", "4317");
        expected.put("KEDA_EXTERNAL_SCALER_PORT", "4318");
        expected.put("REST_API_PORT", "9090");
        expected.put("INTERNAL_METRICS_PORT", "8080");
        expected.put("METRIC_STORE_RETENTION_SECONDS", "120");
        expected.put("METRIC_STORE_MAX_SERIES", "1000000");
        expected.put("METRIC_STORE_MAX_LABELS_PER_SERIES", "64");
        expected.put("METRIC_STORE_MAX_LABEL_NAME_LENGTH", "1024");
        expected.put("METRIC_STORE_MAX_LABEL_VALUE_LENGTH", "2048");
        expected.put("METRIC_STORE_MAX_SERIES_PER_METRIC", "0");
        expected.put("METRIC_STORE_MAX_FUTURE_SECONDS", "300");
        expected.put("METRIC_STORE_MAX_SAMPLES_PER_SERIES", "4096");
        expected.put("METRIC_STORE_ERROR_IF_NOT_FOUND", "false");
        expected.put("METRIC_STORE_VALUE_IF_NOT_FOUND", "0");
        expected.put("METRIC_STORE_LAZY_SERIES", "false");
        expected.put("METRIC_STORE_LAZY_AGGREGATES", "false");
        expected.put("QUERY_TIMEOUT_SECONDS", "120");
        expected.put("QUERY_MAX_SAMPLES", "50000000");
        expected.put("QUERY_MAX_QUEUED", "32");
        expected.put("STANDING_QUERY_AGEING_MS", "1000");
        expected.put("SCALED_OBJECT_IDLE_SECONDS", "600");
        expected.put("OTLP_MAX_RECV_MSG_SIZE_BYTES", "67108864");
        expected.put("OTLP_PROMOTE_RESOURCE_ATTRIBUTES", "service.instance.id,service.name,service.namespace,service.version,"
                + "cloud.availability_zone,cloud.region,container.name,deployment.environment,deployment.environment.name,"
                + "k8s.cluster.name,k8s.container.name,k8s.cronjob.name,k8s.daemonset.name,k8s.deployment.name,k8s.job.name,"
                + "k8s.namespace.name,k8s.pod.name,k8s.replicaset.name,k8s.statefulset.name,k8s.node.name,host.name");
        expected.put("OTLP_PROMOTE_JOB_INSTANCE", "true");
        expected.put("OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES", "false");
        expected.put("OTLP_TARGET_INFO_ENABLED", "true");
        expected.put("OTLP_SERIES_CACHE_SLOTS", "262144");
        expected.put("OTLP_MAX_BYTES_IN_FLIGHT", "268435456");
        expected.put("OTLP_EXPONENTIAL_HISTOGRAM_MAX_BUCKETS", "64");
        expected.put("OTLP_TRANSLATION_STRATEGY", "KedifyCompatible");
        expected.put("METRIC_STORE_OUT_OF_ORDER_WINDOW_SECONDS", "60");
        expected.put("BIND_ADDRESS", "0.0.0.0");
        expected.put("MEMSTORE_RESET_ENABLED", "false");
        expected.put("OTLP_CERTIFICATE_RELOAD_INTERVAL", "5m");
        expected.put("LOG_LEVEL", "info");
        expected.put("LOG_FORMAT", "text");
        expected.put("NO_COLOR", "false");
        expected.put("NO_BANNER", "false");
        expected.put("DEMO", "false");
        expected.put("JAVA_OPTS", "");
        assertEquals(expected, env, "large numbers must not turn into 1e+06 and optional settings stay unset");
    }
}
