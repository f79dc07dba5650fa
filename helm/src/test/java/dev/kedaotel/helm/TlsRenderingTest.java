package dev.kedaotel.helm;

import static dev.kedaotel.helm.DefaultRenderingTest.container;
import static dev.kedaotel.helm.DefaultRenderingTest.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * TLS, the API token, bind address and tenancy as the chart wires them: which env vars the server
 * gets, which Secrets are mounted where, the cert-manager Certificate, and probes that the kubelet
 * can still answer (it verifies no server certificate and presents no client certificate).
 */
class TlsRenderingTest {
    private static final String CM_DIR = "/etc/keda-otel-scaler/tls";

    private static Node pod(Manifests m) {
        return m.one("Deployment").at("spec.template.spec");
    }

    private static void assertProbes(Manifests m, String port, String scheme) {
        Node c = container(m);
        assertEquals("/healthz", c.str("livenessProbe.httpGet.path"));
        assertEquals("/readyz", c.str("readinessProbe.httpGet.path"));
        for (String probe : List.of("livenessProbe", "readinessProbe")) {
            assertEquals(port, c.str(probe + ".httpGet.port"), probe + " port");
            assertEquals(scheme, c.str(probe + ".httpGet.scheme"), probe + " scheme");
        }
        assertEquals(6, c.at("livenessProbe.failureThreshold").integer(), "the timing values stay");
        assertEquals(1, c.at("readinessProbe.timeoutSeconds").integer());
    }

    private static List<String> tlsEnvNames(Map<String, String> env) {
        return env.keySet().stream().filter(n -> n.contains("_TLS_")).sorted().collect(Collectors.toList());
    }

    @Test
    void defaultsRenderNoTlsNoTokenAndNothingToMount() {
        Manifests m = Chart.asDocumented().render();
        Map<String, String> env = env(m);
        assertEquals(List.of(), tlsEnvNames(env), "no TLS env by default");
        assertFalse(env.containsKey("REST_API_BEARER_TOKEN_FILE"));
        assertFalse(env.containsKey("SCALED_OBJECT_NAMESPACE_LABEL"));
        assertEquals("0.0.0.0", env.get("BIND_ADDRESS"));
        assertEquals("false", env.get("MEMSTORE_RESET_ENABLED"));
        assertFalse(m.has("Certificate"));
        assertFalse(m.has("Secret"));
        assertEquals(List.of("tmp"), pod(m).list("volumes").stream().map(v -> v.str("name")).collect(Collectors.toList()));
        assertProbes(m, "http", "HTTP");
        Node svc = m.one("Service");
        assertEquals("grpc", svc.named("spec.ports", "otlp-grpc").str("appProtocol"));
        assertEquals("http", svc.named("spec.ports", "http").str("appProtocol"));
    }

    @Test
    void kedifyTlsValuesKeepKedifysMeaning() {
        Manifests m = Chart.asDocumented().values("tls-kedify-style.yaml").render();
        Map<String, String> env = env(m);
        assertEquals("/certs/ca.crt", env.get("OTLP_TLS_CA_FILE"));
        assertEquals("/certs/tls.crt", env.get("OTLP_TLS_CERT_FILE"));
        assertEquals("/certs/tls.key", env.get("OTLP_TLS_KEY_FILE"));
        assertEquals("1m", env.get("OTLP_CERTIFICATE_RELOAD_INTERVAL"));
        assertEquals("true", env.get("KEDA_TLS_ENABLED"));
        assertEquals("/certs/tls.crt", env.get("KEDA_TLS_CERT_FILE"), "kedify's chart: the KEDA port falls back to the OTLP certificate");
        assertEquals("/certs/tls.key", env.get("KEDA_TLS_KEY_FILE"));
        assertEquals(List.of("KEDA_TLS_CERT_FILE", "KEDA_TLS_ENABLED", "KEDA_TLS_KEY_FILE",
                "OTLP_TLS_CA_FILE", "OTLP_TLS_CERT_FILE", "OTLP_TLS_KEY_FILE"), tlsEnvNames(env),
                "the KEDA port gets no CA by fallback (that would demand client certificates from KEDA)");

        Node volume = pod(m).find("volumes", v -> "otel-scaler-certs".equals(v.str("secret.secretName")), "the Secret's volume");
        Node mount = container(m).named("volumeMounts", volume.str("name"));
        assertEquals("/certs", mount.str("mountPath"));
        assertEquals("true", mount.str("readOnly"));
        assertFalse(mount.has("subPath"), "a subPath mount would never see a renewed certificate");

        assertProbes(m, "http", "HTTP");
        Node svc = m.one("Service");
        assertFalse(svc.named("spec.ports", "otlp-grpc").has("appProtocol"), "no plaintext grpc claim on a TLS port");
        assertFalse(svc.named("spec.ports", "keda-scaler").has("appProtocol"));
    }

