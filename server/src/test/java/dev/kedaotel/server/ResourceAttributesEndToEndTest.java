package dev.kedaotel.server;

import dev.kedaotel.server.http.JsonReader;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Resource attributes and {@code target_info} end to end, as a user of Prometheus' OTLP receiver expects
 * them: the real OpenTelemetry Java SDK exports several resources over OTLP/gRPC to the started service,
 * and PromQL over the HTTP API sees {@code target_info} and joins on it.
 */
class ResourceAttributesEndToEndTest {
    /** Promotes only k8s.pod.name, so k8s_cluster_name reaches a query through target_info alone. */
    private static RunningServer narrow;
    /** Promote-all with an ignore list. */
    private static RunningServer all;

    @BeforeAll
    static void start() throws Exception {
        narrow = new RunningServer("--otlp-promote-resource-attributes=k8s.pod.name");
        all = new RunningServer("--otlp-promote-all-resource-attributes=true",
                "--otlp-ignore-resource-attributes=process.pid,host.arch");
    }

    @AfterAll
    static void stop() {
        narrow.close();
        all.close();
    }

    private static Attributes resource(String... kv) {
        var b = Attributes.builder();
        for (int i = 0; i < kv.length; i += 2) {
            b.put(AttributeKey.stringKey(kv[i]), kv[i + 1]);
        }
        return b.build();
    }

