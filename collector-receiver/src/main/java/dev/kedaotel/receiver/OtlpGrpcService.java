package dev.kedaotel.receiver;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * OTLP/gRPC: {@code opentelemetry.proto.collector.metrics.v1.MetricsService/Export}, served with a raw
 * bytes marshaller so the request is never materialised as generated message objects; the bytes go
 * straight to {@link OtlpIngestor}. Compression (gzip) and the inbound size limit are handled by the
 * gRPC server the caller builds ({@code maxInboundMessageSize} applies after decompression and answers
 * RESOURCE_EXHAUSTED).
 *
 * <p>Errors: malformed bytes → INVALID_ARGUMENT naming the problem and offset (non-retryable, as OTLP
 * requires for bad data); more request bytes in flight than {@link ReceiverConfig#maxBytesInFlight()} →
 * UNAVAILABLE with a one-second {@code RetryInfo} (retryable: exporters back off); an unexpected failure →
 * INTERNAL. Store rejections are not errors: they come
 * back as {@code partial_success}.
 */
public final class OtlpGrpcService {
    public static final String SERVICE_NAME = "opentelemetry.proto.collector.metrics.v1.MetricsService";

    /** Export with raw request and response bytes. */
    public static final MethodDescriptor<byte[], byte[]> EXPORT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE_NAME, "Export"))
            .setRequestMarshaller(RawBytesMarshaller.INSTANCE)
            .setResponseMarshaller(RawBytesMarshaller.INSTANCE)
            .build();

    private static final System.Logger LOG = System.getLogger(OtlpGrpcService.class.getName());

    private OtlpGrpcService() {
    }

    public static ServerServiceDefinition definition(OtlpIngestor ingestor) {
        return ServerServiceDefinition.builder(SERVICE_NAME)
                .addMethod(EXPORT, ServerCalls.asyncUnaryCall((request, responses) -> export(ingestor, request, responses)))
                .build();
    }

    private static void export(OtlpIngestor ingestor, byte[] request, StreamObserver<byte[]> responses) {
        if (request == RawBytesMarshaller.TOO_LARGE) {
            ingestor.stats().recordOversized(ReceiverStats.Transport.GRPC);
            responses.onError(Status.RESOURCE_EXHAUSTED.withDescription(
                    "request exceeds the server's maximum message size (after decompression)").asRuntimeException());
            return;
        }
        if (request == RawBytesMarshaller.UNREADABLE) {
            ingestor.stats().recordUnreadable(ReceiverStats.Transport.GRPC);
            responses.onError(Status.INVALID_ARGUMENT.withDescription("request body could not be read (bad compression?)")
                    .asRuntimeException());
            return;
        }
        BytesInFlight budget = ingestor.bytesInFlight();
        if (!budget.tryReserve(request.length)) {
            // Retryable: OTLP exporters back off and retry UNAVAILABLE.
            responses.onError(busy("OTLP ingest is busy: " + budget.used() + " of " + budget.limit()
                    + " request bytes in flight (OTLP_MAX_BYTES_IN_FLIGHT); retry with backoff"));
            return;
        }
        ExportResult result;
        try {
            result = ingestor.export(request, ReceiverStats.Transport.GRPC);
        } catch (MalformedOtlpException e) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "OTLP/gRPC export failed", e);
            responses.onError(Status.INTERNAL.withDescription("export failed: " + e).asRuntimeException());
            return;
        } finally {
            budget.release(request.length);
        }
        responses.onNext(result.toProtobuf());
        responses.onCompleted();
    }

    /**
     * UNAVAILABLE with a {@code google.rpc.RetryInfo} detail of one second: the OTLP specification lets an
     * exporter wait what the server asks for before retrying (otherwise it backs off on its own).
     */
    static StatusRuntimeException busy(String message) {
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.UNAVAILABLE.value())
                .setMessage(message)
                .addDetails(com.google.protobuf.Any.pack(com.google.rpc.RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(1)).build()))
                .build();
        return io.grpc.protobuf.StatusProto.toStatusRuntimeException(status);
    }

    /**
     * Passes message bytes through untouched. gRPC reports an over-limit (decompressed) message by
     * throwing from the stream inside {@link #parse}, and an exception escaping a marshaller reaches the
     * client as UNKNOWN; so read failures are returned as sentinel arrays (compared by identity) and the
     * handler answers them with the proper status.
     */
    static final class RawBytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        static final RawBytesMarshaller INSTANCE = new RawBytesMarshaller();
        static final byte[] TOO_LARGE = new byte[0];
        static final byte[] UNREADABLE = new byte[0];

        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return readFully(stream);
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                    return TOO_LARGE;
                }
                LOG.log(System.Logger.Level.DEBUG, "unreadable OTLP/gRPC request", e);
                return UNREADABLE;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "unreadable OTLP/gRPC request", e);
                return UNREADABLE;
            }
        }

        /**
         * The message bytes with one copy: gRPC's stream of an uncompressed message knows its length
         * ({@code available()}), so the array is allocated at its final size instead of
         * {@code readAllBytes}' chunk list plus final copy. Streams that do not know (gzip) or that were
         * shorter than announced fall back to reading the rest.
         */
        static byte[] readFully(InputStream stream) throws IOException {
            int announced = stream.available();
            if (announced <= 0) {
                return stream.readAllBytes();
            }
            byte[] buf = new byte[announced];
            int read = stream.readNBytes(buf, 0, announced);
            int next = read == announced ? stream.read() : -1;
            if (read == announced && next < 0) {
                return buf;
            }
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(Math.max(32, read * 2));
            all.write(buf, 0, read);
            if (next >= 0) {
                all.write(next);
                stream.transferTo(all);
            }
            return all.toByteArray();
        }
    }
}
