package dev.kedaotel.helm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values that must stop the install with a message saying what is wrong. */
class RejectedValuesTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "settings.tls.caFile, /certs/ca.crt",
            "settings.tls.certFile, /certs/tls.crt",
            "settings.tls.keyFile, /certs/tls.key",
            "settings.tls.keda.enabled, true",
            "settings.tls.keda.certFile, /certs/keda.crt",
            "settings.tls.secrets[0].name, certs",
    })
    void tlsValuesFailWithTheExplanation(String key, String value) {
        Chart chart = Chart.asDocumented().set(key, value.equals("true") ? Boolean.TRUE : value);
        if (key.startsWith("settings.tls.secrets")) {
            chart.set("settings.tls.secrets[0].mountPath", "/certs");
        }
        String error = chart.renderError();
        assertTrue(error.contains("does not support TLS yet") && error.contains("later version"), error);
        assertTrue(error.contains("settings.tls"), error);
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
