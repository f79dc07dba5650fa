package dev.kedaotel.helm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values that must stop the install with a message saying what is wrong. */
class RejectedValuesTest {

    /** Half a TLS configuration never installs: the port would be plaintext or the server would not start. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "settings.tls.certFile=/c/tls.crt | settings.tls.certFile is set but settings.tls.keyFile is not",
            "settings.tls.keyFile=/c/tls.key | settings.tls.keyFile is set but settings.tls.certFile is not",
            "settings.tls.caFile=/c/ca.crt | OTLP_TLS_CERT_FILE",
            "settings.tls.keda.caFile=/c/ca.crt | settings.tls.keda.enabled is false",
            "settings.tls.keda.certFile=/c/tls.crt | the KEDA port would stay plaintext",
            "settings.tls.keda.enabled=true | settings.tls.keda.enabled is true but no certificate",
            "settings.tls.restApi.certFile=/c/tls.crt | settings.tls.restApi.keyFile is not",
            "settings.tls.restApi.caFile=/c/ca.crt | REST_API_TLS_CERT_FILE",
            "settings.tls.internalMetrics.keyFile=/c/tls.key | settings.tls.internalMetrics.certFile is not",
            "certManager.enabled=true | set certManager.issuerRef.name",
            "settings.auth.bearerToken.create=true | value is empty",
            "settings.auth.bearerToken.value=s3cret | create is false",
    })
    void incompleteTlsOrTokenValuesFailNamingTheValue(String set, String expected) {
        int eq = set.indexOf('=');
        String value = set.substring(eq + 1);
        String error = Chart.asDocumented().set(set.substring(0, eq), value.equals("true") ? Boolean.TRUE : value).renderError();
        assertTrue(error.contains(expected), error);
    }

    @Test
    void mtlsPortThatCertManagerDoesNotServeIsRefused() {
        String error = Chart.asDocumented().set("certManager.enabled", true).set("certManager.issuerRef.name", "ca")
                .set("certManager.ports[0]", "otlp").set("certManager.mtlsPorts[0]", "keda").renderError();
        assertTrue(error.contains("certManager.mtlsPorts lists keda") && error.contains("Add keda to certManager.ports"), error);
    }

    @Test
    void tokenFromBothAnExistingAndACreatedSecretIsRefused() {
        String error = Chart.asDocumented().set("settings.auth.bearerToken.existingSecret", "t")
                .set("settings.auth.bearerToken.create", true).set("settings.auth.bearerToken.value", "x").renderError();
        assertTrue(error.contains("existingSecret or create, not both"), error);
    }

    /** The kubelet presents no client certificate, so with both HTTP ports on mutual TLS no HTTP probe can pass. */
    @Test
    void bothHttpPortsRequiringClientCertificatesFailWithTheProbeExplanation() {
        Chart chart = Chart.asDocumented()
                .set("settings.tls.restApi.certFile", "/c/tls.crt").set("settings.tls.restApi.keyFile", "/c/tls.key")
                .set("settings.tls.restApi.caFile", "/c/ca.crt")
                .set("settings.tls.internalMetrics.certFile", "/c/tls.crt").set("settings.tls.internalMetrics.keyFile", "/c/tls.key")
                .set("settings.tls.internalMetrics.caFile", "/c/ca.crt");
        String error = chart.renderError();
        assertTrue(error.contains("kubelet cannot present one") && error.contains("livenessProbe and readinessProbe")
                && error.contains("tcpSocket"), error);

        String onlyOneOverridden = chart.set("livenessProbe.tcpSocket.port", "http").renderError();
        assertTrue(onlyOneOverridden.contains("kubelet cannot present one"), "readinessProbe still needs a handler: " + onlyOneOverridden);
    }

    @Test
    void bothHttpPortsOnMutualTlsThroughCertManagerFailToo() {
        String error = Chart.asDocumented().set("certManager.enabled", true).set("certManager.issuerRef.name", "ca")
                .set("certManager.ports[0]", "restApi").set("certManager.ports[1]", "internalMetrics")
                .set("certManager.mtlsPorts[0]", "restApi").set("certManager.mtlsPorts[1]", "internalMetrics").renderError();
        assertTrue(error.contains("certManager.mtlsPorts") && error.contains("kubelet cannot present one"), error);
    }

    @Test
    void serviceMonitorWithoutAClientCertificateForAMutualTlsMetricsPortIsRefused() {
        String error = Chart.asDocumented().set("serviceMonitor.enabled", true)
                .set("settings.tls.internalMetrics.certFile", "/c/tls.crt").set("settings.tls.internalMetrics.keyFile", "/c/tls.key")
                .set("settings.tls.internalMetrics.caFile", "/c/ca.crt").renderError();
        assertTrue(error.contains("serviceMonitor.tlsConfig"), error);
    }

    @Test
    void unknownCertManagerPortIsRejectedBySchema() {
        String error = Chart.asDocumented().set("certManager.ports[0]", "grpc").renderError();
        assertTrue(error.contains("/certManager/ports/0"), error);
    }

    @Test
    void namespaceLabelThatIsNoLabelNameIsRejectedBySchema() {
        String error = Chart.asDocumented().set("settings.scaledObjectNamespaceLabel", "k8s.namespace.name").renderError();
        assertTrue(error.contains("/settings/scaledObjectNamespaceLabel"), error);
    }

    @Test
    void bundledCollectorRequestIsRefusedWithAPointerToTheExample() {
        String error = Chart.asDocumented().set("otelCollector.enabled", true).renderError();
        assertTrue(error.contains("does not bundle an OpenTelemetry collector") && error.contains("otel-collector-sidecar"), error);
    }

    @Test
    void kedifyImageLeftInAValuesFileIsRefused() {
        String error = Chart.asDocumented().set("image.repository", "ghcr.io/kedify/otel-add-on").renderError();
        assertTrue(error.contains("Remove image.repository"), error);
    }

    @Test
    void pdbWithBothBoundsIsRefused() {
        String error = Chart.asDocumented().set("podDisruptionBudget.enabled", true)
                .set("podDisruptionBudget.minAvailable", 1).set("podDisruptionBudget.maxUnavailable", 1).renderError();
        assertTrue(error.contains("minAvailable or maxUnavailable, not both"), error);
    }

    @Test
    void stringPortIsRejectedBySchema() {
        String error = Chart.asDocumented().set("service.otlpReceiverPort", "grpc").renderError();
        assertTrue(error.contains("/service/otlpReceiverPort") && error.contains("integer"), error);
    }

    @Test
    void outOfRangePortIsRejectedBySchema() {
        String error = Chart.asDocumented().set("settings.restApiPort", 70000).renderError();
        assertTrue(error.contains("/settings/restApiPort"), error);
    }

    @Test
    void unknownTopLevelKeyIsRejectedBySchema() {
        String error = Chart.asDocumented().set("replicaCont", 2).renderError();
        assertTrue(error.contains("replicaCont"), error);
    }

    @Test
    void nestedTypoIsRejectedBySchema() {
        String error = Chart.asDocumented().set("settings.metricStore.retentionSecond", 60).renderError();
        assertTrue(error.contains("retentionSecond"), error);
    }

    @Test
    void unknownLogLevelIsRejectedBySchema() {
        String error = Chart.asDocumented().set("settings.logs.logLvl", "verbose").renderError();
        assertTrue(error.contains("/settings/logs/logLvl"), error);
    }

    @Test
    void unknownStrategyIsRejectedBySchema() {
        String error = Chart.asDocumented().set("deploymentStrategy", "BlueGreen").renderError();
        assertTrue(error.contains("/deploymentStrategy"), error);
    }
}
