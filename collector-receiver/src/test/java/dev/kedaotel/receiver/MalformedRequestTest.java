package dev.kedaotel.receiver;

import dev.kedaotel.model.TimeSource;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.doublePoint;
import static dev.kedaotel.receiver.Otlp.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Malformed bytes are rejected whole, with a message naming the problem and offset, and store nothing. */
class MalformedRequestTest {
    private final RecordingSink sink = new RecordingSink();
    private final ReceiverStats stats = new ReceiverStats();
    private final OtlpIngestor ingestor = new OtlpIngestor(ReceiverConfig.defaults(), stats, () -> sink, TimeSource.wallClock(() -> T0_MS));

    private static byte[] validRequest() {
        Metric m1 = Metric.newBuilder().setName("a").setGauge(Gauge.newBuilder().addDataPoints(doublePoint(T0_MS, 1, "k", "v"))).build();
        Metric m2 = Metric.newBuilder().setName("b").setGauge(Gauge.newBuilder().addDataPoints(doublePoint(T0_MS, 2, "k", "v"))).build();
        return request(Otlp.resource("service.name", "svc"), m1, m2).toByteArray();
    }

    private MalformedOtlpException rejected(byte[] bytes) {
        MalformedOtlpException e = assertThrows(MalformedOtlpException.class,
                () -> ingestor.export(bytes, ReceiverStats.Transport.GRPC));
        assertTrue(sink.series().isEmpty(), "nothing may be stored from a malformed request");
        return e;
    }

    @Test
    void truncatedRequestIsRejectedWithOffsetAndStoresNothing() {
        byte[] valid = validRequest();
        // Cut inside the second metric: the first metric alone would be storable.
        MalformedOtlpException e = rejected(Arrays.copyOf(valid, valid.length - 3));
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
        assertTrue(e.getMessage().contains("at byte offset 1"), e.getMessage()); // the outer length prefix
        assertEquals(1, stats.malformedRequests());
    }

    @Test
    void everyTruncationIsRejectedWithoutException() {
        byte[] valid = validRequest();
        for (int len = 1; len < valid.length; len++) {
            byte[] cut = Arrays.copyOf(valid, len);
            assertThrows(MalformedOtlpException.class, () -> ingestor.export(cut, ReceiverStats.Transport.GRPC),
                    "prefix of length " + len);
        }
        assertTrue(sink.series().isEmpty());
    }

    @Test
    void textIsNotProtobuf() {
        MalformedOtlpException e = rejected("this is not protobuf".getBytes(StandardCharsets.US_ASCII));
        assertTrue(e.getMessage().contains("wire type"), e.getMessage());
        assertEquals(0, e.offset());
    }

    @Test
    void truncatedVarintIsNamed() {
        MalformedOtlpException e = rejected(new byte[] {0x0a, (byte) 0x80});
        assertTrue(e.getMessage().contains("truncated varint at byte offset 1"), e.getMessage());
    }

    @Test
    void wrongWireTypeForAKnownFieldIsNamed() throws IOException {
        // NumberDataPoint.time_unix_nano (3) sent as a varint instead of fixed64.
        ByteArrayOutputStream point = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(point);
        out.writeUInt64(3, 12345);
        out.flush();
        Metric m = Metric.newBuilder().setName("x").setGauge(Gauge.newBuilder().addDataPoints(
                io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder().build())).build();
        byte[] metric = m.toBuilder().clearGauge().build().toByteArray();
        byte[] gauge = lengthDelimited(1, point.toByteArray());
        byte[] bytes = lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, concat(metric, lengthDelimited(5, gauge)))));
        MalformedOtlpException e = rejected(bytes);
        assertTrue(e.getMessage().contains("field NumberDataPoint.3 has wire type 0, expected 1"), e.getMessage());
    }

    @Test
    void anAttributeThatOnlyStartsLikeAPlainStringIsStillCheckedFully() throws IOException {
        // KeyValue{key "k", value AnyValue{string_value "v", bool_value sent length-delimited}}: the
        // validator's fast path for plain string attributes must not accept the trailing bad field.
        ByteArrayOutputStream any = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(any);
        out.writeString(1, "v");
        out.writeBytes(2, ByteString.copyFromUtf8("x"));
        out.flush();
        byte[] keyValue = concat(lengthDelimited(1, "k".getBytes(StandardCharsets.UTF_8)), lengthDelimited(2, any.toByteArray()));
        byte[] point = lengthDelimited(7, keyValue);
        byte[] metric = concat(lengthDelimited(1, "x".getBytes(StandardCharsets.UTF_8)), lengthDelimited(5, lengthDelimited(1, point)));
        byte[] bytes = lengthDelimited(1, lengthDelimited(2, lengthDelimited(2, metric)));
        MalformedOtlpException e = rejected(bytes);
        assertTrue(e.getMessage().contains("field AnyValue.2 has wire type 2, expected 0"), e.getMessage());
    }

    @Test
    void deeplyNestedAttributeValuesAreRejectedNotOverflowed() {
        AnyValue v = AnyValue.newBuilder().setStringValue("leaf").build();
        for (int i = 0; i < 200; i++) {
            v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
        }
        Metric m = Metric.newBuilder().setName("deep").setGauge(Gauge.newBuilder().addDataPoints(
                doublePoint(T0_MS, 1).toBuilder().addAttributes(Otlp.attr("k", v)))).build();
        MalformedOtlpException e = rejected(request(m).toByteArray());
        assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
    }

    @Test
    void randomBytesNeverThrowUnchecked() {
        Random rnd = new Random(42);
        byte[] valid = validRequest();
        for (int i = 0; i < 2000; i++) {
            byte[] b = valid.clone();
            for (int k = 0; k < 3; k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            try {
                ingestor.export(b, ReceiverStats.Transport.GRPC);
            } catch (MalformedOtlpException expected) {
                // fine: rejected with a message
            }
        }
        byte[] noise = new byte[4096];
        for (int i = 0; i < 500; i++) {
            rnd.nextBytes(noise);
            try {
                ingestor.export(noise, ReceiverStats.Transport.GRPC);
            } catch (MalformedOtlpException expected) {
                // fine
            }
        }
    }

    @Test
    void unknownFieldsAreSkipped() throws Exception {
        byte[] valid = validRequest();
        ByteArrayOutputStream extra = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(extra);
        out.writeBytes(99, ByteString.copyFromUtf8("future"));
        out.writeFixed32(98, 7);
        out.flush();
        ExportResult r = ingestor.export(concat(extra.toByteArray(), valid), ReceiverStats.Transport.GRPC);
        assertTrue(r.isFullSuccess());
        assertEquals(2, sink.series().size());
    }

    static byte[] lengthDelimited(int field, byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeByteArray(field, payload);
        out.flush();
        return bytes.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
