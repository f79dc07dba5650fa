package dev.kedaotel.bench;

import dev.kedaotel.receiver.OtlpGrpcService;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

/** Exports one gauge sample {@code name{probe="<probe>"}} over OTLP/gRPC (probes, not hot paths). */
final class Gauges {
    private Gauges() {
    }

    static void export(Channel channel, String name, String probe, long timestampMs, double value) {
        ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
                        .addMetrics(Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder()
                                .addDataPoints(NumberDataPoint.newBuilder()
                                        .setTimeUnixNano(timestampMs * 1_000_000L)
                                        .setAsDouble(value)
                                        .addAttributes(KeyValue.newBuilder().setKey("probe")
                                                .setValue(AnyValue.newBuilder().setStringValue(probe))))))))
                .build();
        ClientCalls.blockingUnaryCall(channel, OtlpGrpcService.EXPORT, CallOptions.DEFAULT, req.toByteArray());
    }
}
