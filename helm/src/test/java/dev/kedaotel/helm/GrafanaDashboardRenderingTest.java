package dev.kedaotel.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code grafanaDashboard}: the chart ships dashboards/keda-otel-scaler.json unchanged in a ConfigMap that
 * Grafana's dashboard sidecar picks up, and nothing when disabled. (That the dashboard's queries parse and read
 * only metrics the service serves is checked in the server module, against a running server's /metrics.)
 */
class GrafanaDashboardRenderingTest {
    private static final String NAME = "keda-otel-scaler-dashboard";

    @Test
    void offByDefault() {
        Manifests m = Chart.asDocumented().render();
        assertTrue(m.ofKind("ConfigMap").stream().noneMatch(n -> n.str("metadata.name").equals(NAME)), "no dashboard ConfigMap");
    }

    @Test
    void enabledRendersTheDashboardJsonForTheSidecar() throws Exception {
        Manifests m = Chart.asDocumented().set("grafanaDashboard.enabled", true).render();
        Node cm = m.get("ConfigMap", NAME);
        assertEquals("keda", cm.str("metadata.namespace"), "the release's namespace by default");
        assertEquals("1", cm.str("metadata.labels.grafana_dashboard"), "the sidecar's default label");
        String json = (String) cm.at("data").map().get("keda-otel-scaler.json");
        String file = Files.readString(Chart.chartDir().resolve("dashboards/keda-otel-scaler.json"));
        assertEquals(file.strip(), json.strip(), "the file, unchanged");
        @SuppressWarnings("unchecked")
        Map<String, Object> dashboard = (Map<String, Object>) new Yaml().load(json); // JSON is YAML
        assertEquals(39, dashboard.get("schemaVersion"));
        assertEquals("keda-otel-scaler", dashboard.get("uid"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> variables = (List<Map<String, Object>>) ((Map<String, Object>) dashboard.get("templating")).get("list");
        Map<String, Object> datasource = variables.stream().filter(v -> "datasource".equals(v.get("name"))).findFirst().orElseThrow();
        assertEquals("datasource", datasource.get("type"));
        assertEquals("prometheus", datasource.get("query"));
        assertTrue(json.contains("\"uid\": \"${datasource}\""), "panels use the data source variable");
    }

    @Test
    void namespaceLabelsAndAnnotationsAreTheUsers() {
        Manifests m = Chart.asDocumented().set("grafanaDashboard.enabled", true).set("grafanaDashboard.namespace", "monitoring")
                .set("grafanaDashboard.labels.team", "platform").set("grafanaDashboard.annotations.grafana_folder", "KEDA").render();
        Node cm = m.get("ConfigMap", NAME);
        assertEquals("monitoring", cm.str("metadata.namespace"));
        assertEquals("platform", cm.str("metadata.labels.team"));
        assertEquals("1", cm.str("metadata.labels.grafana_dashboard"), "set labels come on top of the default");
        assertEquals("KEDA", cm.at("metadata.annotations").map().get("grafana_folder"));
    }
}
