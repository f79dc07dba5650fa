package dev.kedaotel.scaler;

import dev.kedaotel.query.kedify.OperationOverTime;

import static dev.kedaotel.scaler.ScalerTestEnv.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.scaler.externalscaler.GetMetricsRequest;
import dev.kedaotel.scaler.externalscaler.MetricValue;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kedify's documented metricQuery / operationOverTime examples through a real GetMetrics call. */
class GetMetricsTest {
    private ScalerTestEnv env;

    @AfterEach
    void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    private MetricValue getMetrics(ScaledObjectRef ref) {
        var response = env.blocking().getMetrics(
                GetMetricsRequest.newBuilder().setScaledObjectRef(ref).setMetricName("s0-ns-so").build());
        assertEquals(1, response.getMetricValuesCount());
        MetricValue value = response.getMetricValues(0);
        assertEquals("s0-ns-so", value.getMetricName(), "metric name is echoed");
        assertEquals((long) Math.ceil(value.getMetricValueFloat()), value.getMetricValue());
        return value;
    }

    private double value(String query, String... extraMetadata) {
        String[] metadata = new String[4 + extraMetadata.length];
        metadata[0] = "metricQuery";
        metadata[1] = query;
        metadata[2] = "targetValue";
        metadata[3] = "10";
        System.arraycopy(extraMetadata, 0, metadata, 4, extraMetadata.length);
        return getMetrics(ref("ns", "so", metadata)).getMetricValueFloat();
    }

    /** kedify's test vector: values 0,10,…,60 every 10 s. */
    private void rampEveryTenSeconds() {
        for (int i = 0; i <= 6; i++) {
            env.put(10_000, "rps", i * 10, "app", "web");
        }
    }

    @ParameterizedTest
    @CsvSource({"last_one, 60", "rate, 1", "count, 7", "avg, 30", "min, 0", "max, 60"})
    void eachOperationOverTime(String op, double expected) throws Exception {
        env = ScalerTestEnv.start();
        rampEveryTenSeconds();
        assertEquals(expected, value("rps{app=web}", "operationOverTime", op), 1e-9);
    }

    @Test
    void operationOverTimeDefaultsToLastOne() throws Exception {
        env = ScalerTestEnv.start();
        rampEveryTenSeconds();
        assertEquals(60, value("rps{app=web}"), 1e-9);
    }

    @Test
    void rateTreatsADecreaseAsACounterReset() throws Exception {
        env = ScalerTestEnv.start();
        for (double v : new double[] {1, 3, 4, 6, 7, 9, 10, 0, 1}) {
            env.put(10_000, "hits", v);
        }
        assertEquals(0.125, value("hits", "operationOverTime", "rate"), 1e-9);
    }

    @Test
    void unknownOperationBehavesAsLastOneAndIsCounted() throws Exception {
        env = ScalerTestEnv.start();
        rampEveryTenSeconds();
        assertEquals(60, value("sum(rps{app=web})", "operationOverTime", "sum"), 1e-9);
        assertEquals(java.util.List.of("ns/so:sum"), env.observer.fallbacks);
    }

    private void threePods() {
        env.clock.addAndGet(1_000);
        env.append("load", 1, "app", "web", "pod", "a");
        env.append("load", 2, "app", "web", "pod", "b");
        env.append("load", 6, "app", "web", "pod", "c");
        env.append("load", 100, "app", "db", "pod", "d");
        env.commit();
    }

    @ParameterizedTest
    @CsvSource({"sum, 9", "avg, 3", "min, 1", "max, 6", "count, 3"})
    void vectorOperationOverMatchingSeries(String op, double expected) throws Exception {
        env = ScalerTestEnv.start();
        threePods();
        assertEquals(expected, value(op + "(load{app=web})"), 1e-9);
        assertEquals(expected, value(op + "(load{app=\"web\"})"), 1e-9);
    }

    @Test
    void queryWithoutLabelsMatchesEverySeriesAndDefaultsToSum() throws Exception {
        env = ScalerTestEnv.start();
        threePods();
        assertEquals(109, value("load"), 1e-9);
        assertEquals(100, value("max(load)"), 1e-9);
    }

