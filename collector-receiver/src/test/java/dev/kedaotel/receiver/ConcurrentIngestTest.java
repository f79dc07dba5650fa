package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several transport threads ingest at once, each through its own worker and Appender, into one real store. */
class ConcurrentIngestTest {
    @Test
    void parallelExportsStoreEveryPoint() throws Exception {
        int threads = 4;
        int requests = 50;
        ReceiverStats stats = new ReceiverStats();
        try (StoreProbe probe = new StoreProbe()) {
            OtlpIngestor ingestor = OtlpIngestor.forStore(probe.store, ReceiverConfig.defaults(), stats);
            long base = System.currentTimeMillis() - 10_000;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String worker = "w" + t;
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < requests; i++) {
                            Metric m = Metric.newBuilder().setName("ticks").setSum(Sum.newBuilder()
                                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                                    .setIsMonotonic(true)
                                    .addDataPoints(Otlp.intPoint(base + i, 2, "worker", worker, "kind", "a"))
                                    .addDataPoints(Otlp.intPoint(base + i, 3, "worker", worker, "kind", "b"))).build();
                            ExportResult r = ingestor.export(Otlp.request(m).toByteArray(), ReceiverStats.Transport.GRPC);
                            assertTrue(r.isFullSuccess(), r::toString);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            for (int t = 0; t < threads; t++) {
                assertEquals(2.0 * requests, probe.last("ticks", "worker", "w" + t, "kind", "a"));
                assertEquals(3.0 * requests, probe.last("ticks", "worker", "w" + t, "kind", "b"));
            }
            assertEquals(threads * requests * 2L, stats.pointsStored());
        }
    }
}
