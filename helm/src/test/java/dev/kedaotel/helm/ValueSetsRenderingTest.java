package dev.kedaotel.helm;

import static dev.kedaotel.helm.DefaultRenderingTest.container;
import static dev.kedaotel.helm.DefaultRenderingTest.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** helm template with the value sets users actually write. */
class ValueSetsRenderingTest {

    @Test
    void kedifyValuesFileInstallsUnchangedAndMeansTheSame() {
        Manifests m = Chart.asDocumented().values("kedify-style.yaml").render();
        Node deploy = m.get("Deployment", "keda-otel-scaler");
        m.get("Service", "keda-otel-scaler");
        assertEquals("Recreate", deploy.str("spec.strategy.type"));
        assertEquals("Always", container(m).str("imagePullPolicy"));

        Map<String, String> env = env(m);
        assertEquals("60", env.get("METRIC_STORE_RETENTION_SECONDS"));
        assertEquals("true", env.get("METRIC_STORE_LAZY_SERIES"));
        assertEquals("true", env.get("METRIC_STORE_LAZY_AGGREGATES"));
        assertEquals("true", env.get("METRIC_STORE_ERROR_IF_NOT_FOUND"));
        assertEquals("42.5", env.get("METRIC_STORE_VALUE_IF_NOT_FOUND"));
        assertEquals("500", env.get("IS_ACTIVE_POLLING_INTERVAL_MS"));
        assertEquals("debug", env.get("LOG_LEVEL"));
        assertEquals("true", env.get("NO_COLOR"));
        assertEquals("true", env.get("NO_BANNER"));

        Node pod = deploy.at("spec.template");
        assertEquals("true", pod.at("metadata.annotations").map().get("prometheus.io/scrape"));
        assertEquals("ml-platform", pod.str("metadata.labels.team"));
        assertEquals("mysecret", pod.at("spec").named("volumes", "foo").str("secret.secretName"));
        assertEquals("/etc/foo", container(m).named("volumeMounts", "foo").str("mountPath"));
        assertEquals("/tmp", container(m).named("volumeMounts", "tmp").str("mountPath"), "kedify's volumes come on top of /tmp");
        assertEquals("linux", String.valueOf(pod.at("spec.nodeSelector").map().get("kubernetes.io/os")));
        assertEquals("scaler", pod.at("spec").list("tolerations").get(0).str("value"));
        assertEquals("256Mi", container(m).str("resources.limits.memory"));
    }

    @Test
    void serviceNameFollowsServiceNameThenFullnameOverrideThenRelease() {
        Manifests byRelease = Chart.release("otel", "monitoring").render();
        assertEquals("monitoring", byRelease.get("Service", "otel").str("metadata.namespace"));
        byRelease.get("Deployment", "otel");

        Manifests byFullname = Chart.release("otel", "monitoring").set("fullnameOverride", "scaler").render();
        byFullname.get("Service", "scaler");
        byFullname.get("Deployment", "scaler");
        byFullname.get("ServiceAccount", "scaler");

        Manifests byServiceName = Chart.release("otel", "monitoring").set("fullnameOverride", "scaler")
                .set("service.name", "keda-otel-scaler").render();
        byServiceName.get("Service", "keda-otel-scaler");
        byServiceName.get("Deployment", "scaler");

        Manifests byNamespaceValue = Chart.release("otel", "default").set("namespace", "keda").render();
        for (Node o : byNamespaceValue.all()) {
            assertEquals("keda", o.str("metadata.namespace"), o.str("kind") + " honours kedify's namespace value");
        }
    }

    @Test
    void customPortsMoveContainerServiceAndEnvTogetherAndKeepTheNames() {
        Manifests m = Chart.asDocumented().values("custom-ports.yaml").render();
        Map<String, Integer> svcPorts = new LinkedHashMap<>();
        for (Node p : m.one("Service").list("spec.ports")) {
            svcPorts.put(p.str("name"), p.at("port").integer());
        }
        Map<String, Integer> containerPorts = new LinkedHashMap<>();
        for (Node p : container(m).list("ports")) {
            containerPorts.put(p.str("name"), p.at("containerPort").integer());
        }
        Map<String, Integer> expected = Map.of("otlp-grpc", 14317, "keda-scaler", 14318, "http", 19090, "metrics", 18080);
        assertEquals(expected, svcPorts);
        assertEquals(expected, containerPorts);
        Map<String, String> env = env(m);
        assertEquals("14317", env.get("OTLP_RECEIVER_PORT"));
        assertEquals("14318", env.get("KEDA_EXTERNAL_SCALER_PORT"));
        assertEquals("19090", env.get("REST_API_PORT"));
        assertEquals("18080", env.get("INTERNAL_METRICS_PORT"));
        assertEquals("http", container(m).str("livenessProbe.httpGet.port"), "probes follow the port by name");
    }

