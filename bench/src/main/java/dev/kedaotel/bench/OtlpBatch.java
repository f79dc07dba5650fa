package dev.kedaotel.bench;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.util.Arrays;
import java.util.List;

/**
 * One OTLP {@code ExportMetricsServiceRequest} carrying whole namespaces of the workload, encoded once
 * ({@link ProtoChunk}) with the field numbers of the generated OTLP classes, then re-stamped in place
 * every round. Counters are a cumulative monotonic {@code Sum}, histograms a cumulative {@code Histogram}
 * (per-bucket counts, {@code count}, {@code sum}, 9 explicit bounds), gauges a {@code Gauge}; every label
 * of {@link PeerWorkload#labels} except {@code __name__} and {@code le} is a data point attribute and the
 * resource has none, so our receiver stores exactly the peers' series (metric names need no
 * sanitising; a histogram becomes {@code _bucket{le}}, {@code _sum}, {@code _count}). Not thread-safe.
 */
final class OtlpBatch {
    private static final byte TIME = 0;
    private static final byte DOUBLE = 1;
    private static final byte COUNT = 2;
    private static final byte BUCKET = 3;

    private final byte[] body;
    private final int[] offsets;
    private byte[] kinds = new byte[256];
    private int[] ids = new int[256];
    private int slotCount;
    private final int series;
    private final long startNanos;

    OtlpBatch(PeerWorkload w, int firstNamespace, int namespaces, long startTimeMs) {
        this.startNanos = startTimeMs * 1_000_000L;
        ProtoChunk counters = new ProtoChunk();
        ProtoChunk histograms = new ProtoChunk();
        ProtoChunk gauges = new ProtoChunk();
        int count = 0;
        // Slots are recorded in write order, so each metric's points are built before the next metric's.
        for (int ns = firstNamespace; ns < firstNamespace + namespaces; ns++) {
            int base = ns * PeerWorkload.PER_NAMESPACE;
            for (int id = base; id < base + PeerWorkload.COUNTERS; id++) {
                counters.message(Sum.DATA_POINTS_FIELD_NUMBER, numberPoint(w, id));
                count++;
            }
        }
        for (int ns = firstNamespace; ns < firstNamespace + namespaces; ns++) {
            int first = ns * PeerWorkload.PER_NAMESPACE + PeerWorkload.COUNTERS;
            for (int h = 0; h < PeerWorkload.HISTOGRAMS; h++) {
                histograms.message(Histogram.DATA_POINTS_FIELD_NUMBER, histogramPoint(w, first + h * PeerWorkload.HISTOGRAM_SERIES));
                count += PeerWorkload.HISTOGRAM_SERIES;
            }
        }
        for (int ns = firstNamespace; ns < firstNamespace + namespaces; ns++) {
            int first = (ns + 1) * PeerWorkload.PER_NAMESPACE - PeerWorkload.GAUGES;
            for (int id = first; id < first + PeerWorkload.GAUGES; id++) {
                gauges.message(Gauge.DATA_POINTS_FIELD_NUMBER, numberPoint(w, id));
                count++;
            }
        }
        counters.varint(Sum.AGGREGATION_TEMPORALITY_FIELD_NUMBER, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE_VALUE)
                .varint(Sum.IS_MONOTONIC_FIELD_NUMBER, 1);
        histograms.varint(Histogram.AGGREGATION_TEMPORALITY_FIELD_NUMBER, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE_VALUE);
        ProtoChunk scope = new ProtoChunk()
                .message(ScopeMetrics.SCOPE_FIELD_NUMBER, new ProtoChunk().string(InstrumentationScope.NAME_FIELD_NUMBER, "bench"))
                .message(ScopeMetrics.METRICS_FIELD_NUMBER, new ProtoChunk().string(Metric.NAME_FIELD_NUMBER, PeerWorkload.COUNTER)
                        .message(Metric.SUM_FIELD_NUMBER, counters))
                .message(ScopeMetrics.METRICS_FIELD_NUMBER, new ProtoChunk().string(Metric.NAME_FIELD_NUMBER, PeerWorkload.HISTOGRAM)
                        .message(Metric.HISTOGRAM_FIELD_NUMBER, histograms))
                .message(ScopeMetrics.METRICS_FIELD_NUMBER, new ProtoChunk().string(Metric.NAME_FIELD_NUMBER, PeerWorkload.GAUGE)
                        .message(Metric.GAUGE_FIELD_NUMBER, gauges));
        ProtoChunk request = new ProtoChunk().message(ExportMetricsServiceRequest.RESOURCE_METRICS_FIELD_NUMBER,
                new ProtoChunk().message(ResourceMetrics.SCOPE_METRICS_FIELD_NUMBER, scope));
        this.body = request.toByteArray();
        this.offsets = request.slots();
        this.series = count;
        if (offsets.length != slotCount) {
            throw new IllegalStateException("slot bookkeeping: " + offsets.length + " offsets, " + slotCount + " kinds");
        }
    }

