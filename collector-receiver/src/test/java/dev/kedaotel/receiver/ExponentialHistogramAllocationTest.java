package dev.kedaotel.receiver;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.attr;
import static dev.kedaotel.receiver.Otlp.nanos;
import static dev.kedaotel.receiver.Otlp.request;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.model.TimeSource;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.TimeSeriesStore;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint.Buckets;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Writing exponential histogram points of series seen before allocates nothing per point: the
 * buckets are read into and regridded in per-worker arrays, the grid is planned in the shared table,
 * boundaries' {@code le} symbols come from the worker's float cache. Measured with the thread's
 * allocated-bytes counter over 200 requests of 16 points with ~60 boundaries each (~200,000 samples).
 */
class ExponentialHistogramAllocationTest {
    private static final int POINTS = 16;
    private static final int REQUESTS = 400;
    /** Far below one small object per point (3,200 points measured). */
    private static final long BUDGET_BYTES = 48 * 1024;

    @Test
    void writingPointsOfKnownSeriesDoesNotAllocatePerPoint() throws Exception {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported());

        AtomicLong clock = new AtomicLong(T0_MS + REQUESTS * 1000L);
        byte[][] requests = new byte[REQUESTS][];
        for (int r = 0; r < REQUESTS; r++) {
            ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
            for (int p = 0; p < POINTS; p++) {
                // Scale 4, 100 buckets: merged to the starting scale 3 (51 buckets, 54 le series with +Inf).
                Buckets.Builder b = Buckets.newBuilder().setOffset(-50 + p);
                for (int i = 0; i < 100; i++) {
                    b.addBucketCounts(r + 1);
                }
                h.addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS + r * 1000L))
                        .setScale(4).setCount(100L * (r + 1)).setSum(r).setPositive(b).addAttributes(attr("p", "p" + p)));
            }
            requests[r] = request(Metric.newBuilder().setName("lat").setExponentialHistogram(h).build()).toByteArray();
        }
        try (TimeSeriesStore store = new TimeSeriesStore(StoreConfig.builder().retentionMs(3_600_000)
                .maxSamplesPerSeries(64).reuseGraceMs(0).time(TimeSource.wallClock(clock::get)).build())) {
            OtlpIngestor ingestor = OtlpIngestor.forStore(store, ReceiverConfig.defaults(), new ReceiverStats());
            int half = REQUESTS / 2;
            for (int r = 0; r < half; r++) {
                assertTrue(ingestor.export(requests[r], ReceiverStats.Transport.GRPC).isFullSuccess());
            }
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int r = half; r < REQUESTS; r++) {
                ingestor.export(requests[r], ReceiverStats.Transport.GRPC);
            }
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            System.out.println((REQUESTS - half) * POINTS + " exponential histogram points allocated " + allocated + " bytes");
            assertTrue(allocated < BUDGET_BYTES, (REQUESTS - half) * POINTS + " points allocated " + allocated + " bytes");
        }
    }
}