    @Test
    void perPortValuesReachTheirSettingsAndProbesMoveToTheMetricsPort() {
        Manifests m = Chart.asDocumented().values("tls-per-port.yaml").render();
        Map<String, String> env = env(m);
        assertEquals("/certs/keda/tls.crt", env.get("KEDA_TLS_CERT_FILE"));
        assertEquals("/certs/keda/tls.key", env.get("KEDA_TLS_KEY_FILE"));
        assertEquals("/certs/keda/ca.crt", env.get("KEDA_TLS_CA_FILE"));
        assertEquals("/certs/api/tls.crt", env.get("REST_API_TLS_CERT_FILE"));
        assertEquals("/certs/api/tls.key", env.get("REST_API_TLS_KEY_FILE"));
        assertEquals("/certs/api/ca.crt", env.get("REST_API_TLS_CA_FILE"));
        assertEquals("/certs/metrics/tls.crt", env.get("INTERNAL_METRICS_TLS_CERT_FILE"));
        assertEquals("/certs/metrics/tls.key", env.get("INTERNAL_METRICS_TLS_KEY_FILE"));
        assertFalse(env.containsKey("INTERNAL_METRICS_TLS_CA_FILE"));
        assertEquals("/certs/otlp/ca.crt", env.get("OTLP_TLS_CA_FILE"));
        assertEquals("30s", env.get("OTLP_CERTIFICATE_RELOAD_INTERVAL"));

        assertEquals("::", env.get("BIND_ADDRESS"));
        assertEquals("true", env.get("MEMSTORE_RESET_ENABLED"));
        assertEquals("k8s_namespace_name", env.get("SCALED_OBJECT_NAMESPACE_LABEL"));

        // The http port requires client certificates, which the kubelet cannot present: /healthz and
        // /readyz on the metrics port, over HTTPS because it has TLS.
        assertProbes(m, "metrics", "HTTPS");

        Node c = container(m);
        for (String dir : List.of("otlp", "keda", "api", "metrics")) {
            Node mount = c.find("volumeMounts", v -> ("/certs/" + dir).equals(v.str("mountPath")), "mount of /certs/" + dir);
            assertEquals("true", mount.str("readOnly"));
            assertEquals(dir + "-certs", pod(m).named("volumes", mount.str("name")).str("secret.secretName"));
        }

        // The token from an existing Secret: mounted as a directory, the file named after the key.
        assertEquals("/etc/keda-otel-scaler/bearer-token/tokens", env.get("REST_API_BEARER_TOKEN_FILE"));
        assertEquals("scaler-api-token", pod(m).named("volumes", "bearer-token").str("secret.secretName"));
        Node tokenMount = c.named("volumeMounts", "bearer-token");
        assertEquals("/etc/keda-otel-scaler/bearer-token", tokenMount.str("mountPath"));
        assertEquals("true", tokenMount.str("readOnly"));
        assertFalse(tokenMount.has("subPath"), "the server re-reads the file; a subPath mount would never change");
        assertFalse(m.has("Secret"), "an existing Secret is used, not created");

        Node endpoint = m.one("ServiceMonitor").list("spec.endpoints").get(0);
        assertEquals("https", endpoint.str("scheme"));
        assertEquals("true", endpoint.str("tlsConfig.insecureSkipVerify"), "no CA known to the chart");
        Node svc = m.one("Service");
        assertEquals("https", svc.named("spec.ports", "http").str("appProtocol"));
        assertEquals("https", svc.named("spec.ports", "metrics").str("appProtocol"));
    }

    @Test
    void restApiWithTlsButNoClientCaIsProbedOverHttpsOnTheHttpPort() {
        Manifests m = Chart.asDocumented().set("settings.tls.restApi.certFile", "/c/tls.crt")
                .set("settings.tls.restApi.keyFile", "/c/tls.key").render();
        assertProbes(m, "http", "HTTPS");
        assertEquals(List.of("REST_API_TLS_CERT_FILE", "REST_API_TLS_KEY_FILE"), tlsEnvNames(env(m)));
    }

    @Test
    void restApiMutualTlsWithPlainMetricsPortProbesMetricsOverHttp() {
        Manifests m = Chart.asDocumented().set("settings.tls.restApi.certFile", "/c/tls.crt")
                .set("settings.tls.restApi.keyFile", "/c/tls.key").set("settings.tls.restApi.caFile", "/c/ca.crt").render();
        assertProbes(m, "metrics", "HTTP");
    }

