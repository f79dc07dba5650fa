/**
 * OTLP metrics ingest: OTLP/gRPC ({@link dev.kedaotel.receiver.OtlpGrpcService}) and OTLP/HTTP
 * ({@link dev.kedaotel.receiver.OtlpHttpHandler}) in front of one transport-neutral
 * {@link dev.kedaotel.receiver.OtlpIngestor}, which validates the raw protobuf bytes
 * ({@code RequestValidator}) and then streams every data point into the tsdb ({@code MetricMapper})
 * without building message objects.
 */
package dev.kedaotel.receiver;
