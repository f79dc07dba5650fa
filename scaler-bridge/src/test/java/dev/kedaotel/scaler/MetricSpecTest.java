package dev.kedaotel.scaler;

import static dev.kedaotel.scaler.ScalerTestEnv.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.scaler.externalscaler.GetMetricSpecResponse;
import dev.kedaotel.scaler.externalscaler.MetricSpec;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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

    @Test
    void getMetricSpecRejectsAQueryThatIsNeitherKedifyNorPromQL() throws Exception {
        env = ScalerTestEnv.start();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> env.blocking().getMetricSpec(ref("ns", "so", "metricQuery", "sum(x{a=1}", "targetValue", "1")));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("metricQuery"));
        assertTrue(e.getStatus().getDescription().contains("sum(x{a=1}"));
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
