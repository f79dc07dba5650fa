package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OTLP/HTTP through a real JDK HttpServer on loopback into a real TimeSeriesStore. */
class OtlpHttpEndToEndTest {
    private static final long MAX_BYTES = 64 * 1024;

    private StoreProbe probe;
    private final ReceiverStats stats = new ReceiverStats();
    private HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        probe = new StoreProbe();
        OtlpHttpHandler handler = new OtlpHttpHandler(
                OtlpIngestor.forStore(probe.store, ReceiverConfig.defaults(), stats));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(OtlpHttpHandler.PATH, exchange -> serve(handler, exchange));
        server.start();
    }

    private static void serve(OtlpHttpHandler handler, HttpExchange exchange) throws IOException {
        HttpReply reply = handler.handle(exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Content-Encoding"), exchange.getRequestBody(), MAX_BYTES);
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(reply.body());
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
        probe.close();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + OtlpHttpHandler.PATH;
    }

    private HttpResponse<byte[]> post(String contentType, String encoding, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url())).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] gauge(String name, double value) {
        return Otlp.request(Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder()
                .addDataPoints(Otlp.doublePoint(System.currentTimeMillis(), value))).build()).toByteArray();
    }

    @Test
    void sdkHttpExporterPushesGaugeCounterAndHistogram() {
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder().setEndpoint(url()).setCompression("gzip").build();
        try (SdkMetrics sdk = new SdkMetrics(exporter, "web")) {
            Attributes attrs = Attributes.of(AttributeKey.stringKey("route"), "/a");
            sdk.meter.gaugeBuilder("cpu.usage").build().set(0.75, attrs);
            sdk.meter.counterBuilder("hits").build().add(9, attrs);
            DoubleHistogram h = sdk.meter.histogramBuilder("size").setExplicitBucketBoundariesAdvice(List.of(10.0)).build();
            h.record(3, attrs);
            h.record(30, attrs);
            sdk.flush();
            assertEquals(0.75, probe.last("cpu_usage", "route", "/a", "job", "web"));
            assertEquals(9, probe.last("hits", "route", "/a"));
            assertEquals(1, probe.last("size_bucket", "le", "10"));
            assertEquals(2, probe.last("size_bucket", "le", "+Inf"));
            assertEquals(33, probe.last("size_sum"));
        }
    }

    @Test
    void protobufSuccessIsAnEmptyProtobufResponse() throws Exception {
        HttpResponse<byte[]> r = post("application/x-protobuf", null, gauge("plain", 2));
        assertEquals(200, r.statusCode());
        assertEquals("application/x-protobuf", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals(ExportMetricsServiceResponse.getDefaultInstance(), ExportMetricsServiceResponse.parseFrom(r.body()));
        assertEquals(2, probe.last("plain"));
    }

    @Test
    void jsonRequestGetsJsonResponse() throws Exception {
        String json = JsonFormat.printer().print(Otlp.request(Metric.newBuilder().setName("from.json")
                .setGauge(Gauge.newBuilder().addDataPoints(Otlp.intPoint(System.currentTimeMillis(), 12, "a.b", "c"))).build()));
        HttpResponse<byte[]> r = post("application/json; charset=utf-8", null, json.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertEquals("{}", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals(12, probe.last("from_json", "a_b", "c"));
    }

    @Test
    void jsonPartialSuccessAndOtlpJsonConventions() throws Exception {
        long ms = System.currentTimeMillis();
        // OTLP JSON: lowerCamelCase, 64-bit ints as strings, enums as integers, unknown fields ignored.
        String body = "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":["
                + "{\"name\":\"j\",\"sum\":{\"aggregationTemporality\":2,\"isMonotonic\":true,\"dataPoints\":["
                + "{\"timeUnixNano\":\"" + ms * 1_000_000L + "\",\"asInt\":\"5\",\"futureField\":1,"
                // OTLP/JSON sends trace and span ids as hex, not base64; exemplars must not break parsing.
                + "\"exemplars\":[{\"asDouble\":1,\"traceId\":\"5b8efff798038103d269b633813fc60c\","
                + "\"spanId\":\"eee19b7ec3c1b174\"}]}]}},"
                + "{\"name\":\"nodata\"}]}]}]}";
        HttpResponse<byte[]> r = post("application/json", null, body.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8));
        ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
        JsonFormat.parser().merge(new String(r.body(), StandardCharsets.UTF_8), response);
        assertEquals(1, response.getPartialSuccess().getRejectedDataPoints());
        assertTrue(response.getPartialSuccess().getErrorMessage().contains("no_metric_type"));
        assertEquals(5, probe.last("j"));
    }

    @Test
    void gzipBodyIsDecompressed() throws Exception {
        HttpResponse<byte[]> r = post("application/x-protobuf", "gzip", gzip(gauge("zipped", 3)));
        assertEquals(200, r.statusCode());
        assertEquals(3, probe.last("zipped"));
    }

    @Test
    void bodyOverTheLimitAfterDecompressionIs413() throws Exception {
        byte[] big = Otlp.request(Metric.newBuilder().setName("big").setGauge(Gauge.newBuilder()
                .addDataPoints(Otlp.doublePoint(System.currentTimeMillis(), 1, "k", "x".repeat((int) MAX_BYTES))))
                .build()).toByteArray();
        byte[] zipped = gzip(big);
        assertTrue(zipped.length < MAX_BYTES);
        HttpResponse<byte[]> r = post("application/x-protobuf", "gzip", zipped);
        assertEquals(413, r.statusCode());
        com.google.rpc.Status status = com.google.rpc.Status.parseFrom(r.body());
        assertTrue(status.getMessage().contains("exceeds the limit"), status.getMessage());
        assertTrue(probe.find("big").isEmpty());
        assertEquals(1, stats.oversizedRequests());
    }

    @Test
    void garbageProtobufIs400WithStatusBody() throws Exception {
        HttpResponse<byte[]> r = post("application/x-protobuf", null, "garbage!".getBytes(StandardCharsets.US_ASCII));
        assertEquals(400, r.statusCode());
        com.google.rpc.Status status = com.google.rpc.Status.parseFrom(r.body());
        assertEquals(com.google.rpc.Code.INVALID_ARGUMENT_VALUE, status.getCode());
        assertTrue(status.getMessage().contains("byte offset"), status.getMessage());
        assertEquals(1, stats.malformedRequests());
        assertEquals(1, stats.requests(ReceiverStats.Transport.HTTP));
    }

    @Test
    void invalidJsonIs400WithJsonStatus() throws Exception {
        HttpResponse<byte[]> r = post("application/json", null, "{\"resourceMetrics\":[{".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder();
        JsonFormat.parser().merge(new String(r.body(), StandardCharsets.UTF_8), status);
        assertEquals(com.google.rpc.Code.INVALID_ARGUMENT_VALUE, status.getCode());
    }

    @Test
    void otherContentTypesAndEncodingsAre415() throws Exception {
        assertEquals(415, post("text/plain", null, gauge("t", 1)).statusCode());
        assertEquals(415, post("application/x-protobuf", "br", gauge("t", 1)).statusCode());
        assertTrue(probe.find("t").isEmpty());
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(raw);
        }
        return bytes.toByteArray();
    }
}
