package dev.kedaotel.conformance;

import dev.kedaotel.server.Config;
import dev.kedaotel.server.KedaOtelScaler;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
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

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Our service, started in-process on free ports with labels exactly the data-point attributes
 * (no job/instance or resource promotion), 1 h retention and a 5 m lookback, loaded with the dataset
 * over OTLP/gRPC: counters as cumulative monotonic Sums, gauges as Gauges, histograms as cumulative
 * explicit-bucket Histograms, every point with its exact timestamp.
 */
final class OurService implements AutoCloseable {
    final KedaOtelScaler app;

    private OurService(KedaOtelScaler app) {
        this.app = app;
    }

    static OurService start(String... extraArgs) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("--otlp-receiver-port=0", "--keda-external-scaler-port=0",
                "--rest-api-port=0", "--internal-metrics-port=0", "--no-banner", "--log-level=warn",
                "--otlp-promote-job-instance=false", "--otlp-promote-resource-attributes=",
                "--metric-store-retention-seconds=3600", "--lookback-delta-seconds=300"));
        args.addAll(List.of(extraArgs));
        return new OurService(KedaOtelScaler.start(Config.load(args.toArray(new String[0]), new HashMap<>())));
    }

    String base() {
        return "http://127.0.0.1:" + app.httpPort();
    }

    void load(Dataset data) {
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", app.otlpPort()).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
        try {
            MetricsServiceGrpc.MetricsServiceBlockingStub stub = MetricsServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
            for (Dataset.FloatSeries f : data.floats) {
                scope.addMetrics(floatMetric(f));
            }
            for (Dataset.HistogramSeries h : data.histograms) {
                scope.addMetrics(histogramMetric(h));
            }
            ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder()
                    .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(scope)).build();
            ExportMetricsServiceResponse resp = stub.export(req);
            if (resp.hasPartialSuccess() && resp.getPartialSuccess().getRejectedDataPoints() > 0) {
                throw new IllegalStateException("our service rejected points: " + resp.getPartialSuccess());
            }
        } finally {
            ch.shutdownNow();
        }
    }

    private static List<KeyValue> attributes(Map<String, String> labels) {
        List<KeyValue> out = new java.util.ArrayList<>();
        labels.forEach((k, v) -> out.add(KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build()));
        return out;
    }

    private static Metric floatMetric(Dataset.FloatSeries f) {
        List<KeyValue> attrs = attributes(f.labels());
        long startNanos = (f.ts()[0] - 1000) * 1_000_000L;
        List<NumberDataPoint> points = new java.util.ArrayList<>();
        for (int i = 0; i < f.ts().length; i++) {
            points.add(NumberDataPoint.newBuilder().addAllAttributes(attrs).setStartTimeUnixNano(startNanos)
                    .setTimeUnixNano(f.ts()[i] * 1_000_000L).setAsDouble(f.values()[i]).build());
        }
        Metric.Builder m = Metric.newBuilder().setName(f.name());
        if (f.counter()) {
            m.setSum(Sum.newBuilder().setIsMonotonic(true)
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addAllDataPoints(points));
        } else {
            m.setGauge(Gauge.newBuilder().addAllDataPoints(points));
        }
        return m.build();
    }

    private static Metric histogramMetric(Dataset.HistogramSeries h) {
        List<KeyValue> attrs = attributes(h.labels());
        Histogram.Builder hb = Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        for (int i = 0; i < h.ts().length; i++) {
            HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().addAllAttributes(attrs)
                    .setStartTimeUnixNano((h.ts()[0] - 1000) * 1_000_000L).setTimeUnixNano(h.ts()[i] * 1_000_000L)
                    .setCount(h.count()[i]).setSum(h.sum()[i]);
            for (double b : Dataset.BOUNDS) {
                p.addExplicitBounds(b);
            }
            for (long c : h.bucketCounts()[i]) {
                p.addBucketCounts(c);
            }
            hb.addDataPoints(p);
        }
        return Metric.newBuilder().setName(h.name()).setHistogram(hb).build();
    }

    @Override
    public void close() {
        app.close();
    }
}