    private static SdkMeterProvider provider(RunningServer server, FakeOtelClock clock, Attributes resource) {
        return SdkMeterProvider.builder()
                .setClock(clock)
                // Resource.create: exactly these attributes, without the SDK's defaults.
                .setResource(Resource.create(resource))
                .registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder()
                        .setEndpoint(server.otlpEndpoint()).build()).setInterval(Duration.ofDays(1)).build())
                .build();
    }

    private static void flush(SdkMeterProvider p) {
        assertTrue(p.forceFlush().join(10, TimeUnit.SECONDS).isSuccess(), "OTLP export failed");
    }

    /** The instant query's vector as (labels → value). */
    @SuppressWarnings("unchecked")
    private static Map<Map<String, String>, Double> query(RunningServer server, String promql, long timeMs) throws Exception {
        HttpResponse<String> r = server.get("/api/v1/query?query=" + RunningServer.enc(promql) + "&time="
                + RunningServer.enc(String.format(java.util.Locale.ROOT, "%.3f", timeMs / 1000.0)));
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> body = (Map<String, Object>) JsonReader.parse(r.body());
        Map<String, Object> data = (Map<String, Object>) body.get("data");
        assertEquals("vector", data.get("resultType"), r.body());
        Map<Map<String, String>, Double> out = new HashMap<>();
        for (Object o : (List<Object>) data.get("result")) {
            Map<String, Object> sample = (Map<String, Object>) o;
            Map<String, String> labels = new TreeMap<>();
            ((Map<String, Object>) sample.get("metric")).forEach((k, v) -> labels.put(k, (String) v));
            List<Object> value = (List<Object>) sample.get("value");
            out.put(labels, Double.parseDouble((String) value.get(1)));
        }
        return out;
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * Three pods of service "checkout" in two clusters count requests; each exports twice, 20 s apart.
     * Returns the time of the second export.
     */
    private static long exportThreePods(RunningServer server, String metric) {
        FakeOtelClock clock = new FakeOtelClock(System.currentTimeMillis() - 30_000);
        List<SdkMeterProvider> providers = new ArrayList<>();
        List<LongCounter> counters = new ArrayList<>();
        String[][] pods = {
                {"a-1", "east", "pod-a"}, {"b-1", "west", "pod-b"}, {"c-1", "east", "pod-c"}};
        for (String[] pod : pods) {
            SdkMeterProvider p = provider(server, clock, resource("service.namespace", "shop", "service.name", "checkout",
                    "service.instance.id", pod[0], "k8s.cluster.name", pod[1], "k8s.pod.name", pod[2],
                    "os.type", "linux", "process.pid", "4" + pod[0].charAt(0), "host.arch", "amd64"));
            providers.add(p);
            counters.add(p.get("e2e").counterBuilder(metric).build());
        }
        // Per pod: +10, +10 (a, c) and +30, +30 (b): each pod's first value equals its increase, so all three
        // rates get the same extrapolation and b's rate is exactly three times a's.
        long[] steps = {10, 30, 10};
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                clock.advanceMs(20_000);
            }
            for (int i = 0; i < pods.length; i++) {
                counters.get(i).add(steps[i], Attributes.of(AttributeKey.stringKey("route"), "/pay"));
                flush(providers.get(i));
            }
        }
        providers.forEach(SdkMeterProvider::close);
        return clock.nowMs();
    }

    @Test
    void targetInfoHasJobInstanceAndTheOtherResourceAttributes() throws Exception {
        long t = exportThreePods(narrow, "ti.requests");
        Map<Map<String, String>, Double> info = query(narrow, "target_info{job=\"shop/checkout\"}", t);
        Map<Map<String, String>, Double> expected = new HashMap<>();
        for (String[] pod : new String[][] {{"a-1", "east", "pod-a"}, {"b-1", "west", "pod-b"}, {"c-1", "east", "pod-c"}}) {
            expected.put(labels("__name__", "target_info", "job", "shop/checkout", "instance", pod[0],
                    "k8s_cluster_name", pod[1], "k8s_pod_name", pod[2], "os_type", "linux",
                    "process_pid", "4" + pod[0].charAt(0), "host_arch", "amd64"), 1.0);
        }
        assertEquals(expected, info);
        // Listed by the metadata API as Prometheus lists it.
        assertEquals("{\"status\":\"success\",\"data\":{\"target_info\":[{\"type\":\"gauge\",\"help\":\"Target metadata\","
                + "\"unit\":\"\"}]}}", narrow.get("/api/v1/metadata?metric=target_info").body());
        // The metric itself carries only the promoted k8s.pod.name, job and instance besides its attributes.
        assertEquals(Map.of(labels("__name__", "ti_requests", "route", "/pay", "job", "shop/checkout", "instance", "a-1",
                "k8s_pod_name", "pod-a"), 20.0), query(narrow, "ti_requests{instance=\"a-1\"}", t));
    }

    @Test
    void groupLeftJoinOnTargetInfoSumsByCluster() throws Exception {
        long t = exportThreePods(narrow, "join.requests");
        // a's rate r (c's is the same, b's 3 r): east = a + c = 2 r, west = b = 3 r.
        double r = query(narrow, "rate(join_requests{instance=\"a-1\"}[1m])", t).values().iterator().next();
        assertTrue(r > 0, "rate " + r);
        Map<Map<String, String>, Double> byCluster = query(narrow,
                "sum by (k8s_cluster_name) (rate(join_requests[1m]) * on (job, instance) group_left (k8s_cluster_name) target_info)", t);
        assertEquals(Map.of(labels("k8s_cluster_name", "east"), 2 * r, labels("k8s_cluster_name", "west"), 3 * r), byCluster);
        // Without the join the cluster is unknown here (not promoted).
        assertEquals(Map.of(labels(), 5 * r), query(narrow, "sum by (k8s_cluster_name) (rate(join_requests[1m]))", t));
    }

    @Test
    void promoteAllCopiesEveryResourceAttributeButTheIgnoredOnes() throws Exception {
        long t = exportThreePods(all, "all.requests");
        assertEquals(Map.of(labels("__name__", "all_requests", "route", "/pay", "job", "shop/checkout", "instance", "b-1",
                        "service_namespace", "shop", "service_name", "checkout", "service_instance_id", "b-1",
                        "k8s_cluster_name", "west", "k8s_pod_name", "pod-b", "os_type", "linux"), 60.0),
                query(all, "all_requests{instance=\"b-1\"}", t));
        // target_info still has the ignored ones; the join works the same with the label promoted.
        assertEquals(Map.of(labels("__name__", "target_info", "job", "shop/checkout", "instance", "b-1",
                        "k8s_cluster_name", "west", "k8s_pod_name", "pod-b", "os_type", "linux", "process_pid", "4b",
                        "host_arch", "amd64"), 1.0),
                query(all, "target_info{instance=\"b-1\"}", t));
        double r = query(all, "rate(all_requests{instance=\"a-1\"}[1m])", t).values().iterator().next();
        assertEquals(Map.of(labels("k8s_cluster_name", "east"), 2 * r, labels("k8s_cluster_name", "west"), 3 * r), query(all,
                "sum by (k8s_cluster_name) (rate(all_requests[1m]) * on (job, instance) group_left (k8s_cluster_name) target_info)", t));
    }

    @Test
    void promoteAllAndTheIgnoreListFollowPrometheusRules() {
        Config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(Config.ConfigException.class,
                () -> Config.load(new String[] {"--otlp-ignore-resource-attributes=process.pid"}, Map.of()));
        assertTrue(e.getMessage().contains("OTLP_IGNORE_RESOURCE_ATTRIBUTES needs OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES=true"),
                e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(Config.ConfigException.class, () -> Config.load(
                new String[] {"--otlp-promote-all-resource-attributes", "--otlp-promote-resource-attributes=k8s.pod.name"}, Map.of()));
        assertTrue(e.getMessage().contains("OTLP_PROMOTE_RESOURCE_ATTRIBUTES cannot be changed when"
                + " OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES=true"), e.getMessage());
        // The default list with promote-all is fine (the Helm chart passes it).
        Config ok = Config.load(new String[] {"--otlp-promote-all-resource-attributes"},
                Map.of("OTLP_PROMOTE_RESOURCE_ATTRIBUTES", Setting.OTLP_PROMOTE_RESOURCE_ATTRIBUTES.defaultValue()));
        assertTrue(ok.get(Setting.OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES));
    }
}
