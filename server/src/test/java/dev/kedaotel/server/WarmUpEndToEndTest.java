package dev.kedaotel.server;

import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * "No answers from a partial window", through the service's real interfaces on a manual clock: OTLP/gRPC
 * pushes, KEDA's external-scaler gRPC client, the probes on both HTTP ports and gRPC health on both gRPC
 * ports, the HTTP API and self-metrics. A fresh start's window is complete from START; the default
 * warm-up is the retention window (120 s).
 */
class WarmUpEndToEndTest {
    private static final long START = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final String DEFAULT_WARM_UP = "--metric-store-warm-up-seconds="; // empty: the retention window
    /** kedify last_one: last_over_time over the 120 s window. */
    private static final ScaledObjectRef LAST_ONE = ref("llama",
            "sum(vllm:num_requests_running{namespace=ns, deployment=llama})");
    /** PromQL reading 30 s back. */
    private static final ScaledObjectRef SHORT_RANGE = ref("llama-30s",
            "sum(max_over_time(vllm:num_requests_running{namespace=\"ns\"}[30s]))");

    private final ManualTimeSource time = new ManualTimeSource(START);
    private RunningServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ScaledObjectRef ref(String name, String metricQuery) {
        return ScaledObjectRef.newBuilder().setNamespace("ns").setName(name)
                .putAllScalerMetadata(Map.of("metricQuery", metricQuery, "targetValue", "4")).build();
    }

