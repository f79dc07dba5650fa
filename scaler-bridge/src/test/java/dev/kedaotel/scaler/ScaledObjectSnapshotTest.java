package dev.kedaotel.scaler;

import dev.kedaotel.query.kedify.OperationOverTime;
import dev.kedaotel.query.standing.StandingQuerySnapshot;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kedaotel.scaler.ScalerTestEnv.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listable state a status page reads: what KEDA asked, what it compiled to, the last answer. */
class ScaledObjectSnapshotTest {
    @Test
    void listsEveryScaledObjectWithItsCompiledQueryAndLastAnswerWithoutEvaluating() throws Exception {
        try (ScalerTestEnv env = ScalerTestEnv.start()) {
            listsEveryScaledObject(env);
        }
    }

    private static void listsEveryScaledObject(ScalerTestEnv env) throws Exception {
        env.put(5_000, "requests", 7, "deployment", "llama");
        ScaledObjectRef kedify = ref("models", "llama", "metricQuery", "sum(requests{deployment=llama})",
                "targetValue", "4", "operationOverTime", "max", "clampMax", "5", "activationTargetValue", "1");
        ScaledObjectRef promql = ref("models", "alpha", "metricQuery", "sum(rate(requests[1m]))", "targetValue", "500m");
        assertTrue(env.blocking().isActive(kedify).getResult());
        env.blocking().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(promql).setMetricName("m").build());

        List<ScaledObjectSnapshot> all = env.service.scaledObjects();
        assertEquals(2, all.size());
        ScaledObjectSnapshot alpha = all.get(0);
        assertEquals("alpha", alpha.name(), "sorted by namespace, then name");
        assertFalse(alpha.kedifySyntax());
        assertEquals("sum(rate(requests[1m]))", alpha.promql());
        assertEquals(0.5, alpha.targetValue());
        assertTrue(alpha.evaluated());
        assertFalse(alpha.found(), "rate needs two samples");
        assertEquals(0.0, alpha.value(), "value-if-not-found, as KEDA got it");

        ScaledObjectSnapshot llama = all.get(1);
        assertEquals("models", llama.namespace());
        assertEquals("sum(requests{deployment=llama})", llama.metricQuery());
        assertEquals("sum(max_over_time(requests{deployment=\"llama\"}[2m]))", llama.promql());
        assertTrue(llama.kedifySyntax());
        assertEquals(OperationOverTime.MAX, llama.operationOverTime());
        assertEquals(4.0, llama.targetValue());
        assertEquals(1.0, llama.activationTargetValue());
        assertEquals(5.0, llama.clampMax());
        assertEquals(Double.NEGATIVE_INFINITY, llama.clampMin());
        assertTrue(llama.evaluated() && llama.found() && llama.active());
        assertEquals(5.0, llama.value(), "clamped, as KEDA got it");
        assertNull(llama.error());
        assertEquals(ScalerTestEnv.START_MS + 5_000, llama.lastCallMs());
        assertEquals(0, llama.openStreams());

        List<StandingQuerySnapshot> queries = env.queries.snapshot();
        assertEquals(2, queries.size());
        StandingQuerySnapshot shared = queries.get(0); // sorted by text: "sum(max_over_time" < "sum(rate"
        assertEquals(llama.promql(), shared.promql());
        assertEquals(1, shared.users());
        assertEquals(7.0, shared.latest().value(), "the standing query keeps the unclamped value");
    }

    @Test
    void aFailedEvaluationIsListedWithItsError() throws Exception {
        try (ScalerTestEnv env = ScalerTestEnv.start()) {
            failedEvaluationIsListed(env);
        }
    }

    private static void failedEvaluationIsListed(ScalerTestEnv env) throws Exception {
        env.append("requests", 1, "pod", "a");
        env.put(1_000, "requests", 2, "pod", "b");
        ScaledObjectRef bad = ref("ns", "bad", "metricQuery", "sum(requests + on() requests)", "targetValue", "1");
        io.grpc.StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
                () -> env.blocking().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(bad).setMetricName("m").build()));
        ScaledObjectSnapshot s = env.service.scaledObjects().get(0);
        assertTrue(s.evaluated());
        assertFalse(s.found());
        assertFalse(s.active());
        assertTrue(s.error().contains("duplicate series"), s.error());
        assertEquals(e.getStatus().getDescription(), s.error(), "listed exactly as KEDA was told");
    }

    @Test
    void recordsTheTriggerTypeTheLastRpcAndWhatStreamIsActivePushedNewestFirst() throws Exception {
        try (ScalerTestEnv env = ScalerTestEnv.start()) {
            ScaledObjectRef polled = ref("ns", "polled", "metricQuery", "sum(queue{app=web})", "targetValue", "5");
            ScaledObjectRef pushed = ref("ns", "pushed", "metricQuery", "sum(queue{app=web})", "targetValue", "5",
                    "activationTargetValue", "2");
            env.put(1_000, "queue", 1, "app", "web");
            env.blocking().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(polled).setMetricName("m").build());
            StreamRecorder<ScaledObjectRef, dev.kedaotel.scaler.externalscaler.IsActiveResponse> stream = new StreamRecorder<>();
            env.async().streamIsActive(pushed, stream);
            assertFalse(stream.next().getResult(), "1 is not above the activation target 2");
            Await.until("the stream to subscribe", () -> env.service.openIsActiveStreams() == 1);
            env.put(1_000, "queue", 3, "app", "web");
            assertTrue(stream.next().getResult());

            List<ScaledObjectSnapshot> all = env.service.scaledObjects();
            ScaledObjectSnapshot p = all.get(1);
            ScaledObjectSnapshot q = all.get(0);
            assertEquals("polled", q.name());
            assertEquals("external", q.triggerType());
            assertEquals("GetMetrics", q.lastRpc());
            assertTrue(q.pushes().isEmpty());
            assertEquals("external-push", p.triggerType());
            assertEquals("StreamIsActive", p.lastRpc());
            assertEquals(List.of(new ScaledObjectSnapshot.Push(ScalerTestEnv.START_MS + 2_000, true, 3.0),
                    new ScaledObjectSnapshot.Push(ScalerTestEnv.START_MS + 1_000, false, 1.0)), p.pushes(), "newest first");
            assertEquals(2, p.pushCount());
            stream.cancel();
        }
    }

    @Test
    void thePushHistoryKeepsTheLastTwentyNewestFirst() {
        PushHistory h = new PushHistory();
        for (int i = 1; i <= 25; i++) {
            h.record(i * 1_000L, i % 2 == 0, i);
        }
        List<ScaledObjectSnapshot.Push> kept = h.snapshot();
        assertEquals(PushHistory.CAPACITY, kept.size());
        assertEquals(new ScaledObjectSnapshot.Push(25_000, false, 25), kept.get(0));
        assertEquals(new ScaledObjectSnapshot.Push(6_000, true, 6), kept.get(19), "the five oldest were overwritten");
        assertEquals(25, h.total());
    }
}
