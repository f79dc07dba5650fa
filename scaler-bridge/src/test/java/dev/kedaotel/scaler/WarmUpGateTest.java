package dev.kedaotel.scaler;

import static dev.kedaotel.scaler.ScalerTestEnv.RETENTION_MS;
import static dev.kedaotel.scaler.ScalerTestEnv.START_MS;
import static dev.kedaotel.scaler.ScalerTestEnv.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.scaler.externalscaler.GetMetricSpecResponse;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The warm-up gate through the real gRPC service: while the window (complete since the start, START_MS)
 * does not yet hold everything a query reads, GetMetrics and IsActive answer UNAVAILABLE — never a value
 * from the pods that re-pushed so far, never NOT_FOUND or valueIfNotFound — and StreamIsActive stays
 * silent; then the right answer, with no new data needed. The env's engine has a 30 s lookback.
 */
class WarmUpGateTest {
    /** kedify last_one: last_over_time over the retention window (120 s). */
    private static final ScaledObjectRef LAST_ONE = ref("ns", "last-one", "metricQuery", "sum(queue{app=web})", "targetValue", "5");
    /** PromQL reading 40 s back. */
    private static final ScaledObjectRef SHORT_RANGE = ref("ns", "short", "metricQuery",
            "sum(max_over_time(queue{app=\"web\"}[40s]))", "targetValue", "5");
    /** Fresh start: the window is complete from START_MS, and the default period is the retention window. */
    private static final Consumer<ScalerConfig.Builder> FRESH_START = c -> c.warmUp(new WarmUp(START_MS, RETENTION_MS));

    private ScalerTestEnv env;

    @AfterEach
    void tearDown() throws Exception {
        if (env != null) {
            env.close();
        }
    }

