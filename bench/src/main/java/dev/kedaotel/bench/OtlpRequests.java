package dev.kedaotel.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Pre-encoded OTLP {@code ExportMetricsServiceRequest}s whose timestamps and values can be rewritten in
 * place, so a benchmark or load generator sends realistic, ever-advancing samples without encoding
 * anything per request (the cost measured is the server's, not the client's).
 *
 * <p>Series {@code i} is the cumulative monotonic counter {@code bench_requests_total} with data point
 * attributes {@code pod="pod-<i mod 1000>"} and {@code series="s<i>"}, under one resource with
 * {@code k8s.namespace.name="bench"}. {@code time_unix_nano} and {@code as_double} are protobuf
 * {@code fixed64} fields, so they are encoded with a marker value and patched at recorded offsets.
 */
public final class OtlpRequests {
    public static final String METRIC = "bench_requests_total";
    private static final long TS_MARKER = 0x5A5A_1234_5678_A5A5L;
    private static final long VALUE_MARKER_BITS = 0x4321_8765_0FED_CBA9L;

    private final byte[] bytes;
    private final int[] timestampOffsets;
    private final int[] valueOffsets;
    private final int points;

    private OtlpRequests(byte[] bytes, int[] timestampOffsets, int[] valueOffsets, int points) {
        this.bytes = bytes;
        this.timestampOffsets = timestampOffsets;
        this.valueOffsets = valueOffsets;
        this.points = points;
    }

    /** One request carrying series {@code [firstSeries, firstSeries + points)}. */
    public static OtlpRequests forSeries(int firstSeries, int points) {
        return forSeries(METRIC, firstSeries, points);
    }

    /** One request carrying series {@code [firstSeries, firstSeries + points)} of counter {@code metricName}. */
    public static OtlpRequests forSeries(String metricName, int firstSeries, int points) {
        Metric.Builder metric = Metric.newBuilder().setName(metricName).setDescription("bench counter");
        Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (int i = firstSeries; i < firstSeries + points; i++) {
            sum.addDataPoints(NumberDataPoint.newBuilder()
                    .setStartTimeUnixNano(1_000_000_000L)
                    .setTimeUnixNano(TS_MARKER)
                    .setAsDouble(Double.longBitsToDouble(VALUE_MARKER_BITS))
                    .addAttributes(attr("pod", "pod-" + (i % 1000)))
                    .addAttributes(attr("series", "s" + i)));
        }
        metric.setSum(sum);
        ExportMetricsServiceRequest request = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(attr("k8s.namespace.name", "bench")))
                        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(metric)))
                .build();
        byte[] b = request.toByteArray();
        int[] ts = find(b, TS_MARKER);
        int[] vs = find(b, VALUE_MARKER_BITS);
        if (ts.length != points || vs.length != points) {
            throw new IllegalStateException("marker search found " + ts.length + "/" + vs.length + " of " + points);
        }
        return new OtlpRequests(b, ts, vs, points);
    }

    /** The requests covering series {@code [0, seriesCount)}, {@code pointsPerRequest} each. */
    public static List<OtlpRequests> covering(int seriesCount, int pointsPerRequest) {
        return covering(METRIC, seriesCount, pointsPerRequest);
    }

    /** The requests covering series {@code [0, seriesCount)} of counter {@code metricName}. */
    public static List<OtlpRequests> covering(String metricName, int seriesCount, int pointsPerRequest) {
        if (seriesCount % pointsPerRequest != 0) {
            throw new IllegalArgumentException("series count " + seriesCount + " must be a multiple of points per request "
                    + pointsPerRequest);
        }
        List<OtlpRequests> out = new ArrayList<>();
        for (int s = 0; s < seriesCount; s += pointsPerRequest) {
            out.add(forSeries(metricName, s, pointsPerRequest));
        }
        return out;
    }

    private static KeyValue attr(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private static int[] find(byte[] b, long marker) {
        byte[] m = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(marker).array();
        List<Integer> hits = new ArrayList<>();
        outer:
        for (int i = 0; i + 8 <= b.length; i++) {
            for (int j = 0; j < 8; j++) {
                if (b[i + j] != m[j]) {
                    continue outer;
                }
            }
            hits.add(i);
        }
        return hits.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Sets every point's timestamp to {@code timestampMs} and value to {@code value}; allocation-free. */
    public void stamp(long timestampMs, double value) {
        long nanos = timestampMs * 1_000_000L;
        long bits = Double.doubleToRawLongBits(value);
        for (int off : timestampOffsets) {
            putLongLE(bytes, off, nanos);
        }
        for (int off : valueOffsets) {
            putLongLE(bytes, off, bits);
        }
    }

    /**
     * Sets every point's timestamp to {@code timestampMs} and point {@code i}'s value to
     * {@code values[from + i]} (series carry different values, as real exporters' do); allocation-free.
     */
    public void stamp(long timestampMs, double[] values, int from) {
        long nanos = timestampMs * 1_000_000L;
        for (int off : timestampOffsets) {
            putLongLE(bytes, off, nanos);
        }
        for (int i = 0; i < valueOffsets.length; i++) {
            putLongLE(bytes, valueOffsets[i], Double.doubleToRawLongBits(values[from + i]));
        }
    }

    /** Writes {@code v} as 8 little-endian bytes at {@code off} (a protobuf fixed64 / double). */
    static void putLongLE(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** The encoded request (shared, patched in place by {@link #stamp}). */
    public byte[] bytes() {
        return bytes;
    }

    public int points() {
        return points;
    }

    /** Unused by the server, handy when a test wants the request as a ByteString. */
    ByteString asByteString() {
        return ByteString.copyFrom(bytes);
    }
}
