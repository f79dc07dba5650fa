package dev.kedaotel.receiver;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.attr;
import static dev.kedaotel.receiver.Otlp.doublePoint;
import static dev.kedaotel.receiver.Otlp.request;
import static dev.kedaotel.receiver.Otlp.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.model.TimeSource;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.TimeSeriesStore;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Resource attributes as Prometheus' OTLP receiver treats them: which become labels of every series
 * (the promote list, or promote-all minus the ignore list), and the {@code target_info} series per
 * resource. Through the real ingestor into a recording sink, or a real store where limits matter.
 */
class ResourceAttributesTest {
    private static final long NOW = T0_MS + 60_000;

    private RecordingSink sink = new RecordingSink();

    private ExportResult export(ReceiverConfig config, ExportMetricsServiceRequest request) throws MalformedOtlpException {
        OtlpIngestor ingestor = new OtlpIngestor(config, new ReceiverStats(), () -> sink, TimeSource.wallClock(() -> NOW));
        return ingestor.export(request.toByteArray(), ReceiverStats.Transport.GRPC);
    }

    private static Metric gauge(String name, NumberDataPoint... points) {
        return Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points))).build();
    }

    private static ReceiverConfig promoteAll(String... ignored) {
        return ReceiverConfig.builder().promoteAllResourceAttributes(true).ignoredResourceAttributes(List.of(ignored)).build();
    }

    /** The one series named {@code name}, as its labels. */
    private Map<String, String> seriesNamed(String name) {
        List<Map<String, String>> found = sink.series().keySet().stream().filter(l -> name.equals(l.get("__name__"))).toList();
        assertEquals(1, found.size(), () -> name + ": " + sink.series().keySet());
        return found.get(0);
    }

    private static Map<String, String> labels(String... kv) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---- promotion ---------------------------------------------------------------------------------

    @Test
    void theDefaultListIsPrometheusRecommendedSetPlusTheEarlierDefaults() throws Exception {
        assertTrue(ReceiverConfig.DEFAULT_PROMOTED_RESOURCE_ATTRIBUTES.containsAll(List.of("service.instance.id", "service.name",
                "service.namespace", "service.version", "cloud.availability_zone", "cloud.region", "container.name",
                "deployment.environment", "deployment.environment.name", "k8s.cluster.name", "k8s.container.name",
                "k8s.cronjob.name", "k8s.daemonset.name", "k8s.deployment.name", "k8s.job.name", "k8s.namespace.name",
                "k8s.pod.name", "k8s.replicaset.name", "k8s.statefulset.name", "k8s.node.name", "host.name")));
        assertEquals(21, ReceiverConfig.DEFAULT_PROMOTED_RESOURCE_ATTRIBUTES.size());

        export(ReceiverConfig.defaults(), request(resource("k8s.cluster.name", "c1", "service.version", "1.2",
                        "deployment.environment.name", "prod", "k8s.replicaset.name", "rs-1", "k8s.node.name", "n1",
                        "host.name", "h1", "process.pid", "7", "telemetry.sdk.language", "java"),
                gauge("g", doublePoint(T0_MS, 1))));
        // Not promoted: process.pid, telemetry.sdk.language (they are in target_info, when there is one).
        assertEquals(labels("__name__", "g", "k8s_cluster_name", "c1", "service_version", "1.2",
                "deployment_environment_name", "prod", "k8s_replicaset_name", "rs-1", "k8s_node_name", "n1",
                "host_name", "h1"), seriesNamed("g"));
    }

    @Test
    void aDataPointAttributeWinsOverAPromotedResourceAttribute() throws Exception {
        for (ReceiverConfig config : List.of(ReceiverConfig.defaults(), promoteAll())) {
            sink = new RecordingSink();
            export(config, request(resource("k8s.cluster.name", "from-resource", "cloud.region", "eu"),
                    gauge("g", doublePoint(T0_MS, 1, "k8s_cluster_name", "from-point"))));
            assertEquals(labels("__name__", "g", "k8s_cluster_name", "from-point", "cloud_region", "eu"), seriesNamed("g"));
        }
    }

    @Test
    void promoteAllPromotesEveryAttributeButTheIgnoredOnes() throws Exception {
        ExportResult r = export(promoteAll("process.pid", "secret.token"), request(resource("service.name", "api",
                        "service.instance.id", "i-1", "k8s.cluster.name", "c1", "process.pid", "7",
                        "secret.token", "s3cr3t", "telemetry.sdk.language", "java", "1st.key", "x", "pod", "p-9"),
                gauge("g", doublePoint(T0_MS, 1, "route", "/a"))));
        assertTrue(r.isFullSuccess(), r::toString);
        assertEquals(labels("__name__", "g", "route", "/a", "service_name", "api", "service_instance_id", "i-1",
                "k8s_cluster_name", "c1", "telemetry_sdk_language", "java", "key_1st_key", "x", "pod", "p-9",
                // Prometheus' job and instance, and kedify's pod -> host_name fallback, as without promote-all.
                "job", "api", "instance", "i-1", "host_name", "p-9"), seriesNamed("g"));
        // target_info keeps every non-identifying attribute, the ignored ones too (as Prometheus does).
        assertEquals(labels("__name__", "target_info", "job", "api", "instance", "i-1", "k8s_cluster_name", "c1",
                "process_pid", "7", "secret_token", "s3cr3t", "telemetry_sdk_language", "java", "key_1st_key", "x",
                "pod", "p-9"), seriesNamed("target_info"));
    }

    @Test
    void promoteAllResolvesCollidingNamesToTheKeyThatSortsFirst() throws Exception {
        // "a.b" < "a_b" byte-wise ('.' is 0x2E, '_' 0x5F), whatever the order on the wire.
        export(promoteAll(), request(resource("a_b", "underscore", "a.b", "dot"), gauge("g", doublePoint(T0_MS, 1))));
        assertEquals(labels("__name__", "g", "a_b", "dot"), seriesNamed("g"));
    }

    @Test
    void promoteAllWithNonStringValues() throws Exception {
        Resource res = Resource.newBuilder().addAttributes(attr("replicas", AnyValue.newBuilder().setIntValue(3).build()))
                .addAttributes(attr("canary", AnyValue.newBuilder().setBoolValue(true).build()))
                .addAttributes(attr("empty", AnyValue.newBuilder().setStringValue("").build())).build();
        export(promoteAll(), request(res, gauge("g", doublePoint(T0_MS, 1))));
        assertEquals(labels("__name__", "g", "replicas", "3", "canary", "true"), seriesNamed("g"));
    }

    @Test
    void theIgnoreListNeedsPromoteAll() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReceiverConfig.builder()
                .ignoredResourceAttributes(List.of("process.pid")).build());
        assertTrue(e.getMessage().contains("promoteAllResourceAttributes"), e.getMessage());
    }

    @Test
    void promoteAllOverTheLabelLimitRejectsTheResourcesPointsAndInternsNothing() throws Exception {
        AtomicLong clock = new AtomicLong(NOW);
        try (TimeSeriesStore store = new TimeSeriesStore(StoreConfig.builder().retentionMs(600_000).maxLabelsPerSeries(6)
                .time(TimeSource.wallClock(clock::get)).build())) {
            ReceiverStats stats = new ReceiverStats();
            OtlpIngestor ingestor = OtlpIngestor.forStore(store, promoteAll(), stats);
            // Warm up (the worker interns its constants on its first request).
            assertTrue(ingestor.export(request(gauge("warm", doublePoint(T0_MS, 1))).toByteArray(),
                    ReceiverStats.Transport.GRPC).isFullSuccess());
            ExportMetricsServiceRequest wide = request(resource("a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6"),
                    gauge("g", doublePoint(T0_MS, 1), doublePoint(T0_MS + 1, 2)));
            int symbols = store.symbols().size();
            ExportResult r = ingestor.export(wide.toByteArray(), ReceiverStats.Transport.GRPC);
            assertEquals(2, r.rejectedDataPoints(), r::toString);
            assertTrue(r.errorMessage().contains("2 too_many_labels"), r::toString);
            assertEquals(1, store.seriesCount(), "only warm");
            assertTrue(store.symbols().size() <= symbols + 1, "only the metric name is interned");
            assertEquals(2, stats.rejected("too_many_labels"));

            // Five attributes + __name__ fit.
            ExportMetricsServiceRequest fits = request(resource("a", "1", "b", "2", "c", "3", "d", "4", "e", "5"),
                    gauge("g", doublePoint(T0_MS, 1)));
            assertTrue(ingestor.export(fits.toByteArray(), ReceiverStats.Transport.GRPC).isFullSuccess());
            assertEquals(2, store.seriesCount());
        }
    }

    // ---- target_info -------------------------------------------------------------------------------

    @Test
    void targetInfoHasJobInstanceAndEveryNonIdentifyingAttribute() throws Exception {
        Resource res = Resource.newBuilder().addAllAttributes(Otlp.attrs("service.name", "api", "service.namespace", "shop",
                        "service.instance.id", "i-1", "k8s.cluster.name", "c1", "k8s.pod.name", "p-1", "os.type", "linux"))
                .addAttributes(attr("process.pid", AnyValue.newBuilder().setIntValue(42).build())).build();
        ExportResult r = export(ReceiverConfig.defaults(), request(res,
                gauge("g", doublePoint(T0_MS, 1, "route", "/a"), doublePoint(T0_MS + 500, 2, "route", "/b"))));
        assertTrue(r.isFullSuccess(), r::toString);
        Map<String, String> info = seriesNamed("target_info");
        // Promoted attributes (k8s.cluster.name, k8s.pod.name) are kept in target_info too, as Prometheus does,
        // so group_left (k8s_cluster_name) finds them; service.* become job and instance only.
        assertEquals(labels("__name__", "target_info", "job", "shop/api", "instance", "i-1", "k8s_cluster_name", "c1",
                "k8s_pod_name", "p-1", "os_type", "linux", "process_pid", "42"), info);
        // Value 1 at the earliest and the latest timestamp of the resource's points (less than an interval apart).
        assertEquals(List.of(new RecordingSink.Sample(T0_MS, 1), new RecordingSink.Sample(T0_MS + 500, 1)),
                sink.series().get(info));
    }

    @Test
    void targetInfoIsWrittenAcrossTheResourcesSpanAtHalfTheLookback() throws Exception {
        ReceiverConfig config = ReceiverConfig.builder().targetInfoIntervalMs(150_000).build();
        export(config, request(resource("service.name", "api", "os.type", "linux"),
                gauge("g", doublePoint(T0_MS, 1)), gauge("h", doublePoint(T0_MS + 400_000, 2))));
        assertEquals(List.of(new RecordingSink.Sample(T0_MS, 1), new RecordingSink.Sample(T0_MS + 150_000, 1),
                        new RecordingSink.Sample(T0_MS + 300_000, 1), new RecordingSink.Sample(T0_MS + 400_000, 1)),
                sink.series().get(seriesNamed("target_info")));

        sink = new RecordingSink();
        export(config, request(resource("service.name", "api", "os.type", "linux"),
                gauge("g", doublePoint(T0_MS, 1), doublePoint(T0_MS, 2, "k", "v"))));
        assertEquals(List.of(new RecordingSink.Sample(T0_MS, 1)), sink.series().get(seriesNamed("target_info")),
                "points sharing one timestamp (the SDKs' case): one sample");
    }

    @Test
    void noTargetInfoWithoutJobOrInstanceWithoutOtherAttributesWhenOffOrWithoutStoredPoints() throws Exception {
        export(ReceiverConfig.defaults(), request(resource("k8s.cluster.name", "c1", "os.type", "linux"),
                gauge("g", doublePoint(T0_MS, 1))));
        export(ReceiverConfig.defaults(), request(resource("service.name", "api", "service.namespace", "shop",
                "service.instance.id", "i-1"), gauge("h", doublePoint(T0_MS, 1))));
        export(ReceiverConfig.builder().targetInfoEnabled(false).build(), request(resource("service.name", "api",
                "os.type", "linux"), gauge("i", doublePoint(T0_MS, 1))));
        export(ReceiverConfig.defaults(), request(resource("service.name", "api", "os.type", "linux"),
                Metric.newBuilder().setName("typeless").build()));
        assertEquals(3, sink.series().size(), () -> sink.series().keySet().toString());
        assertTrue(sink.series().keySet().stream().noneMatch(l -> "target_info".equals(l.get("__name__"))));

        // instance alone suffices (Prometheus: job or instance).
        export(ReceiverConfig.defaults(), request(resource("service.instance.id", "i-2", "os.type", "linux"),
                gauge("j", doublePoint(T0_MS, 1))));
        assertEquals(labels("__name__", "target_info", "instance", "i-2", "os_type", "linux"), seriesNamed("target_info"));
    }

    @Test
    void targetInfoJoinsCollidingKeysLikePointAttributes() throws Exception {
        export(ReceiverConfig.defaults(), request(resource("service.name", "api", "a_b", "2", "a.b", "1"),
                gauge("g", doublePoint(T0_MS, 1))));
        assertEquals(labels("__name__", "target_info", "job", "api", "a_b", "1;2"), seriesNamed("target_info"));
    }

    @Test
    void eachResourceOfARequestGetsItsOwnTargetInfo() throws Exception {
        ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(resourceMetrics(resource("service.name", "api", "service.instance.id", "a", "zone", "z1"),
                        gauge("g", doublePoint(T0_MS, 1))))
                .addResourceMetrics(resourceMetrics(resource("service.name", "api", "service.instance.id", "b", "zone", "z2"),
                        gauge("g", doublePoint(T0_MS + 10, 1))))
                .build();
        assertTrue(export(ReceiverConfig.defaults(), req).isFullSuccess());
        assertEquals(List.of(new RecordingSink.Sample(T0_MS, 1)),
                sink.samples("__name__", "target_info", "job", "api", "instance", "a", "zone", "z1"));
        assertEquals(List.of(new RecordingSink.Sample(T0_MS + 10, 1)),
                sink.samples("__name__", "target_info", "job", "api", "instance", "b", "zone", "z2"));
        // Resent: duplicates, not errors.
        assertTrue(export(ReceiverConfig.defaults(), req).isFullSuccess());
    }

    private static ResourceMetrics resourceMetrics(Resource res, Metric... metrics) {
        return ResourceMetrics.newBuilder().setResource(res)
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))).build();
    }

    @Test
    void aTargetInfoOverTheLabelLimitIsAWarningAndThePointsAreStored() throws Exception {
        AtomicLong clock = new AtomicLong(NOW);
        try (TimeSeriesStore store = new TimeSeriesStore(StoreConfig.builder().retentionMs(600_000).maxLabelsPerSeries(5)
                .maxLabelValueLength(16).time(TimeSource.wallClock(clock::get)).build())) {
            ReceiverConfig config = ReceiverConfig.builder().promotedResourceAttributes(List.of()).build();
            OtlpIngestor ingestor = OtlpIngestor.forStore(store, config, new ReceiverStats());
            // target_info would have job, instance, __name__ and four attributes: seven labels.
            ExportMetricsServiceRequest wide = request(resource("service.name", "api", "service.instance.id", "i-1",
                    "a", "1", "b", "2", "c", "3", "d", "4"), gauge("g", doublePoint(T0_MS, 1)));
            for (int i = 0; i < 2; i++) {
                ExportResult r = ingestor.export(wide.toByteArray(), ReceiverStats.Transport.GRPC);
                assertEquals(0, r.rejectedDataPoints(), r::toString);
                assertEquals("1 target_info series not stored: too_many_labels (e.g. resource job=\"api\" instance=\"i-1\")",
                        r.errorMessage());
                assertEquals(0, r.toResponse().getPartialSuccess().getRejectedDataPoints());
            }
            assertEquals(1, StoreProbe.find(store, "g", "job", "api", "instance", "i-1").size());
            assertEquals(0, StoreProbe.find(store, "target_info").size());

            // A value over the length limit, not promoted: the points are stored, target_info is not.
            ExportResult r = ingestor.export(request(resource("service.name", "api", "os.description",
                    "a very long description"), gauge("h", doublePoint(T0_MS, 1))).toByteArray(), ReceiverStats.Transport.GRPC);
            assertEquals(0, r.rejectedDataPoints(), r::toString);
            assertTrue(r.errorMessage().contains("label_value_too_long"), r::toString);
            assertEquals(1, StoreProbe.find(store, "h", "job", "api").size());
        }
    }
}