    @Test
    void clampMinAndClampMaxApplyToTheFoundValue() throws Exception {
        env = ScalerTestEnv.start();
        threePods();
        assertEquals(5, value("sum(load{app=web})", "clampMax", "5"), 1e-9);
        assertEquals(20, value("sum(load{app=web})", "clampMin", "20"), 1e-9);
        assertEquals(9, value("sum(load{app=web})", "clampMin", "1", "clampMax", "100"), 1e-9);
        assertEquals(9, value("sum(load{app=web})", "clampMax", "not-a-number"), 1e-9);
    }

    @Test
    void notFoundReportsValueIfNotFoundUnclamped() throws Exception {
        env = ScalerTestEnv.start(c -> c.valueIfNotFound(7));
        threePods();
        assertEquals(7, value("sum(missing{app=web})", "clampMin", "10"), 1e-9);
        assertEquals(7, value("sum(load{app=nothing})"), 1e-9);
    }

    @Test
    void notFoundIsAnErrorWhenErrorIfNotFound() throws Exception {
        env = ScalerTestEnv.start(c -> c.errorIfNotFound(true));
        threePods();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> value("sum(load{app=nothing})"));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("no fresh series match sum(load{app=nothing})"),
                e.getStatus().getDescription());
        assertTrue(env.observer.errors.contains("GetMetrics:NOT_FOUND"));
    }

    @Test
    void staleSeriesAreNotFound() throws Exception {
        env = ScalerTestEnv.start(c -> c.valueIfNotFound(-1));
        env.put(0, "gone", 5);
        assertEquals(5, value("gone"), 1e-9);
        env.clock.addAndGet(ScalerTestEnv.RETENTION_MS + 1_000);
        assertEquals(-1, value("gone"), 1e-9);
    }

    @Test
    void fractionalValuesRoundUpInTheIntegerField() throws Exception {
        env = ScalerTestEnv.start();
        env.put(0, "frac", 0.25);
        MetricValue value = getMetrics(ref("ns", "so", "metricQuery", "frac", "targetValue", "1"));
        assertEquals(0.25, value.getMetricValueFloat(), 1e-12);
        assertEquals(1, value.getMetricValue());
    }

    @Test
    void promqlIsAcceptedWhenItIsNotKedifySyntax() throws Exception {
        env = ScalerTestEnv.start();
        threePods();
        assertEquals(200, value("max(load) * 2"), 1e-9);
    }

    /** A query is kedify syntax or PromQL, never silently reinterpreted as another metric. */
    @Test
    void aRangeVectorIsInvalidArgumentNotTheMetricItsSanitisedTextWouldName() throws Exception {
        env = ScalerTestEnv.start();
        env.put(1_000, "rel_m_1m_", 5); // what kedify's sanitising used to read rel_m[1m] as
        env.put(1_000, "rel_m", 1);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> value("rel_m[1m]"));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().startsWith("metadata key 'metricQuery' has invalid value \"rel_m[1m]\""),
                e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().contains("range vector"), e.getStatus().getDescription());

        StatusRuntimeException s = assertThrows(StatusRuntimeException.class, () -> value("\"a string\""));
        assertEquals(Status.Code.INVALID_ARGUMENT, s.getStatus().getCode());
        assertTrue(s.getStatus().getDescription().contains("yielding a string"), s.getStatus().getDescription());

        assertEquals(1, value("sum(last_over_time(rel_m[1m]))"), 1e-9, "the same text aggregated is PromQL");
    }

    @Test
    void textWithPromQLOperatorsInItsNameIsPromQL() throws Exception {
        env = ScalerTestEnv.start();
        env.put(1_000, "x", 2);
        env.put(0, "x_1", 100); // what x+1 used to be sanitised into
        assertEquals(3, value("x+1"), 1e-9);
        assertEquals(4, value("x*2"), 1e-9);
        assertEquals(42, value("42"), 1e-9, "a number is a PromQL scalar, not the metric _42");
        assertEquals(100, value("x.1"), 1e-9, "'.' is kedify's name character: x.1 is the metric x_1");
    }

    @Test
    void aNonFiniteValueIsNeverSentAsANumber() throws Exception {
        env = ScalerTestEnv.start(c -> c.valueIfNotFound(7));
        env.put(1_000, "inf_m", Double.POSITIVE_INFINITY);
        env.put(0, "neg_inf_m", Double.NEGATIVE_INFINITY);
        env.put(0, "nan_m", Double.NaN);
        for (String query : new String[] {"inf_m", "neg_inf_m", "nan_m", "1/0", "sum(inf_m) - sum(inf_m)"}) {
            MetricValue v = getMetrics(ref("ns", "so", "metricQuery", query, "targetValue", "1", "clampMax", "5"));
            assertEquals(7, v.getMetricValueFloat(), query + ": value-if-not-found, unclamped");
            assertEquals(7, v.getMetricValue(), query + ": not 9223372036854775807");
        }
        env.close();

        env = ScalerTestEnv.start();
        env.put(1_000, "inf_m", Double.POSITIVE_INFINITY);
        assertFalse(env.blocking().isActive(ref("ns", "so", "metricQuery", "inf_m", "targetValue", "1")).getResult(),
                "+Inf is not found, and value-if-not-found 0 is inactive");
        env.close();

        env = ScalerTestEnv.start(c -> c.errorIfNotFound(true));
        env.put(1_000, "inf_m", Double.POSITIVE_INFINITY);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> value("inf_m"));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("metricQuery inf_m evaluated to +Inf, which is not a number KEDA can use", e.getStatus().getDescription());
    }

    @Test
    void promqlWithATimeOperationIsRejected() throws Exception {
        env = ScalerTestEnv.start();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> value("max(load) * 2", "operationOverTime", "rate"));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("operationOverTime"));
    }

    @Test
    void evaluationErrorIsInvalidArgumentWithTheMessage() throws Exception {
        env = ScalerTestEnv.start();
        threePods();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> value("load * 1"));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("load * 1"), e.getStatus().getDescription());
    }

    @Test
    void isActiveComparesWithTheActivationTarget() throws Exception {
        env = ScalerTestEnv.start();
        assertFalse(env.blocking().isActive(ref("ns", "a", "metricQuery", "load", "targetValue", "1")).getResult());
        threePods();
        assertTrue(env.blocking().isActive(ref("ns", "a", "metricQuery", "load", "targetValue", "1")).getResult());
        assertFalse(env.blocking().isActive(ref("ns", "b", "metricQuery", "sum(load{app=web})", "targetValue", "1",
                "activationTargetValue", "9")).getResult());
        assertTrue(env.blocking().isActive(ref("ns", "c", "metricQuery", "sum(load{app=web})", "targetValue", "1",
                "activationTargetValue", "8.5")).getResult());
        assertTrue(env.observer.values.contains("ns/c=9.0 active"), env.observer.values.toString());
    }

    @Test
    void isActiveOnNotFoundUsesValueIfNotFoundOrFails() throws Exception {
        env = ScalerTestEnv.start(c -> c.valueIfNotFound(3));
        assertTrue(env.blocking().isActive(ref("ns", "a", "metricQuery", "nothing", "targetValue", "1")).getResult());
        env.close();
        env = ScalerTestEnv.start(c -> c.errorIfNotFound(true));
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> env.blocking().isActive(ref("ns", "a", "metricQuery", "nothing", "targetValue", "1")));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    @Test
    void aSampleIsVisibleAsSoonAsItsCommitReturned() throws Exception {
        env = ScalerTestEnv.start();
        ScaledObjectRef so = ref("ns", "so", "metricQuery", "q", "targetValue", "1");
        env.put(1_000, "q", 1);
        assertEquals(1, getMetrics(so).getMetricValueFloat());
        for (int i = 2; i <= 20; i++) {
            env.put(1_000, "q", i);
            assertEquals(i, getMetrics(so).getMetricValueFloat());
        }
    }
}
