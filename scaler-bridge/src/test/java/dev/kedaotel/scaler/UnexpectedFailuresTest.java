package dev.kedaotel.scaler;

import static dev.kedaotel.scaler.ScalerTestEnv.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever escapes compiling or evaluating a query reaches KEDA as a status with a message — never
 * UNKNOWN (what grpc-java answers for an uncaught throwable, while an Error kills its worker thread) —
 * and the service, open streams included, keeps answering.
 */
class UnexpectedFailuresTest {
    private static final int TERMS = 20_000;
    private ScalerTestEnv env;

    @AfterEach
    void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    private Status getMetricsFailure(ScaledObjectRef ref) {
        return assertThrows(StatusRuntimeException.class, () -> env.metricValue(ref)).getStatus();
    }

    /** Expressions deep enough to overflow a recursive parser, printer or evaluator. */
    private static List<String> deepQueries() {
        return List.of(
                "sum(" + "1+".repeat(TERMS) + "1)",          // the 10,000-term chain, doubled
                "sum(" + "x+".repeat(TERMS) + "x)",          // parses; printing it recurses per term
                "1" + "^1".repeat(TERMS),                     // right-associative: the parser recurses per term
                "sum(vector(" + "1+".repeat(TERMS) + "1))"); // parses and prints; evaluation recurses per term
    }

    @Test
    void aDeeplyNestedQueryIsAnErrorWithAMessageAndTheServiceAnswersTheNextCall() throws Exception {
        env = ScalerTestEnv.start();
        env.put(1_000, "x", 2);
        ScaledObjectRef healthy = ref("ns", "healthy", "metricQuery", "x", "targetValue", "1");
        int i = 0;
        for (String query : deepQueries()) {
            ScaledObjectRef deep = ref("ns", "deep" + i++, "metricQuery", query, "targetValue", "1");
            assertEquals(1.0, env.blocking().getMetricSpec(deep).getMetricSpecs(0).getTargetSizeFloat(),
                    "the target is valid, so KEDA gets its spec");
            for (int call = 0; call < 2; call++) { // the second call meets the remembered state
                Status status = getMetricsFailure(deep);
                assertNotEquals(Status.Code.UNKNOWN, status.getCode(), status.toString());
                assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
                assertTrue(status.getDescription().startsWith("metadata key 'metricQuery' has invalid value \"")
                        || status.getDescription().startsWith("evaluating metricQuery \""), status.getDescription());
                assertTrue(status.getDescription().length() < 2_100,
                        "a bounded message (gRPC clients refuse trailers over 8 KiB): " + status.getDescription().length());
                assertEquals(2, env.metricValue(healthy), "the service still answers");
            }
            StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = new StreamRecorder<>();
            env.async().streamIsActive(deep, stream);
            Await.until("the stream to end", stream::ended);
            assertEquals(Status.Code.INVALID_ARGUMENT, Status.fromThrowable(stream.error).getCode());
        }
        assertEquals(0, env.service.openIsActiveStreams());
        assertFalse(env.observer.errors.stream().anyMatch(e -> e.endsWith(":UNKNOWN")), env.observer.errors.toString());
    }

    /** A RuntimeException from anywhere in an RPC (here: a broken self-metrics observer) is INTERNAL with its message. */
    @Test
    void anUnexpectedExceptionIsInternalWithItsMessage() throws Exception {
        env = ScalerTestEnv.start();
        env.put(1_000, "x", 2);
        ScaledObjectRef so = ref("ns", "so", "metricQuery", "x", "targetValue", "1");
        env.observer.failWith = new IllegalStateException("observer is broken");
        Status status = getMetricsFailure(so);
        assertEquals(Status.Code.INTERNAL, status.getCode());
        assertEquals("evaluating metricQuery \"x\" failed unexpectedly: java.lang.IllegalStateException: observer is broken",
                status.getDescription());
        StatusRuntimeException isActive = assertThrows(StatusRuntimeException.class, () -> env.blocking().isActive(so));
        assertEquals(Status.Code.INTERNAL, isActive.getStatus().getCode());

        env.observer.failWith = null;
        assertEquals(2, env.metricValue(so));
        assertTrue(env.observer.errors.contains("GetMetrics:INTERNAL"), env.observer.errors.toString());
    }

    /** Exceptions on the evaluator's side of an open stream (an observer failing mid-answer) do not end it. */
    @Test
    void anOpenStreamSurvivesFailuresAroundIt() throws Exception {
        env = ScalerTestEnv.start();
        // PromQL that fails once it matches two series.
        ScaledObjectRef so = ref("ns", "pushed", "metricQuery", "jobs * 1", "targetValue", "1");
        env.put(1_000, "jobs", 5, "pod", "a");
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = new StreamRecorder<>();
        env.async().streamIsActive(so, stream);
        assertTrue(stream.next().getResult());
        Await.until("the stream to register", () -> env.service.openIsActiveStreams() == 1);

        env.observer.failWith = new IllegalStateException("observer is broken");
        env.put(1_000, "jobs", 5, "pod", "b");
        Await.until("the failing observer to be called", () -> env.observer.errors.contains("StreamIsActive:INVALID_ARGUMENT"));
        getMetricsFailure(ref("ns", "deep", "metricQuery", "sum(" + "x+".repeat(TERMS) + "x)", "targetValue", "1"));
        env.observer.failWith = null;

        // pod=b goes stale (engine lookback is 30 s) while pod=a reports 0: one series again.
        env.clock.addAndGet(40_000);
        env.put(0, "jobs", 0, "pod", "a");
        assertFalse(stream.next().getResult());
        assertFalse(stream.ended());
        assertEquals(1, env.service.openIsActiveStreams());
    }
}
