package dev.kedaotel.receiver;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.doublePoint;
import static dev.kedaotel.receiver.Otlp.nanos;
import static dev.kedaotel.receiver.Otlp.request;
import static dev.kedaotel.receiver.Otlp.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.model.TimeSource;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.TimeSeriesStore;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Resource labels and {@code target_info} keep the receiver's hot path allocation-free: re-exporting
 * known series of a resource with many attributes (promoted from the list, or all of them) and its
 * {@code target_info} allocates nothing per request, measured with the thread's allocated-bytes counter.
 * The request is encoded once; its timestamps are rewritten in place between exports.
 */
class ResourceAllocationTest {
    private static final int EXPORTS = 20_000;
    private static final long BUDGET_BYTES = 64 * 1024;

    @Test
    void reExportingAResourceWithTargetInfoDoesNotAllocate() throws Exception {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());

        for (ReceiverConfig config : List.of(ReceiverConfig.defaults(),
                ReceiverConfig.builder().promoteAllResourceAttributes(true).ignoredResourceAttributes(List.of("process.pid")).build(),
                ReceiverConfig.builder().seriesCacheSlots(0).promoteAllResourceAttributes(true).build())) {
            long[] now = {T0_MS};
            try (TimeSeriesStore store = new TimeSeriesStore(StoreConfig.builder().retentionMs(3_600_000_000L)
                    .maxSamplesPerSeries(256).reuseGraceMs(0).maxFutureMs(3_600_000_000L)
                    .time(TimeSource.wallClock(() -> now[0])).build())) {
                OtlpIngestor ingestor = OtlpIngestor.forStore(store, config, new ReceiverStats());
                List<NumberDataPoint> points = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    points.add(doublePoint(T0_MS, i, "route", "/r" + i, "method", "GET"));
                }
                byte[] req = request(resource("service.name", "api", "service.namespace", "shop", "service.instance.id", "i-1",
                                "k8s.cluster.name", "c1", "k8s.pod.name", "p-1", "os.type", "linux", "process.pid", "42",
                                "telemetry.sdk.language", "java", "host.arch", "amd64"),
                        Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder().addAllDataPoints(points)).build())
                        .toByteArray();
                int[] timeOffsets = offsetsOf(req, nanos(T0_MS));
                assertEquals(8, timeOffsets.length);
                ByteBuffer view = ByteBuffer.wrap(req).order(ByteOrder.LITTLE_ENDIAN);

                long ts = T0_MS;
                for (int round = 0; round < 2; round++) {
                    long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                    for (int i = 0; i < EXPORTS; i++) {
                        ts += 1000;
                        for (int off : timeOffsets) {
                            view.putLong(off, ts * 1_000_000L);
                        }
                        ExportResult r = ingestor.export(req, ReceiverStats.Transport.GRPC);
                        if (!r.isFullSuccess()) {
                            throw new AssertionError(r.toString());
                        }
                    }
                    long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
                    if (round == 1) { // round 0 warms up: series, rings at their largest class, JIT
                        assertTrue(allocated < BUDGET_BYTES, EXPORTS + " exports allocated " + allocated + " bytes");
                    }
                }
                assertEquals(9, store.seriesCount(), "8 series and target_info");
                assertEquals(1, StoreProbe.find(store, "target_info", "job", "shop/api", "process_pid", "42").size());
            }
        }
    }

    private static int[] offsetsOf(byte[] buf, long value) {
        byte[] pattern = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i + 8 <= buf.length; i++) {
            if (java.util.Arrays.equals(buf, i, i + 8, pattern, 0, 8)) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