    @Test
    void bothHttpPortsWithMutualTlsRenderWhenTheUserGivesBothProbeHandlers() {
        Manifests m = Chart.asDocumented()
                .set("settings.tls.restApi.certFile", "/c/tls.crt").set("settings.tls.restApi.keyFile", "/c/tls.key")
                .set("settings.tls.restApi.caFile", "/c/ca.crt")
                .set("settings.tls.internalMetrics.certFile", "/c/tls.crt").set("settings.tls.internalMetrics.keyFile", "/c/tls.key")
                .set("settings.tls.internalMetrics.caFile", "/c/ca.crt")
                .set("livenessProbe.tcpSocket.port", "http").set("readinessProbe.tcpSocket.port", "http").render();
        Node c = container(m);
        assertEquals("http", c.str("livenessProbe.tcpSocket.port"));
        assertFalse(c.has("livenessProbe.httpGet"), "the user's handler replaces the chart's");
        assertFalse(c.has("readinessProbe.httpGet"));
        assertEquals(6, c.at("livenessProbe.failureThreshold").integer());
    }

    @Test
    void userProbeHandlerIsKeptAsGiven() {
        Node c = container(Chart.asDocumented().set("readinessProbe.httpGet.path", "/-/ready")
                .set("readinessProbe.httpGet.port", "metrics").render());
        assertEquals("/-/ready", c.str("readinessProbe.httpGet.path"));
        assertEquals("metrics", c.str("readinessProbe.httpGet.port"));
        assertEquals("/healthz", c.str("livenessProbe.httpGet.path"));
    }

    @Test
    void certManagerCertificateIsIssuedMountedAndFeedsEveryListedPort() {
        Manifests m = Chart.asDocumented().values("cert-manager.yaml").render();
        Node cert = m.get("Certificate", "keda-otel-scaler");
        assertEquals("cert-manager.io/v1", cert.str("apiVersion"));
        assertEquals("keda", cert.str("metadata.namespace"));
        assertEquals("keda-otel-scaler-tls", cert.str("spec.secretName"));
        assertEquals(List.of("keda-otel-scaler", "keda-otel-scaler.keda", "keda-otel-scaler.keda.svc",
                "keda-otel-scaler.keda.svc.cluster.local"), cert.at("spec.dnsNames").raw());
        assertEquals("scaler-ca", cert.str("spec.issuerRef.name"));
        assertEquals("ClusterIssuer", cert.str("spec.issuerRef.kind"));
        assertEquals("cert-manager.io", cert.str("spec.issuerRef.group"));
        assertEquals("720h", cert.str("spec.duration"));
        assertEquals("240h", cert.str("spec.renewBefore"));
        assertEquals("PKCS8", cert.str("spec.privateKey.encoding"));
        assertEquals("Always", cert.str("spec.privateKey.rotationPolicy"));
        assertTrue(cert.list("spec.usages").stream().anyMatch(u -> "server auth".equals(u.str())));

        assertEquals("keda-otel-scaler-tls", pod(m).named("volumes", "tls-cert-manager").str("secret.secretName"));
        Node mount = container(m).named("volumeMounts", "tls-cert-manager");
        assertEquals(CM_DIR, mount.str("mountPath"));
        assertEquals("true", mount.str("readOnly"));

        Map<String, String> env = env(m);
        for (String p : List.of("OTLP_TLS", "KEDA_TLS", "REST_API_TLS", "INTERNAL_METRICS_TLS")) {
            assertEquals(CM_DIR + "/tls.crt", env.get(p + "_CERT_FILE"), p);
            assertEquals(CM_DIR + "/tls.key", env.get(p + "_KEY_FILE"), p);
        }
        assertEquals("true", env.get("KEDA_TLS_ENABLED"));
        assertEquals(CM_DIR + "/ca.crt", env.get("OTLP_TLS_CA_FILE"));
        assertEquals(CM_DIR + "/ca.crt", env.get("KEDA_TLS_CA_FILE"));
        assertFalse(env.containsKey("REST_API_TLS_CA_FILE"), "restApi is not in mtlsPorts");
        assertFalse(env.containsKey("INTERNAL_METRICS_TLS_CA_FILE"));
        assertProbes(m, "http", "HTTPS");

        // The created token Secret: both tokens (rotation), mounted, pointed at.
        Node secret = m.get("Secret", "keda-otel-scaler-bearer-token");
        assertEquals("keda", secret.str("metadata.namespace"));
        assertEquals("token-one\ntoken-two", new String(Base64.getDecoder().decode(secret.str("data.token")), StandardCharsets.UTF_8));
        assertEquals("keda-otel-scaler-bearer-token", pod(m).named("volumes", "bearer-token").str("secret.secretName"));
        assertEquals("/etc/keda-otel-scaler/bearer-token/token", env.get("REST_API_BEARER_TOKEN_FILE"));

        // Prometheus verifies the metrics port against the issuer's CA, by the Service name.
        Node endpoint = m.one("ServiceMonitor").list("spec.endpoints").get(0);
        assertEquals("https", endpoint.str("scheme"));
        assertEquals("keda-otel-scaler-tls", endpoint.str("tlsConfig.ca.secret.name"));
        assertEquals("ca.crt", endpoint.str("tlsConfig.ca.secret.key"));
        assertEquals("keda-otel-scaler.keda.svc", endpoint.str("tlsConfig.serverName"));
        assertTrue(cert.list("spec.dnsNames").stream().anyMatch(d -> "keda-otel-scaler.keda.svc".equals(d.str())));
    }

