package dev.kedaotel.receiver;

import dev.kedaotel.model.TimeSource;

import static dev.kedaotel.receiver.MalformedRequestTest.concat;
import static dev.kedaotel.receiver.MalformedRequestTest.lengthDelimited;
import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.doublePoint;
import static dev.kedaotel.receiver.Otlp.nanos;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Protobuf field order is free; the decoder must not depend on the order the generated encoders use. */
class WireOrderTest {
    private final RecordingSink sink = new RecordingSink();
    private final OtlpIngestor ingestor = new OtlpIngestor(ReceiverConfig.defaults(), new ReceiverStats(), () -> sink, TimeSource.wallClock(() -> T0_MS));

    @Test
    void resourceAfterScopeMetricsAndNameAfterData() throws Exception {
        Metric data = Metric.newBuilder().setGauge(Gauge.newBuilder().addDataPoints(doublePoint(T0_MS, 4))).build();
        byte[] name = Metric.newBuilder().setName("late.name").build().toByteArray();
        byte[] metric = concat(data.toByteArray(), name);
        byte[] scope = lengthDelimited(2, metric);
        byte[] resource = Otlp.resource("k8s.pod.name", "p").toByteArray();
        byte[] resourceMetrics = concat(lengthDelimited(2, scope), lengthDelimited(1, resource));
        ingestor.export(lengthDelimited(1, resourceMetrics), ReceiverStats.Transport.GRPC);
        assertEquals(4, sink.last("__name__", "late_name", "k8s_pod_name", "p"));
    }

    @Test
    void temporalityBeforeOrAfterPointsAndUnpackedBuckets() throws Exception {
        byte[] delta = enumField(2, 1);
        // First request: temporality first; second: after the point (as generated encoders write it).
        export(concat(delta, lengthDelimited(1, unpackedHistogramPoint(T0_MS))));
        export(concat(lengthDelimited(1, unpackedHistogramPoint(T0_MS + 1000)), delta));
        assertEquals(2, sink.last("__name__", "h_bucket", "le", "0.5"));
        assertEquals(6, sink.last("__name__", "h_bucket", "le", "+Inf"));
        assertEquals(6, sink.last("__name__", "h_count"));
    }

    private void export(byte[] histogram) throws Exception {
        byte[] metric = concat(Metric.newBuilder().setName("h").build().toByteArray(), lengthDelimited(9, histogram));
        ingestor.export(lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, metric))), ReceiverStats.Transport.GRPC);
    }

    /** A HistogramDataPoint with bucket_counts and explicit_bounds one tag per value (not packed). */
    private static byte[] unpackedHistogramPoint(long ms) throws IOException {
        ByteArrayOutputStream point = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(point);
        out.writeFixed64(3, nanos(ms));
        out.writeFixed64(6, 1);
        out.writeFixed64(6, 2);
        out.writeDouble(7, 0.5);
        out.writeFixed64(4, 3);
        out.flush();
        return point.toByteArray();
    }

    private static byte[] enumField(int field, int value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeEnum(field, value);
        out.flush();
        return bytes.toByteArray();
    }
}
