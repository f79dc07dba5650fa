/**
 * OTLP metrics ingest: OTLP/gRPC ({@link dev.kedaotel.receiver.OtlpGrpcService}) and OTLP/HTTP
 * ({@link dev.kedaotel.receiver.OtlpHttpHandler}) in front of one transport-neutral
 * {@link dev.kedaotel.receiver.OtlpIngestor}, which validates the raw protobuf bytes
 * ({@code RequestValidator}) and then streams every data point into the tsdb ({@code MetricMapper})
 * without building message objects.
 *
 * <p>Public API: {@code OtlpIngestor}, {@code OtlpGrpcService}, {@code OtlpHttpHandler},
 * {@code ReceiverConfig}, {@code ReceiverStats}, {@code ExportResult}, {@code HttpReply},
 * {@code IngestSink}, {@code MalformedOtlpException}, {@code RejectReason}. Threads: none of its own;
 * every export runs on the calling transport thread (the composition root's {@code otlp-grpc} pool or
 * its HTTP pool), which keeps a decoder and an appender per thread.
 */
package dev.kedaotel.receiver;
