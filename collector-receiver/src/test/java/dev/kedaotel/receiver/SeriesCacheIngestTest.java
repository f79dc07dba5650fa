package dev.kedaotel.receiver;

import dev.kedaotel.model.TimeSource;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.attr;
import static dev.kedaotel.receiver.Otlp.doublePoint;
import static dev.kedaotel.receiver.Otlp.nanos;
import static dev.kedaotel.receiver.Otlp.request;
import static dev.kedaotel.receiver.Otlp.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.tsdb.IntList;
import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;
import dev.kedaotel.tsdb.SampleBuffer;
import dev.kedaotel.model.StaleMarker;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.TimeSeriesStore;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The series cache through the real ingest path into a real store: a sink wrapping the production
 * {@link StoreSink} counts which appends went by handle (cache hit) and which through labels.
 */
class SeriesCacheIngestTest {
    private final AtomicLong clock = new AtomicLong(T0_MS);
    private TimeSeriesStore store = newStore(ReceiverConfig.defaults());
    private CountingSink sink;
    private OtlpIngestor ingestor;

    private TimeSeriesStore newStore(ReceiverConfig config) {
        TimeSeriesStore s = new TimeSeriesStore(StoreConfig.builder().retentionMs(60_000).reuseGraceMs(0)
                .time(TimeSource.wallClock(clock::get)).build());
        sink = new CountingSink(new StoreSink(s));
        ingestor = new OtlpIngestor(config, new ReceiverStats(), () -> sink, TimeSource.wallClock(clock::get));
        return s;
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private ExportResult export(ExportMetricsServiceRequest r) throws MalformedOtlpException {
        sink.byHandle = 0;
        sink.byLabels = 0;
        ExportResult result = ingestor.export(r.toByteArray(), ReceiverStats.Transport.GRPC);
        assertTrue(result.isFullSuccess(), result::toString);
        return result;
    }

    private static Metric gauge(String name, NumberDataPoint... points) {
        return Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points))).build();
    }

    private List<Integer> refs(String metric, String... labels) {
        return StoreProbe.find(store, metric, labels);
    }

    private List<Double> values(String metric, String... labels) {
        List<Integer> refs = refs(metric, labels);
        assertEquals(1, refs.size(), () -> metric + " " + List.of(labels) + " matches " + refs.size() + " series");
        SampleBuffer buf = new SampleBuffer();
        store.read(refs.get(0), Long.MIN_VALUE, Long.MAX_VALUE, buf);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < buf.size(); i++) {
            out.add(buf.value(i));
        }
        return out;
    }

    @Test
    void aSeriesSeenBeforeIsAppendedByHandle() throws Exception {
        for (int i = 0; i < 3; i++) {
            export(request(resource("k8s.pod.name", "p1"), gauge("temp",
                    doublePoint(T0_MS + i, 10 + i, "room", "a"), doublePoint(T0_MS + i, 20 + i, "room", "b"))));
            assertEquals(i == 0 ? 0 : 2, sink.byHandle, "request " + i);
            assertEquals(i == 0 ? 2 : 0, sink.byLabels, "request " + i);
        }
        assertEquals(List.of(10.0, 11.0, 12.0), values("temp", "room", "a", "k8s_pod_name", "p1"));
        assertEquals(List.of(20.0, 21.0, 22.0), values("temp", "room", "b", "k8s_pod_name", "p1"));
        assertEquals(2, store.seriesCount());
    }

    @Test
    void targetInfoOfAnUnchangedResourceIsAppendedByHandle() throws Exception {
        for (int i = 0; i < 3; i++) {
            export(request(resource("service.name", "api", "k8s.pod.name", "p1", "os.type", "linux"),
                    gauge("temp", doublePoint(T0_MS + i, 10 + i, "room", "a"))));
            assertEquals(i == 0 ? 0 : 2, sink.byHandle, "request " + i + ": the point and target_info");
            assertEquals(i == 0 ? 2 : 0, sink.byLabels, "request " + i);
        }
        assertEquals(List.of(1.0, 1.0, 1.0), values("target_info", "job", "api", "k8s_pod_name", "p1", "os_type", "linux"));
        // Another resource with the same promoted labels but other attributes: its own target_info.
        export(request(resource("service.name", "api", "k8s.pod.name", "p1", "os.type", "windows"),
                gauge("temp", doublePoint(T0_MS + 3, 13, "room", "a"))));
        assertEquals(List.of(1.0), values("target_info", "job", "api", "os_type", "windows"));
        assertEquals(List.of(10.0, 11.0, 12.0, 13.0), values("temp", "room", "a", "k8s_pod_name", "p1"));
        assertEquals(3, store.seriesCount());
    }

    @Test
    void anotherAttributeOrderMissesButNamesTheSameSeries() throws Exception {
        export(request(gauge("temp", doublePoint(T0_MS, 1, "room", "a", "floor", "1"))));
        export(request(gauge("temp", doublePoint(T0_MS + 1, 2, "floor", "1", "room", "a"))));
        assertEquals(1, sink.byLabels, "different bytes: a miss, resolved through the label set");
        export(request(gauge("temp", doublePoint(T0_MS + 2, 3, "floor", "1", "room", "a"))));
        assertEquals(1, sink.byHandle, "now cached in this order too");
        export(request(gauge("temp", doublePoint(T0_MS + 3, 4, "room", "a", "floor", "1"))));
        assertEquals(1, sink.byHandle);
        assertEquals(1, store.seriesCount());
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0), values("temp", "room", "a", "floor", "1"));
    }

    @Test
    void theSameAttributeBytesUnderAnotherResourceOrMetricAreAnotherSeries() throws Exception {
        for (int i = 0; i < 2; i++) {
            long t = T0_MS + 2000L * i;
            export(request(resource("k8s.pod.name", "p1"), gauge("temp", doublePoint(t, 1 + i, "room", "a")),
                    gauge("humidity", doublePoint(t, 50 + i, "room", "a"))));
            export(request(resource("k8s.pod.name", "p2"), gauge("temp", doublePoint(t, 100 + i, "room", "a"))));
            // Not promoted: the resource differs on the wire but its labels are p1's, so it is p1's series.
            export(request(resource("k8s.pod.name", "p1", "not.promoted", "x"),
                    gauge("temp", doublePoint(t + 1000, 7 + i, "room", "a"))));
            if (i == 1) {
                assertEquals(1, sink.byHandle);
            }
        }
        assertEquals(List.of(1.0, 7.0, 2.0, 8.0), values("temp", "room", "a", "k8s_pod_name", "p1"));
        assertEquals(List.of(100.0, 101.0), values("temp", "room", "a", "k8s_pod_name", "p2"));
        assertEquals(List.of(50.0, 51.0), values("humidity", "room", "a", "k8s_pod_name", "p1"));
        assertEquals(3, store.seriesCount());
    }

    @Test
    void histogramBucketsAreCachedPerSeries() throws Exception {
        for (int i = 0; i < 3; i++) {
            Metric h = Metric.newBuilder().setName("lat").setHistogram(Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS + i * 1000L))
                            .addAllExplicitBounds(List.of(0.5, 1.0)).addAllBucketCounts(List.of(1L, 2L, 3L))
                            .setCount(6).setSum(4).addAttributes(attr("svc", "a")))).build();
            export(request(h));
            assertEquals(i == 0 ? 0 : 5, sink.byHandle, "sum, count and three buckets");
        }
        assertEquals(List.of(1.0, 2.0, 3.0), values("lat_bucket", "svc", "a", "le", "0.5"));
        assertEquals(List.of(3.0, 6.0, 9.0), values("lat_bucket", "svc", "a", "le", "1"));
        assertEquals(List.of(6.0, 12.0, 18.0), values("lat_bucket", "svc", "a", "le", "+Inf"));
        assertEquals(List.of(4.0, 8.0, 12.0), values("lat_sum", "svc", "a"));
        assertEquals(List.of(6.0, 12.0, 18.0), values("lat_count", "svc", "a"));
        assertEquals(5, store.seriesCount());
    }

    @Test
    void aCachedSeriesRemovedByRetentionIsCreatedAgainWhenSentAgain() throws Exception {
        export(request(gauge("temp", doublePoint(T0_MS, 1, "room", "a"))));
        export(request(gauge("temp", doublePoint(T0_MS + 1, 2, "room", "a"))));
        assertEquals(1, sink.byHandle);

        clock.addAndGet(61_000);
        assertEquals(1, store.expire());
        // Another series takes the freed ref first (no grace period): the dead handle must not reach it.
        export(request(gauge("other", doublePoint(clock.get(), 5, "room", "z"))));
        export(request(gauge("temp", doublePoint(clock.get(), 3, "room", "a"))));
        assertEquals(1, sink.deadHandles, "the cached handle was dead");
        assertEquals(1, sink.byLabels, "and the label path re-created the series");
        assertEquals(List.of(3.0), values("temp", "room", "a"));
        assertEquals(List.of(5.0), values("other", "room", "z"));

        export(request(gauge("temp", doublePoint(clock.get() + 1, 4, "room", "a"))));
        assertEquals(1, sink.byHandle, "the new series' handle replaced the dead one");
        assertEquals(List.of(3.0, 4.0), values("temp", "room", "a"));
    }

    @Test
    void aBoundedCacheEvictsAndStillStoresEverySampleCorrectly() throws Exception {
        store.close();
        store = newStore(ReceiverConfig.builder().seriesCacheSlots(SeriesCache.MIN_BOUND).build());
        int n = 200;
        for (int round = 0; round < 3; round++) {
            NumberDataPoint[] points = new NumberDataPoint[n];
            for (int i = 0; i < n; i++) {
                points[i] = doublePoint(T0_MS + round, i * 10 + round, "id", "s" + i);
            }
            export(request(gauge("many", points)));
            assertEquals(n, sink.byHandle + sink.byLabels);
            if (round > 0) {
                assertTrue(sink.byLabels > 0, "a cache of 8 slots cannot hold 200 series");
            }
        }
        SeriesCache cache = ingestor.seriesCache();
        assertEquals(SeriesCache.MIN_BOUND, cache.slots());
        assertTrue(cache.size() <= SeriesCache.MIN_BOUND);
        for (int i = 0; i < n; i++) {
            assertEquals(List.of(i * 10.0, i * 10.0 + 1, i * 10.0 + 2), values("many", "id", "s" + i));
        }
        assertEquals(n, store.seriesCount());
    }

    @Test
    void aWorkerFacingFarMoreSeriesThanTheCacheHoldsStopsUsingIt() throws Exception {
        store.close();
        store = newStore(ReceiverConfig.builder().seriesCacheSlots(SeriesCache.MIN_BOUND).build());
        int n = 1000;
        int rounds = 6; // 6,000 writes: more than one 4,096-write window, nearly all misses with a full window
        for (int round = 0; round < rounds; round++) {
            NumberDataPoint[] points = new NumberDataPoint[n];
            for (int i = 0; i < n; i++) {
                points[i] = doublePoint(T0_MS + round, i + round, "id", "s" + i);
            }
            export(request(gauge("many", points)));
        }
        assertEquals(0, sink.byHandle, "the last request bypassed the cache");
        assertEquals(n, sink.byLabels);
        for (int i = 0; i < n; i += 97) {
            assertEquals(List.of((double) i, i + 1.0, i + 2.0, i + 3.0, i + 4.0, i + 5.0), values("many", "id", "s" + i));
        }
    }

    @Test
    void workersSharingOneSmallCacheStoreEverySampleInTheRightSeries() throws Exception {
        // Four threads, each with its own sink (Appender), race on one cache far smaller than the series
        // set: hints, CAS inserts, evictions and the bypass interleave; every sample must still land in
        // its own series.
        store.close();
        store = new TimeSeriesStore(StoreConfig.builder().retentionMs(600_000).time(TimeSource.wallClock(clock::get)).build());
        TimeSeriesStore s = store;
        OtlpIngestor shared = new OtlpIngestor(ReceiverConfig.builder().seriesCacheSlots(64).build(), new ReceiverStats(),
                () -> new StoreSink(s), TimeSource.wallClock(clock::get));
        int threads = 4;
        int series = 300;
        int rounds = 20;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String worker = "w" + t;
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        NumberDataPoint[] points = new NumberDataPoint[series];
                        for (int i = 0; i < series; i++) {
                            points[i] = doublePoint(T0_MS + round, i * 1000 + round, "worker", worker, "id", "s" + i);
                        }
                        ExportResult r = shared.export(request(gauge("race", points)).toByteArray(), ReceiverStats.Transport.GRPC);
                        assertTrue(r.isFullSuccess(), r::toString);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * series, store.seriesCount());
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < series; i += 7) {
                List<Double> v = values("race", "worker", "w" + t, "id", "s" + i);
                assertEquals(rounds, v.size());
                for (int round = 0; round < rounds; round++) {
                    assertEquals(i * 1000.0 + round, v.get(round));
                }
            }
        }
    }

    @Test
    void attributesSplitByOtherFieldsAreNotCachedButStored() throws Exception {
        // Hand-encoded so that a flags field sits between the two attributes (encoders write fields in
        // number order; a merged concatenation of two messages can look like this).
        for (int i = 0; i < 3; i++) {
            byte[] first = NumberDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS + i)).setAsDouble(1 + i)
                    .addAttributes(attr("room", "a")).setFlags(2).build().toByteArray();
            byte[] second = NumberDataPoint.newBuilder().addAttributes(attr("floor", "1")).build().toByteArray();
            byte[] metric = concat(lenField(1, "split".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    lenField(5, lenField(1, concat(first, second))));
            byte[] body = lenField(1, lenField(2, lenField(2, metric)));
            sink.byHandle = 0;
            sink.byLabels = 0;
            assertTrue(ingestor.export(body, ReceiverStats.Transport.GRPC).isFullSuccess());
            assertEquals(1, sink.byLabels);
        }
        assertEquals(List.of(1.0, 2.0, 3.0), values("split", "room", "a", "floor", "1"));
        assertEquals(1, store.seriesCount());
    }

    /** A length-delimited protobuf field. */
    private static byte[] lenField(int field, byte[] payload) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        writeVarint(out, field << 3 | 2);
        writeVarint(out, payload.length);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static void writeVarint(java.io.ByteArrayOutputStream out, int v) {
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    @Test
    void staleMarkersGoByHandleAndAreIgnoredForUnknownSeries() throws Exception {
        export(request(gauge("temp", doublePoint(T0_MS, 1, "room", "a"))));
        NumberDataPoint stale = NumberDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS + 1))
                .setFlags(1) // NoRecordedValue
                .addAttributes(attr("room", "a")).build();
        export(request(gauge("temp", stale)));
        assertEquals(1, sink.byHandle);
        List<Double> v = values("temp", "room", "a");
        assertEquals(2, v.size());
        assertTrue(StaleMarker.isStale(v.get(1)));

        NumberDataPoint unknown = stale.toBuilder().clearAttributes().addAttributes(attr("room", "never")).build();
        export(request(gauge("temp", unknown)));
        export(request(gauge("temp", unknown)));
        assertEquals(0, sink.byHandle, "a marker for an unknown series creates nothing to cache");
        assertEquals(1, store.seriesCount());
    }

    @Test
    void aDisabledCacheUsesLabelsOnly() throws Exception {
        store.close();
        store = newStore(ReceiverConfig.builder().seriesCacheSlots(0).build());
        export(request(gauge("temp", doublePoint(T0_MS, 1, "room", "a"))));
        export(request(gauge("temp", doublePoint(T0_MS + 1, 2, "room", "a"))));
        assertEquals(0, sink.byHandle);
        assertEquals(1, sink.byLabels);
        assertEquals(List.of(1.0, 2.0), values("temp", "room", "a"));
    }

    @Test
    void resourcesAreIsolatedAcrossRequestsWithSeveralResourceMetrics() throws Exception {
        for (int i = 0; i < 2; i++) {
            long t = T0_MS + i;
            ExportMetricsServiceRequest r = request(resource("service.name", "a"), gauge("up", doublePoint(t, 1 + i, "x", "1")))
                    .toBuilder()
                    .addResourceMetrics(request(Resource.getDefaultInstance(), gauge("up", doublePoint(t, 10 + i, "x", "1")))
                            .getResourceMetrics(0))
                    .build();
            export(r);
        }
        assertEquals(List.of(1.0, 2.0), values("up", "x", "1", "job", "a"));
        List<Integer> all = refs("up", "x", "1");
        assertEquals(2, all.size());
        assertEquals(2, sink.byHandle);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Delegates to the production sink, counting handle appends (hits), dead handles and label appends. */
    static final class CountingSink implements IngestSink {
        private final StoreSink delegate;
        int byHandle;
        int byLabels;
        int deadHandles;

        CountingSink(StoreSink delegate) {
            this.delegate = delegate;
        }

        @Override
        public int internUtf8(byte[] buf, int off, int len) {
            return delegate.internUtf8(buf, off, len);
        }

        @Override
        public int intern(String s) {
            return delegate.intern(s);
        }

        @Override
        public String symbol(int id) {
            return delegate.symbol(id);
        }

        @Override
        public void clearLabels() {
            delegate.clearLabels();
        }

        @Override
        public void addLabel(int nameSymbol, int valueSymbol) {
            delegate.addLabel(nameSymbol, valueSymbol);
        }

        @Override
        public int append(long timestampMs, double value) {
            byLabels++;
            return delegate.append(timestampMs, value);
        }

        @Override
        public int appendDelta(long timestampMs, double delta) {
            byLabels++;
            return delegate.appendDelta(timestampMs, delta);
        }

        @Override
        public int appendStale(long timestampMs) {
            byLabels++;
            return delegate.appendStale(timestampMs);
        }

        @Override
        public boolean appendsByHandle() {
            return true;
        }

        @Override
        public long lastHandle() {
            return delegate.lastHandle();
        }

        @Override
        public int appendTo(long handle, long timestampMs, double value) {
            return counted(delegate.appendTo(handle, timestampMs, value));
        }

        @Override
        public int appendDeltaTo(long handle, long timestampMs, double delta) {
            return counted(delegate.appendDeltaTo(handle, timestampMs, delta));
        }

        @Override
        public int appendStaleTo(long handle, long timestampMs) {
            return counted(delegate.appendStaleTo(handle, timestampMs));
        }

        private int counted(int result) {
            if (result == HANDLE_DEAD) {
                deadHandles++;
            } else {
                byHandle++;
            }
            return result;
        }

        @Override
        public void commit() {
            delegate.commit();
        }
    }
}
