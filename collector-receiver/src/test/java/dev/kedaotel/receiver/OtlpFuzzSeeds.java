package dev.kedaotel.receiver;

import static dev.kedaotel.receiver.Otlp.T0_MS;
import static dev.kedaotel.receiver.Otlp.attr;
import static dev.kedaotel.receiver.Otlp.doublePoint;
import static dev.kedaotel.receiver.Otlp.intPoint;
import static dev.kedaotel.receiver.Otlp.nanos;
import static dev.kedaotel.receiver.Otlp.request;
import static dev.kedaotel.receiver.Otlp.resource;

import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the seed corpora of {@link OtlpProtobufFuzzTest} and {@link OtlpHttpFuzzTest}: realistic requests
 * built with the opentelemetry-proto builders (what a collector scraping vLLM sends, every metric type,
 * every attribute value type, delta temporality, NoRecordedValue, several resources). Run from
 * {@code collector-receiver/} after {@code mvn test-compile}:
 * <pre>java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.kedaotel.receiver.OtlpFuzzSeeds src/test/resources</pre>
 * with {@code target/cp.txt} from {@code mvn dependency:build-classpath -Dmdep.outputFile=target/cp.txt}.
 */
final class OtlpFuzzSeeds {
    private OtlpFuzzSeeds() {
    }

    static Map<String, ExportMetricsServiceRequest> requests() {
        Map<String, ExportMetricsServiceRequest> r = new LinkedHashMap<>();
        r.put("vllm-gauge", request(resource("service.name", "vllm", "k8s.pod.name", "llama-0", "k8s.namespace.name", "models"),
                Metric.newBuilder().setName("vllm:num_requests_running").setGauge(Gauge.newBuilder()
                        .addDataPoints(doublePoint(T0_MS, 3, "model_name", "llama"))).build()));
        r.put("cumulative-sum", request(resource("service.name", "api"),
                Metric.newBuilder().setName("http.server.requests").setUnit("1").setSum(Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(intPoint(T0_MS, 10, "http.method", "GET", "http.status_code", "200"))
                        .addDataPoints(intPoint(T0_MS + 5000, 15, "http.method", "GET", "http.status_code", "200"))).build()));
        r.put("delta-sum", request(
                Metric.newBuilder().setName("jobs").setSum(Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                        .addDataPoints(doublePoint(T0_MS, 2.5, "queue", "a"))
                        .addDataPoints(doublePoint(T0_MS + 1000, 1, "queue", "a"))).build()));
        r.put("histogram", request(resource("service.name", "rpc"),
                Metric.newBuilder().setName("rpc.duration").setUnit("ms").setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS)).setCount(6).setSum(42)
                                .addAllExplicitBounds(List.of(1.0, 5.0, 10.0)).addAllBucketCounts(List.of(1L, 2L, 2L, 1L))
                                .addAttributes(attr("method", "Get")))).build()));
        r.put("exponential-histogram", request(
                Metric.newBuilder().setName("eh").setExponentialHistogram(ExponentialHistogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                        .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS)).setCount(3)
                                .setSum(7).setScale(2).setZeroCount(1)
                                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-1).addBucketCounts(1).addBucketCounts(1)))).build()));
        r.put("summary", request(
                Metric.newBuilder().setName("s").setSummary(Summary.newBuilder()
                        .addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS)).setCount(4).setSum(8)
                                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(1.5))
                                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(3)))).build()));
        NumberDataPoint typed = NumberDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS)).setAsDouble(1)
                .addAttributes(attr("i", AnyValue.newBuilder().setIntValue(-42).build()))
                .addAttributes(attr("b", AnyValue.newBuilder().setBoolValue(true).build()))
                .addAttributes(attr("d", AnyValue.newBuilder().setDoubleValue(0.25).build()))
                .addAttributes(attr("bytes", AnyValue.newBuilder().setBytesValue(com.google.protobuf.ByteString.copyFromUtf8("\u00ff<&>")).build()))
                .addAttributes(attr("arr", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setStringValue("x"))
                        .addValues(AnyValue.newBuilder().setIntValue(2))).build()))
                .addAttributes(attr("kv", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(attr("z", "1")).addValues(attr("a", AnyValue.newBuilder().setBoolValue(false).build()))).build()))
                .build();
        r.put("attribute-types", request(Metric.newBuilder().setName("typed.attrs").setGauge(Gauge.newBuilder().addDataPoints(typed)).build()));
        r.put("no-recorded-value", request(Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
                .addDataPoints(doublePoint(T0_MS, 1, "k", "v"))
                .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(nanos(T0_MS + 1000)).setFlags(1)
                        .addAllAttributes(Otlp.attrs("k", "v")))).build()));
        r.put("two-resources", ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource("service.name", "a", "service.instance.id", "1"))
                        .addScopeMetrics(ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("scope").setVersion("1.0"))
                                .addMetrics(Metric.newBuilder().setName("up").setGauge(Gauge.newBuilder().addDataPoints(intPoint(T0_MS, 1))))))
                .addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource("service.name", "b", "service.namespace", "ns"))
                        .addScopeMetrics(ScopeMetrics.newBuilder()
                                .addMetrics(Metric.newBuilder().setName("up").setGauge(Gauge.newBuilder().addDataPoints(intPoint(0, 0))))))
                .build());
        r.put("empty", ExportMetricsServiceRequest.getDefaultInstance());
        return r;
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources").resolve("dev/kedaotel/receiver");
        Path proto = Files.createDirectories(root.resolve("OtlpProtobufFuzzTestInputs/export"));
        Path http = Files.createDirectories(root.resolve("OtlpHttpFuzzTestInputs/handle"));
        for (Map.Entry<String, ExportMetricsServiceRequest> e : requests().entrySet()) {
            byte[] bytes = e.getValue().toByteArray();
            byte[] json = JsonFormat.printer().print(e.getValue()).getBytes(StandardCharsets.UTF_8);
            Files.write(proto.resolve(e.getKey()), bytes);
            Files.write(http.resolve("protobuf-" + e.getKey()), prefixed(0, bytes));
            Files.write(http.resolve("json-" + e.getKey()), prefixed(OtlpHttpFuzzTest.JSON, json));
        }
        byte[] sum = requests().get("cumulative-sum").toByteArray();
        byte[] sumJson = JsonFormat.printer().print(requests().get("cumulative-sum")).getBytes(StandardCharsets.UTF_8);
        Files.write(http.resolve("protobuf-gzip-cumulative-sum"), prefixed(OtlpHttpFuzzTest.GZIP, sum));
        Files.write(http.resolve("json-gzip-cumulative-sum"), prefixed(OtlpHttpFuzzTest.JSON | OtlpHttpFuzzTest.GZIP, sumJson));
        // Already compressed, sent as it is with Content-Encoding: gzip: a real gzip stream the fuzzer can break.
        Files.write(http.resolve("json-claimed-gzip-cumulative-sum"),
                prefixed(OtlpHttpFuzzTest.JSON | OtlpHttpFuzzTest.CLAIM_GZIP, OtlpHttpFuzzTest.gzip(sumJson)));
        Files.write(http.resolve("json-camel-case-and-unknown-field"), prefixed(OtlpHttpFuzzTest.JSON,
                ("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"x\",\"gauge\":{\"dataPoints\":"
                        + "[{\"timeUnixNano\":\"1700000000000000000\",\"asInt\":\"7\"}]}}]}],\"unknown\":1}]}")
                        .getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] prefixed(int mode, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = (byte) mode;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }
}
