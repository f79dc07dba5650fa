package dev.kedaotel.server;

import dev.kedaotel.model.ManualTimeSource;
import dev.kedaotel.scaler.externalscaler.ExternalScalerGrpc;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Issue 14's replica test: two replicas on one clock, fed by "one exporter pair" — every pod's real
 * OpenTelemetry SDK has one OTLP/gRPC exporter per replica, the topology docs/scaling.md ships — with the
 * default warm-up (one retention window, 120 s). Both refuse to answer until their window is complete,
 * then agree. One replica dies: the survivor's answers and its open StreamIsActive are unaffected. It
 * comes back (same ports, empty window): its exporters reconnect by themselves, and it answers
 * {@code UNAVAILABLE} and is not ready until it has received a whole window, then agrees with the survivor.
 * The clock is a {@link ManualTimeSource} shared by both replicas and the pods' SDKs, advanced 10 s per
 * export round, so warm-up ends at an exact round.
 */
class TwoReplicasTest {
    private static final int PODS = 3;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("deployment");

    private final long t0 = System.currentTimeMillis() / 1000 * 1000;
    private final ManualTimeSource time = new ManualTimeSource(t0);
    private final FakeOtelClock podClock = new FakeOtelClock(t0);
    private final ScaledObjectRef so = ScaledObjectRef.newBuilder().setName("replicated").setNamespace("ns")
            .putAllScalerMetadata(Map.of("metricQuery", "sum(queue.depth{deployment=worker})", "targetValue", "10")).build();

    private static final class Replica {
        final int[] ports;
        KedaOtelScaler app;
        final ManagedChannel keda;

        Replica() throws IOException {
            ports = new int[] {ProcessLifecycleTest.freePort(), ProcessLifecycleTest.freePort(), ProcessLifecycleTest.freePort(),
                ProcessLifecycleTest.freePort()};
            keda = ManagedChannelBuilder.forAddress("127.0.0.1", ports[1]).usePlaintext().build();
        }

        void start(ManualTimeSource time) throws IOException {
            app = KedaOtelScaler.start(Config.load(new String[] {"--bind-address=127.0.0.1", "--otlp-receiver-port=" + ports[0],
                "--keda-external-scaler-port=" + ports[1], "--rest-api-port=" + ports[2], "--internal-metrics-port=" + ports[3],
                "--no-banner", "--log-level=warn"}, new HashMap<>()), time);
        }

        String otlpEndpoint() {
            return "http://127.0.0.1:" + ports[0];
        }

        int readyz() throws Exception {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[2] + "/readyz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    private double getMetrics(Replica r) {
        return ExternalScalerGrpc.newBlockingStub(r.keda).withDeadlineAfter(10, TimeUnit.SECONDS)
                .getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(so).setMetricName("m").build())
                .getMetricValues(0).getMetricValueFloat();
    }