    @Test
    void extraEnvVolumesArgsAndJvmFlagsAreWiredThrough() {
        Manifests m = Chart.asDocumented().values("extras.yaml").render();
        Node c = container(m);
        Map<String, String> env = env(m);
        assertEquals("-XX:+UseZGC -Xlog:gc", env.get("JAVA_OPTS"));
        assertEquals("UTC", env.get("TZ"));
        assertEquals("metadata.name", c.named("env", "POD_NAME").str("valueFrom.fieldRef.fieldPath"));
        assertEquals(java.util.List.of("--metric-store-retention-seconds=90"), c.at("args").raw());
        assertEquals("my-config", m.one("Deployment").at("spec.template.spec").named("volumes", "extra-config").str("configMap.name"));
        assertEquals("/etc/extra", c.named("volumeMounts", "extra-config").str("mountPath"));

        assertEquals("2000", env.get("IS_ACTIVE_POLLING_INTERVAL_MS"));
        assertEquals("30", env.get("LOOKBACK_DELTA_SECONDS"));
        assertEquals("250000", env.get("METRIC_STORE_MAX_SERIES"));
        assertEquals("40", env.get("METRIC_STORE_MAX_LABELS_PER_SERIES"));
        assertEquals("200", env.get("METRIC_STORE_MAX_LABEL_NAME_LENGTH"));
        assertEquals("4096", env.get("METRIC_STORE_MAX_LABEL_VALUE_LENGTH"));
        assertEquals("50000", env.get("METRIC_STORE_MAX_SERIES_PER_METRIC"));
        assertEquals("60", env.get("METRIC_STORE_MAX_FUTURE_SECONDS"));
        assertEquals("1024", env.get("METRIC_STORE_MAX_SAMPLES_PER_SERIES"));
        assertEquals("10", env.get("QUERY_TIMEOUT_SECONDS"));
        assertEquals("1000000", env.get("QUERY_MAX_SAMPLES"));
        assertEquals("500", env.get("STANDING_QUERY_AGEING_MS"));
        assertEquals("300", env.get("SCALED_OBJECT_IDLE_SECONDS"));
        assertEquals("8388608", env.get("OTLP_MAX_RECV_MSG_SIZE_BYTES"));
        assertEquals("k8s.pod.name,k8s.namespace.name", env.get("OTLP_PROMOTE_RESOURCE_ATTRIBUTES"));
        assertEquals("false", env.get("OTLP_PROMOTE_JOB_INSTANCE"));
        assertEquals("false", env.get("OTLP_TARGET_INFO_ENABLED"));
        assertEquals("true", env.get("DEMO"));
        assertEquals("service_namespace", env.get("SCALED_OBJECT_NAMESPACE_LABEL"));
        assertEquals("30", env.get("METRIC_STORE_WARM_UP_SECONDS"));
        assertEquals("/var/lib/keda-otel-scaler", env.get("METRIC_STORE_DATA_DIR"));
    }

    /** Promote-all renders with its ignore list, and the promote list stays the server's default (no startup error). */
    @Test
    void promoteAllWithAnIgnoreList() {
        Map<String, String> env = env(Chart.asDocumented().values("promote-all.yaml").render());
        assertEquals("true", env.get("OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES"));
        assertEquals("process.pid,host.arch", env.get("OTLP_IGNORE_RESOURCE_ATTRIBUTES"));
        assertEquals(env(Chart.asDocumented().render()).get("OTLP_PROMOTE_RESOURCE_ATTRIBUTES"),
                env.get("OTLP_PROMOTE_RESOURCE_ATTRIBUTES"));
    }

    /**
     * Issue 12's settings (TLS per port, token, bind address, reset switch, tenancy), listed here so
     * the chart is held to them even before the server's Setting.java names them all.
     */
    static final Set<String> ACCESS_AND_TLS_SETTINGS = Set.of("BIND_ADDRESS",
            "OTLP_TLS_CERT_FILE", "OTLP_TLS_KEY_FILE", "OTLP_TLS_CA_FILE", "OTLP_CERTIFICATE_RELOAD_INTERVAL",
            "KEDA_TLS_ENABLED", "KEDA_TLS_CERT_FILE", "KEDA_TLS_KEY_FILE", "KEDA_TLS_CA_FILE",
            "REST_API_TLS_CERT_FILE", "REST_API_TLS_KEY_FILE", "REST_API_TLS_CA_FILE",
            "INTERNAL_METRICS_TLS_CERT_FILE", "INTERNAL_METRICS_TLS_KEY_FILE", "INTERNAL_METRICS_TLS_CA_FILE",
            "REST_API_BEARER_TOKEN_FILE", "MEMSTORE_RESET_ENABLED", "SCALED_OBJECT_NAMESPACE_LABEL");