    private StatusRuntimeException unavailable(ScaledObjectRef so) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> env.metricValue(so));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
        StatusRuntimeException isActive = assertThrows(StatusRuntimeException.class, () -> env.blocking().isActive(so));
        assertEquals(Status.Code.UNAVAILABLE, isActive.getStatus().getCode(), isActive.toString());
        return e;
    }

    @Test
    void getMetricsAndIsActiveAreUnavailableUntilTheWindowHoldsTheQuerysSpan() throws Exception {
        env = ScalerTestEnv.start(FRESH_START);
        // Two pods; pod b has not re-pushed yet (it exports only every 100 s).
        env.put(10_000, "queue", 3, "app", "web", "pod", "a");
        StatusRuntimeException e = unavailable(LAST_ONE);
        assertEquals("warming up: this server's metric window is complete only since 2023-11-14T22:13:20Z (it started"
                + " without the samples sent before), and metricQuery \"sum(queue{app=web})\" reads the last 120 s, so it"
                + " answers in 110 s (warm-up period 120 s, METRIC_STORE_WARM_UP_SECONDS); until then KEDA keeps the current"
                + " replica count or applies the ScaledObject's fallback", e.getStatus().getDescription());

        env.put(50_000, "queue", 4, "app", "web", "pod", "b");
        env.put(59_000, "queue", 5, "app", "web", "pod", "a");
        assertTrue(unavailable(LAST_ONE).getStatus().getDescription().contains("answers in 1 s"),
                "1 s left at START+119 s");
        assertEquals(List.of(), env.observer.values, "no value was reported during the warm-up");

        env.clock.addAndGet(1_000);
        assertEquals(5 + 4, env.metricValue(LAST_ONE), 1e-9, "warm: both pods' latest values");
        assertTrue(env.blocking().isActive(LAST_ONE).getResult());
        assertEquals(List.of("GetMetrics", "IsActive", "GetMetrics", "IsActive"), env.observer.warmingUp);
        assertEquals(List.of("GetMetrics:UNAVAILABLE", "IsActive:UNAVAILABLE", "GetMetrics:UNAVAILABLE", "IsActive:UNAVAILABLE"),
                env.observer.errors, "warm-up refusals are failed RPCs too");
    }

    @Test
    void theMomentItIsWarmItAnswersThoughAnAnswerFromJustBeforeIsCached() throws Exception {
        env = ScalerTestEnv.start(FRESH_START);
        env.put(RETENTION_MS - 100, "queue", 3, "app", "web");
        unavailable(LAST_ONE); // evaluated at START + 119.9 s and cached (the env's ageing resolution is 200 ms)
        env.clock.addAndGet(100);
        assertEquals(3, env.metricValue(LAST_ONE), 1e-9, "warm now: not the cached partial answer's UNAVAILABLE");
    }

    @Test
    void getMetricSpecNeedsNoDataAndAnswersDuringTheWarmUp() throws Exception {
        env = ScalerTestEnv.start(FRESH_START);
        GetMetricSpecResponse spec = env.blocking().getMetricSpec(LAST_ONE);
        assertEquals(5, spec.getMetricSpecs(0).getTargetSizeFloat(), 0);
    }

    @Test
    void aQueryReadingLessThanTheWindowIsWarmSooner() throws Exception {
        env = ScalerTestEnv.start(FRESH_START);
        env.put(39_000, "queue", 2, "app", "web");
        unavailable(SHORT_RANGE);
        unavailable(LAST_ONE);

        env.clock.addAndGet(1_000); // START + 40 s
        assertEquals(2, env.metricValue(SHORT_RANGE), 1e-9, "max_over_time over [40s] is warm after 40 s");
        unavailable(LAST_ONE);
        ScaledObjectRef instant = ref("ns", "instant", "metricQuery", "sum(queue) * 1", "targetValue", "5");
        assertEquals(2, env.metricValue(instant), 1e-9, "PromQL with an instant selector reads the 30 s lookback: warm too");
    }

    @Test
    void warmUpWinsOverNotFoundAndValueIfNotFound() throws Exception {
        env = ScalerTestEnv.start(c -> c.warmUp(new WarmUp(START_MS, RETENTION_MS)).errorIfNotFound(true));
        unavailable(LAST_ONE); // no data at all: under errorIfNotFound that would be NOT_FOUND
        env.clock.addAndGet(RETENTION_MS);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> env.metricValue(LAST_ONE));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode(), "warm, and truly nothing there");
        env.close();

        env = ScalerTestEnv.start(c -> c.warmUp(new WarmUp(START_MS, RETENTION_MS)).valueIfNotFound(7));
        unavailable(LAST_ONE); // not a 7 from a partial window
        env.clock.addAndGet(RETENTION_MS);
        assertEquals(7, env.metricValue(LAST_ONE), 1e-9);
    }

    @Test
    void aWindowCompleteSinceBeforeTheStartAnswersAtOnce() throws Exception {
        // What a restored store reports: complete since long before this process started.
        env = ScalerTestEnv.start(c -> c.warmUp(new WarmUp(START_MS - 10 * RETENTION_MS, RETENTION_MS)));
        env.put(1_000, "queue", 3, "app", "web");
        assertEquals(3, env.metricValue(LAST_ONE), 1e-9);
        assertEquals(List.of(), env.observer.warmingUp);
    }

    @Test
    void aPeriodOfZeroAnswersAtOnce() throws Exception {
        env = ScalerTestEnv.start(c -> c.warmUp(new WarmUp(START_MS, 0)));
        env.put(1_000, "queue", 3, "app", "web");
        assertEquals(3, env.metricValue(LAST_ONE), 1e-9);
    }

    @Test
    void aShorterPeriodCapsEveryQuerysWait() throws Exception {
        env = ScalerTestEnv.start(c -> c.warmUp(new WarmUp(START_MS, 15_000)));
        env.put(14_000, "queue", 3, "app", "web");
        assertTrue(unavailable(LAST_ONE).getStatus().getDescription().contains("answers in 1 s (warm-up period 15 s"));
        env.clock.addAndGet(1_000);
        assertEquals(3, env.metricValue(LAST_ONE), 1e-9, "the operator accepted 15 s for the 120 s window");
    }

    @Test
    void aStreamOpenedDuringTheWarmUpStaysSilentThenGetsItsFirstAnswerWithoutNewData() throws Exception {
        env = ScalerTestEnv.start(FRESH_START);
        env.put(1_000, "queue", 3, "app", "web");
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = new StreamRecorder<>();
        env.async().streamIsActive(LAST_ONE, stream);
        // The stream evaluated its first answer and held it back: that is recorded before open() returns.
        Await.until("the stream to hold its first answer", () -> env.observer.warmingUp.contains("StreamIsActive"));
        env.put(1_000, "queue", 4, "app", "web"); // changed data during the warm-up: still nothing sent
        Await.until("the evaluator to see the change", () -> env.observer.warmingUp.size() == 1
                && queryAnswered(LAST_ONE, 4));
        assertTrue(stream.messages.isEmpty(), "nothing from a partial window: " + stream.messages);
        assertFalse(stream.ended());

        env.clock.addAndGet(RETENTION_MS - 2_000 + 1); // warm; no new data, so only the warm-up check can send
        assertTrue(stream.next().getResult(), "the first answer once warm");
        assertNull(stream.error);
        assertEquals(List.of("StreamIsActive"), env.observer.warmingUp, "counted once per stream");
        assertEquals(List.of(), env.observer.errors);
    }

    @Test
    void aStreamOpenedWhileItsQueryIsWarmAnswersAtOnce() throws Exception {
        env = ScalerTestEnv.start(FRESH_START);
        env.put(40_000, "queue", 2, "app", "web");
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = new StreamRecorder<>();
        env.async().streamIsActive(SHORT_RANGE, stream);
        assertTrue(stream.next().getResult(), "40 s of a 40 s range: warm although the process-wide warm-up runs");
    }

    @Test
    void listedScaledObjectsShowTheWarmUpInsteadOfAPartialValue() throws Exception {
        env = ScalerTestEnv.start(FRESH_START);
        env.put(1_000, "queue", 3, "app", "web");
        unavailable(LAST_ONE);
        ScaledObjectSnapshot s = env.service.scaledObjects().get(0);
        assertTrue(s.error().startsWith("warming up: "), s.error());
        assertFalse(s.found());
        assertTrue(Double.isNaN(s.value()));
    }

    /** Whether the standing query of {@code so} has published an answer of {@code value}. */
    private boolean queryAnswered(ScaledObjectRef so, double value) {
        return env.service.scaledObjects().stream().anyMatch(s -> s.name().equals(so.getName()))
                && env.queries.snapshot().stream().anyMatch(q -> q.latest() != null && q.latest().found()
                        && q.latest().value() == value);
    }
}
