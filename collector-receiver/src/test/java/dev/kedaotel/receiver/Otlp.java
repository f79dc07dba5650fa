package dev.kedaotel.receiver;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;

/** Test helpers building requests with the generated opentelemetry-proto classes. */
final class Otlp {
    static final long T0_MS = 1_700_000_000_000L;

    private Otlp() {
    }

    static long nanos(long ms) {
        return ms * 1_000_000L;
    }

    static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue attr(String key, AnyValue value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    /** Alternating key/value strings. */
    static List<KeyValue> attrs(String... kv) {
        List<KeyValue> out = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(attr(kv[i], kv[i + 1]));
        }
        return out;
    }

    static NumberDataPoint doublePoint(long ms, double v, String... kv) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(nanos(ms)).setAsDouble(v).addAllAttributes(attrs(kv)).build();
    }

    static NumberDataPoint intPoint(long ms, long v, String... kv) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(nanos(ms)).setAsInt(v).addAllAttributes(attrs(kv)).build();
    }

    static ExportMetricsServiceRequest request(Resource resource, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder()
                        .setResource(resource)
                        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
                .build();
    }

    static ExportMetricsServiceRequest request(Metric... metrics) {
        return request(Resource.getDefaultInstance(), metrics);
    }

    static Resource resource(String... kv) {
        return Resource.newBuilder().addAllAttributes(attrs(kv)).build();
    }
}