    /**
     * Every setting the server knows (read from the server's Setting constants, so a new setting
     * without chart wiring fails here) is reachable: rendered as an env var by one of the value sets
     * (extras, the TLS value sets, self-metrics on mutual TLS).
     */
    @Test
    void everyServerSettingIsReachableFromValues() throws IOException {
        Set<String> settings = serverSettings();
        assertTrue(settings.size() > 20 && settings.containsAll(Set.of("OTLP_TLS_CA_FILE", "KEDA_TLS_ENABLED")),
                () -> "could not read the settings: " + settings);
        settings.addAll(ACCESS_AND_TLS_SETTINGS);

        Set<String> rendered = new TreeSet<>();
        rendered.addAll(env(Chart.asDocumented().values("extras.yaml").render()).keySet());
        rendered.addAll(env(Chart.asDocumented().values("promote-all.yaml").render()).keySet());
        rendered.addAll(env(Chart.asDocumented().values("tls-per-port.yaml").render()).keySet());
        rendered.addAll(env(Chart.asDocumented().values("cert-manager.yaml").render()).keySet());
        rendered.addAll(env(Chart.asDocumented().set("settings.tls.internalMetrics.certFile", "/c/tls.crt")
                .set("settings.tls.internalMetrics.keyFile", "/c/tls.key").set("settings.tls.internalMetrics.caFile", "/c/ca.crt")
                .render()).keySet());
        Set<String> missing = new TreeSet<>(settings);
        missing.removeAll(rendered);
        assertEquals(Set.of(), missing, "settings with no env var in the rendered Deployment");
    }

    private static Set<String> serverSettings() throws IOException {
        Path source = Chart.moduleDir().getParent().resolve("server/src/main/java/dev/kedaotel/server/Setting.java");
        Matcher m = Pattern.compile("(?m)^\\s{4}public static final Setting<.*?> ([A-Z][A-Z0-9_]+) =").matcher(Files.readString(source));
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void optionalObjectsRenderWhenEnabled() {
        Manifests m = Chart.asDocumented().values("optional-resources.yaml").render();
        Map<String, Object> selector = m.one("Deployment").at("spec.selector.matchLabels").map();

        Node pdb = m.get("PodDisruptionBudget", "keda-otel-scaler");
        assertEquals(1, pdb.at("spec.minAvailable").integer());
        assertFalse(pdb.has("spec.maxUnavailable"));
        assertEquals(selector, pdb.at("spec.selector.matchLabels").map());

        Node sm = m.get("ServiceMonitor", "keda-otel-scaler");
        Node endpoint = sm.list("spec.endpoints").get(0);
        assertEquals("metrics", endpoint.str("port"));
        assertEquals("/metrics", endpoint.str("path"));
        assertEquals("30s", endpoint.str("interval"));
        assertEquals("kube-prometheus-stack", sm.str("metadata.labels.release"));
        assertEquals(m.get("Service", "keda-otel-scaler").at("metadata.labels").map().get("app.kubernetes.io/name"),
                sm.at("spec.selector.matchLabels").map().get("app.kubernetes.io/name"));

        Node np = m.get("NetworkPolicy", "keda-otel-scaler");
        assertEquals(selector, np.at("spec.podSelector.matchLabels").map());
        Node kedaRule = np.find("spec.ingress",
                r -> r.list("ports").stream().anyMatch(p -> "keda-scaler".equals(p.str("port"))), "rule for keda-scaler");
        assertEquals("keda-operator", kedaRule.list("from").get(0).str("podSelector.matchLabels.app"));
        Node otlpRule = np.find("spec.ingress",
                r -> r.list("ports").stream().anyMatch(p -> "otlp-grpc".equals(p.str("port"))), "rule for otlp-grpc");
        assertTrue(otlpRule.has("from"));
        Node metricsRule = np.find("spec.ingress",
                r -> r.list("ports").stream().anyMatch(p -> "metrics".equals(p.str("port"))), "rule for metrics");
        assertFalse(metricsRule.has("from"), "no metricsFrom: open to all");

        Node vap = m.get("ValidatingAdmissionPolicy", "well-formed-otel-scalers");
        assertEquals("keda.sh", vap.list("spec.matchConstraints.resourceRules").get(0).list("apiGroups").get(0).str());
        assertEquals(3, vap.list("spec.validations").size());
        Node binding = m.get("ValidatingAdmissionPolicyBinding", "well-formed-otel-scalers");
        assertEquals("well-formed-otel-scalers", binding.str("spec.policyName"));
    }

    @Test
    void admissionPolicyIsSkippedOnClustersWithoutTheV1Api() {
        assertFalse(Chart.asDocumented().kubeVersion("v1.29.0").set("validatingAdmissionPolicy.enabled", true)
                .render().has("ValidatingAdmissionPolicy"));
    }

    @Test
    void pdbFromTwoReplicasWithMaxUnavailableWhenAskedFor() {
        Node pdb = Chart.asDocumented().set("replicaCount", 2).set("podDisruptionBudget.minAvailable", "null")
                .set("podDisruptionBudget.maxUnavailable", 1).render().one("PodDisruptionBudget");
        assertEquals(1, pdb.at("spec.maxUnavailable").integer());
        assertFalse(pdb.has("spec.minAvailable"));
    }

    @Test
    void deployScalerFalseRendersNoDeployment() {
        Manifests m = Chart.asDocumented().set("deployScaler", false).render();
        assertFalse(m.has("Deployment"));
        assertTrue(m.has("Service"));
    }
}
