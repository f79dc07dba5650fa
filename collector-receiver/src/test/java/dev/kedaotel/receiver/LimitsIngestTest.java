package dev.kedaotel.receiver;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.attr;
import static dev.kedaotel.receiver.Otlp.doublePoint;
import static dev.kedaotel.receiver.Otlp.request;
import static dev.kedaotel.receiver.Otlp.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.model.TimeSource;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.TimeSeriesStore;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store's input limits through the receiver: each refused point comes back in the OTLP partial
 * success with its reason and is counted by reason; label limits are checked before interning, so an
 * oversized label never enters the symbol table; the receiver keeps storing valid points afterwards.
 */
class LimitsIngestTest {
    private static final String MIB = "v".repeat(1 << 20);
    private final AtomicLong clock = new AtomicLong(T0_MS);
    private final TimeSeriesStore store = new TimeSeriesStore(StoreConfig.builder().retentionMs(60_000)
            .maxLabelsPerSeries(8).maxLabelNameLength(32).maxLabelValueLength(64).maxSeriesPerMetric(2)
            .maxFutureMs(60_000).time(TimeSource.wallClock(clock::get)).build());
    private final ReceiverStats stats = new ReceiverStats();
    private final OtlpIngestor ingestor = OtlpIngestor.forStore(store, ReceiverConfig.defaults(), stats);

    @org.junit.jupiter.api.BeforeEach
    void warmUp() throws Exception {
        assertTrue(export(request(gauge("ok", doublePoint(T0_MS, 1, "pod", "warm")))).isFullSuccess());
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private ExportResult export(ExportMetricsServiceRequest r) throws MalformedOtlpException {
        return ingestor.export(r.toByteArray(), ReceiverStats.Transport.GRPC);
    }

    private static Metric gauge(String name, NumberDataPoint... points) {
        return Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points))).build();
    }

    /** Exports {@code r} twice (the second time through a warm series cache) expecting one rejection for {@code reason}. */
    private void assertRejected(ExportMetricsServiceRequest r, String reason) throws MalformedOtlpException {
        assertRejected(r, reason, !reason.equals("series_per_metric_limit") && !reason.equals("too_far_in_future"));
    }

    private void assertRejected(ExportMetricsServiceRequest r, String reason, boolean internsNothing)
            throws MalformedOtlpException {
        int symbols = store.symbols().size();
        int series = store.seriesCount();
        for (int i = 0; i < 2; i++) {
            ExportResult result = export(r);
            assertEquals(1, result.rejectedDataPoints(), result::toString);
            assertTrue(result.errorMessage().contains("1 " + reason), result::toString);
        }
        assertEquals(2, stats.rejected(reason));
        assertEquals(series, store.seriesCount(), "no series created");
        if (internsNothing) {
            assertTrue(store.symbols().size() <= symbols + 1, "only the metric name is interned, no refused label");
        }
        // And the receiver keeps storing valid points.
        ExportResult ok = export(request(gauge("ok", doublePoint(clock.get(), 1, "pod", "p" + symbols))));
        assertTrue(ok.isFullSuccess(), ok::toString);
    }

    @Test
    void tenThousandLabelsAreRefusedUnparsed() throws Exception {
        NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setTimeUnixNano(T0_MS * 1_000_000L).setAsDouble(1);
        for (int i = 0; i < 10_004; i++) {
            p.addAttributes(attr("label_" + i, "value_" + i));
        }
        assertRejected(request(gauge("wide", p.build())), "too_many_labels");
    }

    @Test
    void labelCountOverTheLimitAfterResourceLabelsIsRefusedByTheStore() throws Exception {
        // 6 attributes pass the wire pre-check; with __name__ and 2 resource labels the series has 9 > 8.
        assertRejected(request(resource("k8s.pod.name", "p", "service.instance.id", "i"),
                gauge("wide", doublePoint(T0_MS, 1, "a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6"))),
                "too_many_labels", false);
    }

    @Test
    void longLabelNameIsRefused() throws Exception {
        assertRejected(request(gauge("m", doublePoint(T0_MS, 1, "k".repeat(33), "v"))), "label_name_too_long");
    }

    @Test
    void mebibyteLabelValueNeverEntersTheSymbolTable() throws Exception {
        assertRejected(request(gauge("m", doublePoint(T0_MS, 1, "pod", MIB))), "label_value_too_long");
    }

    @Test
    void mebibyteResourceValueRefusesThePointsOfThatResource() throws Exception {
        assertRejected(request(resource("k8s.pod.name", MIB), gauge("m", doublePoint(T0_MS, 1, "a", "b"))),
                "label_value_too_long");
    }

    @Test
    void longMetricNameIsRefused() throws Exception {
        assertRejected(request(gauge("m".repeat(65), doublePoint(T0_MS, 1))), "label_value_too_long");
    }

    @Test
    void seriesPerMetricLimitIsRefusedAndCountedPerMetric() throws Exception {
        assertTrue(export(request(gauge("busy", doublePoint(T0_MS, 1, "pod", "a"), doublePoint(T0_MS, 1, "pod", "b"))))
                .isFullSuccess());
        assertRejected(request(gauge("busy", doublePoint(T0_MS, 1, "pod", "c"))), "series_per_metric_limit");
        assertEquals(2, store.seriesLimitRejections("busy"));
    }

    @Test
    void sampleAnHourAheadIsRefusedAndLaterSamplesStillLand() throws Exception {
        assertRejected(request(gauge("m", doublePoint(T0_MS + 3_600_000, 1, "pod", "a"))), "too_far_in_future");
        assertTrue(export(request(gauge("m", doublePoint(T0_MS, 1, "pod", "a")))).isFullSuccess());
        assertTrue(export(request(gauge("m", doublePoint(T0_MS + 1000, 2, "pod", "a")))).isFullSuccess(),
                "no out_of_order after a refused future sample");
        ExportResult far = export(request(gauge("m", NumberDataPoint.newBuilder().setTimeUnixNano(-1L).setAsDouble(3)
                .addAttributes(attr("pod", "a")).build())));
        assertEquals(1, far.rejectedDataPoints(), "2^64-1 ns (year 2554) is in the future");
    }
}
