package dev.kedaotel.receiver;

import dev.kedaotel.model.OtlpTranslationStrategy;
import dev.kedaotel.model.TimeSource;
import dev.kedaotel.tsdb.MetricMetadataRegistry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.Sum;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.doublePoint;
import static dev.kedaotel.receiver.Otlp.nanos;
import static dev.kedaotel.receiver.Otlp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OTLP_TRANSLATION_STRATEGY through the real ingestor, from real OTLP protobuf: the series names each
 * strategy stores for a table of metric shapes (the expected names are Prometheus' translator's, see
 * {@code OtlpNamesTest} in model for where each comes from), label names, the metadata recorded, and a
 * name no strategy can keep refused with a reason naming it.
 */
class TranslationStrategyIngestTest {
    private static final long NOW = T0_MS + 60_000;

    private static Metric gauge(String name, String unit, String description) {
        return Metric.newBuilder().setName(name).setUnit(unit).setDescription(description)
                .setGauge(Gauge.newBuilder().addDataPoints(doublePoint(T0_MS, 1, "http.method", "GET", "_private", "x"))).build();
    }

    private static Metric counter(String name, String unit) {
        return Metric.newBuilder().setName(name).setUnit(unit).setSum(Sum.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).setIsMonotonic(true)
                .addDataPoints(doublePoint(T0_MS, 5))).build();
    }

    private static Metric upDown(String name, String unit) {
        return Metric.newBuilder().setName(name).setUnit(unit).setSum(Sum.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).setIsMonotonic(false)
                .addDataPoints(doublePoint(T0_MS, 2))).build();
    }

    private static Metric histogram(String name, String unit) {
        return Metric.newBuilder().setName(name).setUnit(unit).setDescription("Duration of HTTP server requests.")
                .setHistogram(Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS)).setCount(3).setSum(1.5)
                        .addAllExplicitBounds(List.of(0.5, 1.0)).addAllBucketCounts(List.of(1L, 1L, 1L)))).build();
    }

    /** The metric shapes of the table. */
    private static ExportMetricsServiceRequest shapes() {
        return request(
                counter("http.server.requests", ""),
                counter("jobs.done", "{job}"),
                counter("cpu.time", "s"),
                gauge("memory.usage", "By", "Memory in use."),
                gauge("queue.wait", "s", ""),
                gauge("cpu.utilization", "1", ""),
                gauge("disk.used", "%", ""),
                upDown("http.server.active_requests", "{request}"),
                histogram("http.server.duration", "s"),
                gauge("café.orders", "", ""));
    }

    private record Run(RecordingSink sink, MetricMetadataRegistry metadata, ExportResult result) {
        Set<String> names() {
            return sink.series().keySet().stream().map(l -> l.get("__name__")).collect(Collectors.toCollection(TreeSet::new));
        }

        Set<String> labelNames() {
            return sink.series().keySet().stream().flatMap(l -> l.keySet().stream()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Run run(OtlpTranslationStrategy strategy, ExportMetricsServiceRequest req) throws Exception {
        RecordingSink sink = new RecordingSink();
        MetricMetadataRegistry metadata = new MetricMetadataRegistry(120_000, 100);
        OtlpIngestor ingestor = new OtlpIngestor(ReceiverConfig.builder().translationStrategy(strategy).build(), new ReceiverStats(),
                () -> sink, TimeSource.wallClock(() -> NOW), metadata);
        ExportResult r = ingestor.export(req.toByteArray(), ReceiverStats.Transport.GRPC);
        // The same metrics again take the cached translation and name the same series.
        ingestor.export(req.toByteArray(), ReceiverStats.Transport.GRPC);
        return new Run(sink, metadata, r);
    }

    private static Set<String> set(String... s) {
        return new TreeSet<>(List.of(s));
    }

    @Test
    void kedifyCompatibleIsTodaysNaming() throws Exception {
        Run r = run(OtlpTranslationStrategy.KEDIFY_COMPATIBLE, shapes());
        assertTrue(r.result().isFullSuccess(), r.result()::toString);
        assertEquals(set("caf__orders", "cpu_time", "cpu_utilization", "disk_used", "http_server_active_requests",
                "http_server_duration_bucket", "http_server_duration_count", "http_server_duration_sum", "http_server_requests",
                "jobs_done", "memory_usage", "queue_wait"), r.names());
        assertTrue(r.labelNames().containsAll(Set.of("http_method", "_private")), r.labelNames()::toString);
    }

    @Test
    void underscoreEscapingWithSuffixes() throws Exception {
        Run r = run(OtlpTranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES, shapes());
        assertTrue(r.result().isFullSuccess(), r.result()::toString);
        assertEquals(set("caf_orders", "cpu_time_seconds_total", "cpu_utilization_ratio", "disk_used_percent",
                "http_server_active_requests", "http_server_duration_seconds_bucket", "http_server_duration_seconds_count",
                "http_server_duration_seconds_sum", "http_server_requests_total", "jobs_done_total", "memory_usage_bytes",
                "queue_wait_seconds"), r.names());
        assertTrue(r.labelNames().containsAll(Set.of("http_method", "key_private")), r.labelNames()::toString);
        assertFalse(r.labelNames().contains("_private"));
    }

    @Test
    void underscoreEscapingWithoutSuffixes() throws Exception {
        Run r = run(OtlpTranslationStrategy.UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES, shapes());
        assertEquals(set("caf_orders", "cpu_time", "cpu_utilization", "disk_used", "http_server_active_requests",
                "http_server_duration_bucket", "http_server_duration_count", "http_server_duration_sum", "http_server_requests",
                "jobs_done", "memory_usage", "queue_wait"), r.names());
        assertTrue(r.labelNames().containsAll(Set.of("http_method", "key_private")), r.labelNames()::toString);
    }

    @Test
    void noUtf8EscapingWithSuffixes() throws Exception {
        Run r = run(OtlpTranslationStrategy.NO_UTF8_ESCAPING_WITH_SUFFIXES, shapes());
        assertEquals(set("café.orders", "cpu.time_seconds_total", "cpu.utilization_ratio", "disk.used_percent",
                "http.server.active_requests", "http.server.duration_seconds_bucket", "http.server.duration_seconds_count",
                "http.server.duration_seconds_sum", "http.server.requests_total", "jobs.done_total", "memory.usage_bytes",
                "queue.wait_seconds"), r.names());
        assertTrue(r.labelNames().containsAll(Set.of("http.method", "_private")), r.labelNames()::toString);
    }

    @Test
    void noTranslation() throws Exception {
        Run r = run(OtlpTranslationStrategy.NO_TRANSLATION, shapes());
        assertEquals(set("café.orders", "cpu.time", "cpu.utilization", "disk.used", "http.server.active_requests",
                "http.server.duration_bucket", "http.server.duration_count", "http.server.duration_sum", "http.server.requests",
                "jobs.done", "memory.usage", "queue.wait"), r.names());
        assertTrue(r.labelNames().containsAll(Set.of("http.method", "_private")), r.labelNames()::toString);
    }

    @Test
    void metadataIsRecordedPerFamilyWithPrometheusTypesAndUnits() throws Exception {
        Run r = run(OtlpTranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES, shapes());
        Map<String, MetricMetadataRegistry.Entry> byFamily = r.metadata().list().stream()
                .collect(Collectors.toMap(MetricMetadataRegistry.Entry::family, e -> e));
        assertEquals(12 - 2, byFamily.size(), byFamily::toString); // a histogram is one family
        MetricMetadataRegistry.Entry h = byFamily.get("http_server_duration_seconds");
        assertEquals("histogram", h.type());
        assertEquals("Duration of HTTP server requests.", h.help());
        assertEquals("seconds", h.unit());
        assertEquals("counter", byFamily.get("http_server_requests_total").type());
        assertEquals("gauge", byFamily.get("http_server_active_requests").type());
        assertEquals("", byFamily.get("http_server_active_requests").unit());
        assertEquals("bytes", byFamily.get("memory_usage_bytes").unit());
        assertEquals("Memory in use.", byFamily.get("memory_usage_bytes").help());
        assertEquals("", byFamily.get("cpu_utilization_ratio").unit());
        assertEquals("percent", byFamily.get("disk_used_percent").unit());
    }

    @Test
    void promotedResourceAttributesAreNamedAsAttributeKeysAre() throws Exception {
        ExportMetricsServiceRequest req = request(Otlp.resource("k8s.pod.name", "p1"), gauge("up", "", ""));
        assertTrue(run(OtlpTranslationStrategy.NO_UTF8_ESCAPING_WITH_SUFFIXES, req).labelNames().contains("k8s.pod.name"));
        assertTrue(run(OtlpTranslationStrategy.NO_TRANSLATION, req).labelNames().contains("k8s.pod.name"));
        assertTrue(run(OtlpTranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES, req).labelNames().contains("k8s_pod_name"));
        assertTrue(run(OtlpTranslationStrategy.KEDIFY_COMPATIBLE, req).labelNames().contains("k8s_pod_name"));
    }

    @ParameterizedTest
    @EnumSource(value = OtlpTranslationStrategy.class, names = {"UNDERSCORE_ESCAPING_WITH_SUFFIXES", "UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES"})
    void aNameWithNothingPrometheusKeepsIsRefusedByName(OtlpTranslationStrategy strategy) throws Exception {
        Run r = run(strategy, request(gauge("@#$%", "", ""), gauge("ok", "", "")));
        assertEquals(1, r.result().rejectedDataPoints());
        assertTrue(r.result().errorMessage().contains("empty_metric_name") && r.result().errorMessage().contains("@#$%"),
                r.result().errorMessage());
        assertTrue(r.names().contains("ok"), r.names()::toString);
    }
}
