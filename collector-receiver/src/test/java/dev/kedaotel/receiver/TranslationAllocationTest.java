package dev.kedaotel.receiver;

import dev.kedaotel.model.OtlpTranslationStrategy;
import dev.kedaotel.tsdb.MetricMetadataRegistry;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.TimeSeriesStore;
import dev.kedaotel.model.ManualTimeSource;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Sum;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;

import static dev.kedaotel.receiver.Otlp.nanos;
import static dev.kedaotel.receiver.Otlp.request;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The translated names stay off the per-point cost: once a metric's (name, unit, type) has been
 * translated, exporting it again (new timestamps, same series) allocates nothing per point under any
 * strategy, metadata touch included. Measured with the thread's allocated-bytes counter over many
 * exports; the bound leaves room for the JIT's own noise, not for anything per point.
 */
class TranslationAllocationTest {
    @ParameterizedTest
    @EnumSource(OtlpTranslationStrategy.class)
    void aSeenMetricIsStoredWithoutAllocating(OtlpTranslationStrategy strategy) throws Exception {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        long t0 = 1_700_000_000_000L;
        ManualTimeSource time = new ManualTimeSource(t0);
        try (TimeSeriesStore store = new TimeSeriesStore(StoreConfig.builder().retentionMs(3_600_000).time(time).build())) {
            OtlpIngestor ingestor = new OtlpIngestor(ReceiverConfig.builder().translationStrategy(strategy).build(),
                    new ReceiverStats(), () -> new StoreSink(store), time, new MetricMetadataRegistry(3_600_000, 100));
            int rounds = 20_000;
            byte[][] requests = new byte[rounds][];
            for (int i = 0; i < rounds; i++) {
                long ts = t0 + i;
                requests[i] = request(
                        Metric.newBuilder().setName("http.server.requests").setUnit("{request}").setDescription("Requests.")
                                .setSum(Sum.newBuilder().setIsMonotonic(true)
                                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                                        .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos(ts)).setAsDouble(i)
                                                .addAllAttributes(Otlp.attrs("http.route", "/a", "_private", "x")))).build(),
                        Metric.newBuilder().setName("memory.usage").setUnit("By")
                                .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos(ts))
                                        .setAsDouble(i))).build()).toByteArray();
            }
            int warm = rounds / 2;
            for (int i = 0; i < warm; i++) {
                ingestor.export(requests[i], ReceiverStats.Transport.GRPC);
            }
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = warm; i < rounds; i++) {
                ingestor.export(requests[i], ReceiverStats.Transport.GRPC);
            }
            long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            long points = 2L * (rounds - warm);
            assertTrue(allocated < 64 * 1024, strategy + ": " + allocated + " bytes for " + points + " points");
        }
    }
}