    @Test
    void certManagerDefaultsServeOtlpKedaAndApiButNotSelfMetrics() {
        Manifests m = Chart.asDocumented().set("certManager.enabled", true).set("certManager.issuerRef.name", "ca").render();
        Map<String, String> env = env(m);
        assertEquals(List.of("KEDA_TLS_CERT_FILE", "KEDA_TLS_ENABLED", "KEDA_TLS_KEY_FILE", "OTLP_TLS_CERT_FILE",
                "OTLP_TLS_KEY_FILE", "REST_API_TLS_CERT_FILE", "REST_API_TLS_KEY_FILE"), tlsEnvNames(env));
        assertEquals("Issuer", m.one("Certificate").str("spec.issuerRef.kind"));
    }

    @Test
    void certificateNamesFollowServiceNameAndNamespace() {
        Manifests m = Chart.release("otel", "monitoring").set("service.name", "scaler")
                .set("certManager.enabled", true).set("certManager.issuerRef.name", "ca")
                .set("certManager.secretName", "scaler-serving").set("certManager.mountPath", "/tls").render();
        Node cert = m.one("Certificate");
        assertEquals(List.of("scaler", "scaler.monitoring", "scaler.monitoring.svc", "scaler.monitoring.svc.cluster.local"),
                cert.at("spec.dnsNames").raw());
        assertEquals("scaler-serving", cert.str("spec.secretName"));
        assertEquals("scaler-serving", pod(m).named("volumes", "tls-cert-manager").str("secret.secretName"));
        assertEquals("/tls/tls.crt", env(m).get("OTLP_TLS_CERT_FILE"));

        Node custom = Chart.asDocumented().set("certManager.enabled", true).set("certManager.issuerRef.name", "ca")
                .set("certManager.dnsNames[0]", "scaler.example.com").render().one("Certificate");
        assertEquals(List.of("scaler.example.com"), custom.at("spec.dnsNames").raw());
    }

    @Test
    void explicitFilesWinOverCertManager() {
        Map<String, String> env = env(Chart.asDocumented().set("certManager.enabled", true).set("certManager.issuerRef.name", "ca")
                .set("settings.tls.restApi.certFile", "/own/tls.crt").set("settings.tls.restApi.keyFile", "/own/tls.key")
                .set("settings.tls.keda.enabled", true).set("settings.tls.keda.caFile", "/own/ca.crt").render());
        assertEquals("/own/tls.crt", env.get("REST_API_TLS_CERT_FILE"));
        assertEquals("/own/tls.key", env.get("REST_API_TLS_KEY_FILE"));
        assertEquals(CM_DIR + "/tls.crt", env.get("KEDA_TLS_CERT_FILE"));
        assertEquals("/own/ca.crt", env.get("KEDA_TLS_CA_FILE"));
        assertEquals(CM_DIR + "/tls.crt", env.get("OTLP_TLS_CERT_FILE"));
    }

    /** The oldest Kubernetes the chart declares (Chart.yaml kubeVersion) renders every TLS value set. */
    @Test
    void tlsValueSetsRenderOnTheOldestSupportedKubernetes() {
        for (String values : List.of("tls-kedify-style.yaml", "tls-per-port.yaml", "cert-manager.yaml")) {
            Manifests m = Chart.asDocumented().kubeVersion("v1.25.0").values(values).render();
            assertTrue(m.has("Deployment"), values);
        }
    }

    @Test
    void notesTellHowToReachATlsAndTokenProtectedInstall() {
        String notes = Chart.asDocumented().values("cert-manager.yaml").renderNotes();
        assertTrue(notes.contains("enableTLS: \"true\""), notes);
        assertTrue(notes.contains("tlsClientCert"), notes);
        assertTrue(notes.contains("https://keda-otel-scaler.keda.svc:9090"), notes);
        assertTrue(notes.contains("Authorization: Bearer"), notes);
        assertTrue(notes.contains("get secret keda-otel-scaler-bearer-token"), notes);
        assertFalse(notes.contains("TLS is off"), notes);
    }
}