    private void assertWarmingUp(Replica r) throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> getMetrics(r), "answered from a partial window");
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
        StatusRuntimeException active = assertThrows(StatusRuntimeException.class, () -> ExternalScalerGrpc.newBlockingStub(r.keda)
                .withDeadlineAfter(10, TimeUnit.SECONDS).isActive(so));
        assertEquals(Status.Code.UNAVAILABLE, active.getStatus().getCode());
        assertEquals(503, r.readyz());
    }

    /** One export round: advance the shared clock 10 s, every pod sets its gauge and flushes to both replicas. */
    private void round(List<SdkMeterProvider> pods, List<DoubleGauge> gauges, double perPod) {
        time.advanceMillis(10_000);
        podClock.advanceMs(10_000);
        for (int p = 0; p < PODS; p++) {
            gauges.get(p).set(perPod == 0 ? 0 : perPod + p, Attributes.of(DEPLOYMENT, "worker"));
            pods.get(p).forceFlush().join(30, TimeUnit.SECONDS); // fails for a replica that is down: the SDK drops that batch
        }
    }

    private static double expected(double perPod) {
        return perPod == 0 ? 0 : PODS * perPod + (PODS - 1) * PODS / 2.0;
    }

    @Test
    void survivorIsUnaffectedAndAReturningReplicaAnswersOnlyOnceCaughtUp() throws Exception {
        Replica one = new Replica();
        Replica two = new Replica();
        one.start(time);
        two.start(time);
        List<SdkMeterProvider> pods = new ArrayList<>();
        List<DoubleGauge> gauges = new ArrayList<>();
        BlockingQueue<Object> stream = new LinkedBlockingQueue<>();
        var streamContext = io.grpc.Context.current().withCancellation();
        try {
            for (int p = 0; p < PODS; p++) {
                SdkMeterProviderBuilder b = SdkMeterProvider.builder().setClock(podClock)
                        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("k8s.pod.name"), "worker-" + p)));
                for (Replica r : List.of(one, two)) {
                    b.registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder()
                            .setEndpoint(r.otlpEndpoint()).setRetryPolicy(null).build()).setInterval(Duration.ofDays(1)).build());
                }
                SdkMeterProvider provider = b.build();
                pods.add(provider);
                gauges.add(provider.get("replicas").gaugeBuilder("queue.depth").build());
            }

            // Both start empty: no answer until a whole window (120 s) has been received.
            round(pods, gauges, 5);
            assertWarmingUp(one);
            assertWarmingUp(two);
            for (int i = 2; i <= 11; i++) {
                round(pods, gauges, 5);
            }
            assertWarmingUp(one); // 110 s of 120
            round(pods, gauges, 5);
            round(pods, gauges, 5); // 130 s
            assertEquals(expected(5), getMetrics(one), 1e-9);
            assertEquals(expected(5), getMetrics(two), 1e-9);
            assertEquals(200, one.readyz());

            streamContext.run(() -> ExternalScalerGrpc.newStub(one.keda).streamIsActive(so, new StreamObserver<IsActiveResponse>() {
                @Override
                public void onNext(IsActiveResponse value) {
                    stream.add(value.getResult());
                }

                @Override
                public void onError(Throwable t) {
                    stream.add(t);
                }

                @Override
                public void onCompleted() {
                    stream.add("completed");
                }
            }));
            assertEquals(Boolean.TRUE, stream.poll(30, TimeUnit.SECONDS));

            // Replica two dies. The survivor answers as before and its stream keeps working.
            two.app.close();
            round(pods, gauges, 7);
            assertEquals(expected(7), getMetrics(one), 1e-9);
            round(pods, gauges, 0);
            assertEquals(0.0, getMetrics(one), 1e-9);
            assertEquals(Boolean.FALSE, stream.poll(30, TimeUnit.SECONDS), "the survivor's stream pushes the change");
            round(pods, gauges, 8);
            assertEquals(Boolean.TRUE, stream.poll(30, TimeUnit.SECONDS));

            // It comes back with an empty window: its exporters reconnect, it refuses to answer for a window.
            two.start(time);
            for (int i = 1; i <= 11; i++) {
                round(pods, gauges, 8 + i);
                assertWarmingUp(two);
                assertEquals(expected(8 + i), getMetrics(one), 1e-9);
            }
            round(pods, gauges, 20);
            round(pods, gauges, 21); // 130 s after its start
            assertEquals(expected(21), getMetrics(two), 1e-9, "caught up: the same answer as the survivor");
            assertEquals(getMetrics(one), getMetrics(two), 1e-9);
            assertEquals(200, two.readyz());
            assertNull(stream.poll(), "the survivor's stream never broke and had nothing new to say");
        } finally {
            streamContext.cancel(null);
            for (SdkMeterProvider p : pods) {
                p.shutdown().join(10, TimeUnit.SECONDS);
            }
            one.keda.shutdownNow();
            two.keda.shutdownNow();
            one.app.close();
            two.app.close();
        }
    }
}
