package dev.kedaotel.receiver;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.attrs;
import static dev.kedaotel.receiver.Otlp.nanos;
import static dev.kedaotel.receiver.Otlp.request;
import static dev.kedaotel.receiver.Otlp.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.TimeSource;
import dev.kedaotel.tsdb.IntList;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.TimeSeriesStore;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store frees the symbols of removed series; the receiver's per-worker caches of symbol ids (bucket
 * bounds, job names, label names) are dropped when that happened, so the same data after the churn is
 * stored again in full, under the same label strings.
 */
class SymbolReuseIngestTest {
    private final AtomicLong clock = new AtomicLong(T0_MS);
    private final TimeSeriesStore store = new TimeSeriesStore(StoreConfig.builder().retentionMs(60_000)
            .reuseGraceMs(1_000).time(TimeSource.wallClock(clock::get)).build());
    private final OtlpIngestor ingestor = OtlpIngestor.forStore(store, ReceiverConfig.defaults(), new ReceiverStats());

    @AfterEach
    void tearDown() {
        store.close();
    }

    private ExportMetricsServiceRequest histogram(String pod) {
        HistogramDataPoint p = HistogramDataPoint.newBuilder().setTimeUnixNano(nanos(clock.get())).setCount(3).setSum(1.5)
                .addAllExplicitBounds(List.of(0.25, 0.5)).addAllBucketCounts(List.of(1L, 1L, 1L))
                .addAllAttributes(attrs("route", "/checkout/" + pod)).build();
        return request(resource("service.namespace", "shop", "service.name", "checkout", "k8s.pod.name", pod),
                Metric.newBuilder().setName("latency").setHistogram(Histogram.newBuilder().addDataPoints(p)
                        .setAggregationTemporality(io.opentelemetry.proto.metrics.v1.AggregationTemporality
                                .AGGREGATION_TEMPORALITY_CUMULATIVE)).build());
    }

    @Test
    void theSameDataAfterItsSymbolsWereFreedIsStoredAgain() throws Exception {
        for (int round = 0; round < 3; round++) {
            ExportResult r = ingestor.export(histogram("p" + (round % 2)).toByteArray(), ReceiverStats.Transport.GRPC);
            assertTrue(r.isFullSuccess(), "round " + round + ": " + r);
            assertEquals(6, store.seriesCount(), "_sum, _count, three buckets and the resource's target_info");
            IntList refs = new IntList();
            store.select(List.of(LabelMatcher.eq("le", "0.25")), refs);
            assertEquals(1, refs.size());
            assertEquals("shop/checkout", store.labels(refs.get(0)).get("job"));
            assertEquals("/checkout/p" + (round % 2), store.labels(refs.get(0)).get("route"));
            long freed = store.symbols().freedCount();
            clock.addAndGet(60_001);
            store.expire();
            clock.addAndGet(1_001);
            store.expire();
            assertEquals(0, store.seriesCount());
            assertTrue(store.symbols().freedCount() > freed, "bounds, job, pod and route values were freed");
        }
    }
}
