package dev.kedaotel.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The side-by-side encoders decode, with independent decoders, to exactly the workload's series,
 * values and timestamps: OTLP through the generated OTLP classes, remote write through snappy
 * decompression and a field-by-field protobuf read of the prompb messages.
 */
class PeerEncodingTest {
    private static final long TS = 1_796_269_050_000L;

    @Test
    void otlpCarriesTheWorkloadsSeriesAndValues() throws Exception {
        PeerWorkload w = new PeerWorkload(2500); // 2 namespaces
        OtlpBatch batch = new OtlpBatch(w, 0, 2, TS - 3_600_000);
        w.advance(0);
        w.advance(1);
        batch.stamp(TS, w.values);
        assertEquals(w.series, batch.series());
        List<Metric> metrics = ExportMetricsServiceRequest.parseFrom(batch.bytes()).getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
        assertEquals(List.of(PeerWorkload.COUNTER, PeerWorkload.HISTOGRAM, PeerWorkload.GAUGE), metrics.stream().map(Metric::getName).toList());

        Metric counter = metrics.get(0);
        assertTrue(counter.getSum().getIsMonotonic());
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, counter.getSum().getAggregationTemporality());
        assertEquals(2 * PeerWorkload.COUNTERS, counter.getSum().getDataPointsCount());
        for (int ns = 0; ns < 2; ns++) {
            for (int c = 0; c < PeerWorkload.COUNTERS; c++) {
                int id = ns * PeerWorkload.PER_NAMESPACE + c;
                NumberDataPoint p = counter.getSum().getDataPoints(ns * PeerWorkload.COUNTERS + c);
                assertEquals(TS * 1_000_000L, p.getTimeUnixNano());
                assertEquals(w.values[id], p.getAsDouble());
                assertEquals(labelsWithoutName(w, id), attributes(p.getAttributesList()));
            }
        }

        Metric histogram = metrics.get(1);
        assertEquals(2 * PeerWorkload.HISTOGRAMS, histogram.getHistogram().getDataPointsCount());
        HistogramDataPoint h = histogram.getHistogram().getDataPoints(PeerWorkload.HISTOGRAMS + 3); // ns-1, 4th histogram
        int first = PeerWorkload.PER_NAMESPACE + PeerWorkload.COUNTERS + 3 * PeerWorkload.HISTOGRAM_SERIES;
        double cumulative = 0;
        for (int b = 0; b < PeerWorkload.BUCKETS; b++) {
            cumulative += h.getBucketCounts(b);
            assertEquals(w.values[first + b], cumulative, "le=" + PeerWorkload.LE[b]);
        }
        assertTrue(cumulative > 0);
        assertEquals(w.values[first + PeerWorkload.BUCKETS + 1], (double) h.getCount());
        assertEquals(w.values[first + PeerWorkload.BUCKETS], h.getSum());
        assertArrayEquals(PeerWorkload.BOUNDS, h.getExplicitBoundsList().stream().mapToDouble(Double::doubleValue).toArray());
        assertEquals(labelsWithoutName(w, first + PeerWorkload.BUCKETS + 1), attributes(h.getAttributesList()));

        Metric gauge = metrics.get(2);
        assertEquals(2 * PeerWorkload.GAUGES, gauge.getGauge().getDataPointsCount());
        int lastGauge = w.series - 1;
        assertEquals(w.values[lastGauge], gauge.getGauge().getDataPoints(2 * PeerWorkload.GAUGES - 1).getAsDouble());
    }

    @Test
    void remoteWriteCarriesTheWorkloadsSeriesAndValues() throws Exception {
        PeerWorkload w = new PeerWorkload(2500);
        RemoteWriteBatch batch = new RemoteWriteBatch(w, 1000, 1500, TS);
        w.advance(0);
        batch.stamp(TS + 5000, w.values);
        byte[] body = new byte[SnappyDecompressor.getUncompressedLength(batch.compressed(), 0)];
        new SnappyDecompressor().decompress(batch.compressed(), 0, batch.compressedLength(), body, 0, body.length);
        assertEquals(batch.uncompressedLength(), body.length);

        CodedInputStream in = CodedInputStream.newInstance(body);
        int id = 1000;
        while (!in.isAtEnd()) {
            assertEquals(1, in.readTag() >>> 3); // WriteRequest.timeseries
            CodedInputStream series = CodedInputStream.newInstance(in.readByteArray());
            List<String> labels = new ArrayList<>();
            double value = Double.NaN;
            long timestamp = -1;
            while (!series.isAtEnd()) {
                int field = series.readTag() >>> 3;
                CodedInputStream m = CodedInputStream.newInstance(series.readByteArray());
                if (field == 1) { // Label{name = 1, value = 2}
                    m.readTag();
                    String name = m.readString();
                    m.readTag();
                    labels.add(name + "=" + m.readString());
                } else { // Sample{value = 1, timestamp = 2}
                    assertEquals(2, field);
                    m.readTag();
                    value = m.readDouble();
                    m.readTag();
                    timestamp = m.readInt64();
                }
            }
            List<String> want = new ArrayList<>();
            w.labels(id).forEach(l -> want.add(l[0] + "=" + l[1]));
            assertEquals(want, labels);
            assertEquals(w.values[id], value);
            assertEquals(TS + 5000, timestamp);
            id++;
        }
        assertEquals(2500, id);
    }

    @Test
    void labelsAreSortedAndHistogramsCarryLe() {
        PeerWorkload w = new PeerWorkload(1250);
        for (int id = 0; id < w.series; id++) {
            List<String[]> l = w.labels(id);
            assertEquals("__name__", l.get(0)[0]);
            for (int i = 1; i < l.size(); i++) {
                assertTrue(l.get(i - 1)[0].compareTo(l.get(i)[0]) < 0, "sorted: " + l.get(i)[0]);
            }
        }
        assertEquals(1290, w.series);
        assertTrue(w.labels(1000 + 9).stream().anyMatch(l -> l[0].equals("le") && l[1].equals("+Inf")));
    }

    @Test
    void sixByteVarintMatchesProtobuf() throws Exception {
        byte[] want = new byte[6];
        CodedOutputStream.newInstance(want).writeInt64NoTag(TS);
        assertArrayEquals(want, ProtoChunk.varint6(TS));
    }

    private static List<String> labelsWithoutName(PeerWorkload w, int id) {
        List<String> out = new ArrayList<>();
        w.labels(id).stream().filter(l -> !l[0].equals("__name__")).forEach(l -> out.add(l[0] + "=" + l[1]));
        return out;
    }

    private static List<String> attributes(List<KeyValue> kvs) {
        return kvs.stream().map(kv -> kv.getKey() + "=" + kv.getValue().getStringValue()).toList();
    }
}