    private ProtoChunk numberPoint(PeerWorkload w, int id) {
        ProtoChunk p = new ProtoChunk().fixed64(NumberDataPoint.START_TIME_UNIX_NANO_FIELD_NUMBER, startNanos);
        p.fixed64Slot(NumberDataPoint.TIME_UNIX_NANO_FIELD_NUMBER);
        kind(TIME, id);
        p.fixed64Slot(NumberDataPoint.AS_DOUBLE_FIELD_NUMBER);
        kind(DOUBLE, id);
        attributes(p, NumberDataPoint.ATTRIBUTES_FIELD_NUMBER, w.labels(id));
        return p;
    }

    /** {@code first} is the histogram's first bucket series; its _sum and _count follow the 10 buckets. */
    private ProtoChunk histogramPoint(PeerWorkload w, int first) {
        ProtoChunk p = new ProtoChunk().fixed64(HistogramDataPoint.START_TIME_UNIX_NANO_FIELD_NUMBER, startNanos);
        p.fixed64Slot(HistogramDataPoint.TIME_UNIX_NANO_FIELD_NUMBER);
        kind(TIME, first);
        p.fixed64Slot(HistogramDataPoint.COUNT_FIELD_NUMBER);
        kind(COUNT, first + PeerWorkload.BUCKETS + 1);
        p.fixed64Slot(HistogramDataPoint.SUM_FIELD_NUMBER);
        kind(DOUBLE, first + PeerWorkload.BUCKETS);
        p.packedFixed64Slots(HistogramDataPoint.BUCKET_COUNTS_FIELD_NUMBER, PeerWorkload.BUCKETS);
        for (int b = 0; b < PeerWorkload.BUCKETS; b++) {
            kind(BUCKET, first + b);
        }
        p.packedDoubles(HistogramDataPoint.EXPLICIT_BOUNDS_FIELD_NUMBER, PeerWorkload.BOUNDS);
        // The _count series' labels are the point's attributes (no le).
        attributes(p, HistogramDataPoint.ATTRIBUTES_FIELD_NUMBER, w.labels(first + PeerWorkload.BUCKETS + 1));
        return p;
    }

    private static void attributes(ProtoChunk point, int field, List<String[]> labels) {
        for (String[] l : labels) {
            if (!l[0].equals("__name__")) {
                point.message(field, new ProtoChunk().string(KeyValue.KEY_FIELD_NUMBER, l[0]).message(KeyValue.VALUE_FIELD_NUMBER,
                        new ProtoChunk().string(AnyValue.STRING_VALUE_FIELD_NUMBER, l[1])));
            }
        }
    }

    private void kind(byte kind, int id) {
        if (slotCount == kinds.length) {
            kinds = Arrays.copyOf(kinds, slotCount * 2);
            ids = Arrays.copyOf(ids, slotCount * 2);
        }
        kinds[slotCount] = kind;
        ids[slotCount++] = id;
    }

    /**
     * Writes the round's timestamp and values: doubles as they are, {@code count} as an unsigned
     * integer, bucket counts as the difference of consecutive cumulative {@code le} series (OTLP carries
     * per-bucket counts; the receiver sums them back, exactly, since all are integers below 2^53).
     */
    void stamp(long timestampMs, double[] values) {
        long nanos = timestampMs * 1_000_000L;
        for (int i = 0; i < offsets.length; i++) {
            int id = ids[i];
            long bits = switch (kinds[i]) {
                case TIME -> nanos;
                case DOUBLE -> Double.doubleToRawLongBits(values[id]);
                case COUNT -> (long) values[id];
                default -> (long) (PeerWorkload.isHistogramStart(id) ? values[id] : values[id] - values[id - 1]);
            };
            ProtoChunk.putLongLE(body, offsets[i], bits);
        }
    }

    /** The request bytes (patched in place by {@link #stamp}). */
    byte[] bytes() {
        return body;
    }

    /** Prometheus series this request writes (a histogram point writes 12). */
    int series() {
        return series;
    }
}