    /** One pod's collector exports its gauge, stamped with the server's (manual) clock. */
    private void push(String pod, double running) {
        NumberDataPoint dp = NumberDataPoint.newBuilder().setTimeUnixNano(time.wallMillis() * 1_000_000L).setAsDouble(running)
                .addAttributes(attr("namespace", "ns")).addAttributes(attr("deployment", "llama")).addAttributes(attr("pod", pod))
                .build();
        Metric m = Metric.newBuilder().setName("vllm:num_requests_running").setGauge(Gauge.newBuilder().addDataPoints(dp)).build();
        MetricsServiceGrpc.newBlockingStub(server.otlpChannel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .export(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(m))).build());
    }

    private static KeyValue attr(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    private double getMetrics(ScaledObjectRef ref) {
        return server.scaler().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("ns-" + ref.getName())
                .build()).getMetricValues(0).getMetricValueFloat();
    }

    /** GetMetrics and IsActive both answer UNAVAILABLE; returns GetMetrics' description. */
    private String unavailable(ScaledObjectRef ref) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> getMetrics(ref));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        StatusRuntimeException isActive = assertThrows(StatusRuntimeException.class, () -> server.scaler().isActive(ref));
        assertEquals(Status.Code.UNAVAILABLE, isActive.getStatus().getCode(), isActive.toString());
        return e.getStatus().getDescription();
    }

    private ServingStatus grpcHealth(int port, String service) {
        ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            return HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
        } finally {
            ch.shutdownNow();
        }
    }

    private void assertReadyz(int status, String body) throws Exception {
        for (HttpResponse<String> r : new HttpResponse[] {server.get("/readyz"), server.getMetricsPort("/readyz")}) {
            assertEquals(status, r.statusCode(), r.uri() + ": " + r.body());
            assertEquals(body, r.body(), r.uri().toString());
            assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        }
    }

    private String selfMetrics() throws Exception {
        return server.getMetricsPort("/metrics").body();
    }

    /** Polls (bounded, not a timing assertion) until the maintenance thread's readiness check has acted. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after 10 s waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aFreshStartAnswersUnavailableWhileDataArrivesThenTheWholeWindowsValue() throws Exception {
        server = RunningServer.on(time, OptionalLong.empty(), DEFAULT_WARM_UP);
        time.advanceMillis(1_000);
        push("a", 3); // pod b exports only every 100 s and has not re-pushed yet

        assertEquals("warming up: this server's metric window is complete only since 2026-01-01T00:00:00Z (it started"
                + " without the samples sent before), and metricQuery \"sum(vllm:num_requests_running{namespace=ns,"
                + " deployment=llama})\" reads the last 120 s, so it answers in 119 s (warm-up period 120 s,"
                + " METRIC_STORE_WARM_UP_SECONDS); until then KEDA keeps the current replica count or applies the"
                + " ScaledObject's fallback", unavailable(LAST_ONE));
        assertEquals(4, server.scaler().getMetricSpec(LAST_ONE).getMetricSpecs(0).getTargetSizeFloat(), 0,
                "GetMetricSpec needs no data");

        // Engineers keep debugging: the HTTP API and /memstore/query answer from what is there.
        HttpResponse<String> api = server.get("/api/v1/query?query=" + RunningServer.enc("sum(vllm:num_requests_running)"));
        assertEquals(200, api.statusCode());
        assertTrue(api.body().contains("\"3\""), api.body());
        HttpResponse<String> memstore = server.postJson("/memstore/query",
                "{\"query\":\"sum(vllm:num_requests_running{namespace=ns})\",\"operationOverTime\":\"last_one\"}");
        assertEquals(200, memstore.statusCode(), memstore.body());

        assertReadyz(503, "{\"ready\":false,\"status\":\"warming_up\",\"warmUp\":{\"state\":\"warming\","
                + "\"completeSince\":\"2026-01-01T00:00:00Z\",\"periodSeconds\":120,\"remainingSeconds\":119}}");
        assertEquals(200, server.get("/healthz").statusCode(), "liveness does not wait for the window");
        for (int port : new int[] {server.app.otlpPort(), server.app.scalerPort()}) {
            assertEquals(ServingStatus.NOT_SERVING, grpcHealth(port, "readiness"));
            assertEquals(ServingStatus.SERVING, grpcHealth(port, "liveness"));
        }
        String metrics = selfMetrics();
        assertTrue(metrics.contains("keda_otel_scaler_warm_up_remaining_seconds 119.0"), metrics);
        assertTrue(metrics.contains("keda_otel_scaler_scaler_unavailable_total{reason=\"warming_up\",rpc=\"GetMetrics\"} 1.0"),
                metrics);

        time.advanceMillis(99_000);
        push("b", 4);
        assertTrue(unavailable(LAST_ONE).contains("answers in 20 s"));

        time.advanceMillis(20_000); // START + 120 s: the window holds all it can
        assertEquals(3 + 4, getMetrics(LAST_ONE), 1e-9, "both pods, never 3 alone");
        assertTrue(server.scaler().isActive(LAST_ONE).getResult());
        assertReadyz(200, "{\"ready\":true,\"status\":\"ready\",\"warmUp\":{\"state\":\"complete\","
                + "\"completeSince\":\"2026-01-01T00:00:00Z\",\"periodSeconds\":120,\"remainingSeconds\":0}}");
        for (int port : new int[] {server.app.otlpPort(), server.app.scalerPort()}) {
            await("gRPC readiness on port " + port, () -> grpcHealth(port, "readiness") == ServingStatus.SERVING);
        }
        assertTrue(selfMetrics().contains("keda_otel_scaler_warm_up_remaining_seconds 0.0"));
    }

    @Test
    void aStreamOpenedDuringTheWarmUpSendsNothingThenItsFirstAnswerWhenItEnds() throws Exception {
        server = RunningServer.on(time, OptionalLong.empty(), DEFAULT_WARM_UP);
        time.advanceMillis(1_000);
        push("a", 3);
        LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        server.scalerAsync().streamIsActive(LAST_ONE, new StreamObserver<>() {
            @Override
            public void onNext(IsActiveResponse value) {
                received.add(value.getResult());
            }

            @Override
            public void onError(Throwable t) {
                received.add(t);
            }

            @Override
            public void onCompleted() {
                received.add("completed");
            }
        });
        // The stream has evaluated its first answer and held it back once this counter shows it.
        await("the stream to hold its first answer", () -> {
            try {
                return selfMetrics().contains("scaler_unavailable_total{reason=\"warming_up\",rpc=\"StreamIsActive\"} 1.0");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        push("a", 5); // new data during the warm-up: still nothing sent
        assertTrue(received.isEmpty(), "nothing from a partial window: " + received);

        time.advanceMillis(119_000); // no new data: the warm-up check must send the first answer
        Object first = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(first, "no first answer within 10 s of the end of the warm-up");
        assertEquals(true, first);
    }

    @Test
    void aPromQLQueryWithAShortRangeIsWarmBeforeKedifysLastOne() throws Exception {
        server = RunningServer.on(time, OptionalLong.empty(), DEFAULT_WARM_UP);
        time.advanceMillis(29_000);
        push("a", 2);
        assertTrue(unavailable(SHORT_RANGE).contains("reads the last 30 s, so it answers in 1 s"));
        time.advanceMillis(1_000);
        assertEquals(2, getMetrics(SHORT_RANGE), 1e-9, "30 s after the start a 30 s range is whole");
        assertTrue(unavailable(LAST_ONE).contains("answers in 90 s"));
        assertEquals(503, server.get("/readyz").statusCode(), "readiness waits for every query: the whole period");
    }

    @Test
    void warmUpZeroAnswersAtOnce() throws Exception {
        server = RunningServer.on(time, OptionalLong.empty(), "--metric-store-warm-up-seconds=0");
        push("a", 3);
        assertEquals(3, getMetrics(LAST_ONE), 1e-9);
        assertEquals(200, server.get("/readyz").statusCode());
        assertEquals(ServingStatus.SERVING, grpcHealth(server.app.scalerPort(), "readiness"));
    }

    @Test
    void aWindowCompleteSinceBeforeTheStartAnswersAtOnce() throws Exception {
        // What a store restored from its data dir reports: complete since long before this start.
        server = RunningServer.on(time, OptionalLong.of(START - 3_600_000), DEFAULT_WARM_UP);
        push("a", 3);
        assertEquals(3, getMetrics(LAST_ONE), 1e-9);
        assertReadyz(200, "{\"ready\":true,\"status\":\"ready\",\"warmUp\":{\"state\":\"complete\","
                + "\"completeSince\":\"2025-12-31T23:00:00Z\",\"periodSeconds\":120,\"remainingSeconds\":0}}");
        assertEquals(ServingStatus.SERVING, grpcHealth(server.app.scalerPort(), "readiness"));
    }

    @Test
    void errorIfNotFoundStillAnswersUnavailableDuringTheWarmUp() throws Exception {
        server = RunningServer.on(time, OptionalLong.empty(), DEFAULT_WARM_UP, "--metric-store-error-if-not-found=true");
        unavailable(LAST_ONE); // nothing matches, but from a partial window that proves nothing
        time.advanceMillis(120_000);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> getMetrics(LAST_ONE));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "warm: truly nothing there");
    }

    @Test
    void aResetDoesNotRestartTheWarmUp() throws Exception {
        server = RunningServer.on(time, OptionalLong.empty(), DEFAULT_WARM_UP, "--memstore-reset-enabled=true");
        time.advanceMillis(120_000);
        push("a", 3);
        assertEquals(200, server.postJson("/memstore/reset", "{}").statusCode());
        push("a", 4);
        assertEquals(4, getMetrics(LAST_ONE), 1e-9, "a deliberate reset: what is sent next is the whole truth");
        assertEquals(200, server.get("/readyz").statusCode());
        assertFalse(selfMetrics().contains("keda_otel_scaler_scaler_unavailable_total{"), "no answer was withheld");
    }
}
