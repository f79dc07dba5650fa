package dev.kedaotel.scaler;

import static dev.kedaotel.scaler.ScalerTestEnv.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.scaler.externalscaler.GetMetricSpecResponse;
import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.MetricSpec;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricSpecTest {
    private ScalerTestEnv env;

    @AfterEach
    void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void getMetricSpecNamesTheMetricAfterTheScaledObject() throws Exception {
        env = ScalerTestEnv.start();
        GetMetricSpecResponse response = env.blocking().getMetricSpec(
                ref("team-a", "vllm", "metricQuery", "sum(vllm:num_requests_running{namespace=\"team-a\", deployment=\"vllm\"})",
                        "targetValue", "500m"));
        assertEquals(1, response.getMetricSpecsCount());
        MetricSpec spec = response.getMetricSpecs(0);
        assertEquals("team-a-vllm", spec.getMetricName());
        assertEquals(0.5, spec.getTargetSizeFloat());
        assertEquals(1, spec.getTargetSize());
    }

    @Test
    void getMetricSpecRejectsMissingTargetValueNamingIt() throws Exception {
        env = ScalerTestEnv.start();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> env.blocking().getMetricSpec(ref("ns", "so", "metricQuery", "x")));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("targetValue"));
        assertTrue(env.observer.errors.contains("GetMetricSpec:INVALID_ARGUMENT"));
    }

    /**
     * KEDA ≥ 2.20 creates no HPA while GetMetricSpec fails, so its fallback could never engage: a valid
     * targetValue gets the spec whatever metricQuery says, and the evaluating RPCs answer INVALID_ARGUMENT
     * naming metricQuery (which counts toward fallback.failureThreshold).
     */
    @Test
    void anInvalidQueryStillGetsItsSpecAndEveryEvaluatingRpcNamesTheProblem() throws Exception {
        env = ScalerTestEnv.start();
        ScaledObjectRef bad = ref("ns", "so", "metricQuery", "sum(x{a=1}", "targetValue", "3");
        MetricSpec spec = env.blocking().getMetricSpec(bad).getMetricSpecs(0);
        assertEquals("ns-so", spec.getMetricName());
        assertEquals(3.0, spec.getTargetSizeFloat());

        for (Status.Code code : new Status.Code[] {
                failure(() -> env.blocking().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(bad)
                        .setMetricName("ns-so").build())),
                failure(() -> env.blocking().isActive(bad))}) {
            assertEquals(Status.Code.INVALID_ARGUMENT, code);
        }
        assertTrue(lastDescription.contains("metricQuery") && lastDescription.contains("sum(x{a=1}"), lastDescription);
        assertTrue(lastDescription.contains("expected ')' closing sum("), "the parse error: " + lastDescription);

        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = new StreamRecorder<>();
        env.async().streamIsActive(bad, stream);
        Await.until("the stream to end", stream::ended);
        assertEquals(Status.Code.INVALID_ARGUMENT, Status.fromThrowable(stream.error).getCode());
        assertTrue(Status.fromThrowable(stream.error).getDescription().contains("metricQuery"));
        assertEquals(0, env.service.openIsActiveStreams());

        assertEquals(List.of("GetMetrics:INVALID_ARGUMENT", "IsActive:INVALID_ARGUMENT", "StreamIsActive:INVALID_ARGUMENT"),
                env.observer.errors, "counted on keda_otel_scaler_scaler_errors_total; GetMetricSpec succeeded");
        ScaledObjectSnapshot listed = env.service.scaledObjects().get(0);
        assertEquals("sum(x{a=1}", listed.metricQuery());
        assertNull(listed.promql());
        assertEquals(3.0, listed.targetValue());
        assertTrue(listed.error().contains("metricQuery"), listed.error());
        assertEquals(0, env.queries.size(), "nothing to evaluate");

        // Fixed metadata is a new ScaledObject state: it evaluates.
        env.put(1_000, "x", 2, "a", "1");
        assertTrue(env.blocking().isActive(ref("ns", "so", "metricQuery", "sum(x{a=1})", "targetValue", "3")).getResult());
    }

    @Test
    void aBadQueryIsLoggedOnceNotOnEveryCall() throws Exception {
        env = ScalerTestEnv.start();
        ScaledObjectRef bad = ref("ns", "noisy", "metricQuery", "rel_m[1m]", "targetValue", "1");
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()
                        && String.valueOf(record.getMessage()).contains("ns/noisy")) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger scalerLogger = Logger.getLogger("dev.kedaotel.scaler");
        scalerLogger.addHandler(handler);
        try {
            for (int i = 0; i < 3; i++) {
                env.blocking().getMetricSpec(bad);
                failure(() -> env.blocking().isActive(bad));
                failure(() -> env.blocking().getMetrics(GetMetricsRequest.newBuilder().setScaledObjectRef(bad)
                        .setMetricName("ns-noisy").build()));
            }
        } finally {
            scalerLogger.removeHandler(handler);
        }
        assertEquals(1, warnings.size(), warnings.stream().map(LogRecord::getMessage).toList().toString());
        assertTrue(warnings.get(0).getMessage().contains("range vector"), warnings.get(0).getMessage());
        assertEquals(6, env.observer.errors.size(), "every failed call is still counted: " + env.observer.errors);
    }

    @Test
    void otherBadKeysAlsoGetTheSpecAndFailTheEvaluatingRpcs() throws Exception {
        env = ScalerTestEnv.start();
        ScaledObjectRef noQuery = ref("ns", "a", "targetValue", "2");
        ScaledObjectRef badActivation = ref("ns", "b", "metricQuery", "q", "targetValue", "2", "activationTargetValue", "lots");
        for (ScaledObjectRef so : List.of(noQuery, badActivation)) {
            assertEquals(2.0, env.blocking().getMetricSpec(so).getMetricSpecs(0).getTargetSizeFloat());
            assertEquals(Status.Code.INVALID_ARGUMENT, failure(() -> env.blocking().isActive(so)));
        }
        assertTrue(lastDescription.contains("activationTargetValue"), lastDescription);
    }

    private String lastDescription;

    private Status.Code failure(org.junit.jupiter.api.function.Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        lastDescription = e.getStatus().getDescription();
        return e.getStatus().getCode();
    }

    @Test
    void streamMetricSpecSendsTheSameSpecImmediatelyAndStaysOpen() throws Exception {
        env = ScalerTestEnv.start();
        ScaledObjectRef so = ref("ns", "so", "metricQuery", "q", "targetValue", "2Ki");
        StreamRecorder<ScaledObjectRef, GetMetricSpecResponse> stream = new StreamRecorder<>();
        env.async().streamMetricSpec(so, stream);
        GetMetricSpecResponse streamed = stream.next();
        assertEquals(env.blocking().getMetricSpec(so), streamed);
        assertEquals(2048, streamed.getMetricSpecs(0).getTargetSizeFloat());
        assertFalse(stream.ended());
        stream.cancel();
    }

    @Test
    void streamMetricSpecCanBeDisabled() throws Exception {
        env = ScalerTestEnv.start(c -> c.streamMetricSpecEnabled(false));
        StreamRecorder<ScaledObjectRef, GetMetricSpecResponse> stream = new StreamRecorder<>();
        env.async().streamMetricSpec(ref("ns", "so", "metricQuery", "q", "targetValue", "1"), stream);
        Await.until("the stream to end", stream::ended);
        assertEquals(Status.Code.UNIMPLEMENTED, Status.fromThrowable(stream.error).getCode());
    }
}
