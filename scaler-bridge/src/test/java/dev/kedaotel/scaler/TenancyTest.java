package dev.kedaotel.scaler;

import static dev.kedaotel.scaler.ScalerTestEnv.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.query.standing.Answer;
import dev.kedaotel.query.standing.StandingQuery;
import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SCALED_OBJECT_NAMESPACE_LABEL through a real gRPC client: a ScaledObject in namespace {@code a}
 * gets exactly the answers it would get if the store held only {@code a}'s series, whatever its query
 * says about {@code b} (b's values are distinct, so any leak changes a number).
 */
class TenancyTest {
    private static final String NS = "k8s_namespace_name";
    /** Reported when nothing matches, distinct from every real answer. */
    private static final double NOT_FOUND = -7;

    private ScalerTestEnv env;

    @AfterEach
    void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    private void startWithTenancy() throws Exception {
        env = ScalerTestEnv.start(c -> c.namespaceLabel(NS).valueIfNotFound(NOT_FOUND));
    }

    /** a: x = 1 + 2, y = 10; b: x = 100 + 200, y = 1000; a series without the label: x = 5000. */
    private void load() {
        env.clock.addAndGet(1_000);
        env.append("x", 1, NS, "a", "pod", "p1");
        env.append("x", 2, NS, "a", "pod", "p2");
        env.append("x", 100, NS, "b", "pod", "p1");
        env.append("x", 200, NS, "b", "pod", "p3");
        env.append("x", 5000, "pod", "p9");
        env.append("y", 10, NS, "a", "pod", "p1");
        env.append("y", 1000, NS, "b", "pod", "p1");
        env.commit();
    }

    private static ScaledObjectRef so(String namespace, String name, String query) {
        return ref(namespace, name, "metricQuery", query, "targetValue", "1");
    }

    /** metricQuery → the value namespace a must see (what a store of only a's series answers). */
    private static Map<String, Double> expectedForA() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("sum(x)", 3.0);
        m.put("count(x)", 2.0);
        m.put("sum(x{k8s_namespace_name=\"b\"})", NOT_FOUND);
        m.put("sum(x{k8s_namespace_name!=\"a\"})", NOT_FOUND);
        m.put("sum(x) or sum(y{k8s_namespace_name=\"b\"})", 3.0);
        m.put("sum(nope) or sum(y{k8s_namespace_name=\"b\"})", NOT_FOUND);
        m.put("sum(x) unless sum(y{k8s_namespace_name=\"b\"})", 3.0);
        m.put("absent(x{k8s_namespace_name=\"b\"})", 1.0);
        m.put("sum(label_replace(x, \"k8s_namespace_name\", \"a\", \"k8s_namespace_name\", \".*\"))", 3.0);
        m.put("sum(x{k8s_namespace_name=~\"a|b\"})", 3.0);
        m.put("sum(x{k8s_namespace_name=~\".+\"})", 3.0);
        m.put("max_over_time(sum(y)[1m:1s])", 10.0);
        m.put("sum(x) / scalar(sum(y))", 0.3);
        // kedify syntax
        m.put("x{k8s_namespace_name=b}", NOT_FOUND);
        m.put("x", 3.0);
        m.put("max(x)", 2.0);
        m.put("avg(y{k8s_namespace_name=~\".*\"})", 10.0);
        return m;
    }

    @Test
    void aScaledObjectSeesOnlyItsOwnNamespace() throws Exception {
        startWithTenancy();
        load();
        int i = 0;
        for (Map.Entry<String, Double> e : expectedForA().entrySet()) {
            ScaledObjectRef ref = so("a", "so" + i++, e.getKey());
            assertEquals(e.getValue(), env.metricValue(ref), 1e-9, e.getKey());
            assertEquals(e.getValue() > 0, env.blocking().isActive(ref).getResult(), e.getKey());
        }
    }

    @Test
    void theSameMetadataInAnotherNamespaceSeesThatNamespace() throws Exception {
        startWithTenancy();
        load();
        assertEquals(3.0, env.metricValue(so("a", "so", "sum(x)")), 1e-9);
        assertEquals(300.0, env.metricValue(so("b", "so", "sum(x)")), 1e-9);
        assertEquals(1000.0, env.metricValue(so("b", "so2", "y")), 1e-9);
        assertEquals(NOT_FOUND, env.metricValue(so("c", "so", "sum(x)")), 1e-9);
        // Two standing queries, each showing its scope, listed with the scoped PromQL.
        // sum(x) is kedify syntax: compiled, then scoped.
        assertNotNull(env.queries.find("sum(last_over_time(x{k8s_namespace_name=\"a\"}[2m]))"));
        assertNotNull(env.queries.find("sum(last_over_time(x{k8s_namespace_name=\"b\"}[2m]))"));
        assertNull(env.queries.find("sum(last_over_time(x[2m]))"));
        Map<String, String> promqlByNamespace = new LinkedHashMap<>();
        for (ScaledObjectSnapshot s : env.service.scaledObjects()) {
            if (s.name().equals("so")) {
                promqlByNamespace.put(s.namespace(), s.promql());
            }
        }
        assertEquals(Map.of("a", "sum(last_over_time(x{k8s_namespace_name=\"a\"}[2m]))",
                "b", "sum(last_over_time(x{k8s_namespace_name=\"b\"}[2m]))",
                "c", "sum(last_over_time(x{k8s_namespace_name=\"c\"}[2m]))"), promqlByNamespace);
        // PromQL is scoped the same way.
        env.metricValue(so("a", "so3", "sum(rate(x[1m])) or vector(0)"));
        assertNotNull(env.queries.find("sum(rate(x{k8s_namespace_name=\"a\"}[1m])) or vector(0)"));
    }

    @Test
    void anEmptyNamespaceIsInvalidWhileTenancyIsOn() throws Exception {
        startWithTenancy();
        load();
        ScaledObjectRef noNamespace = so("", "so", "sum(x)");
        // The spec still comes (KEDA builds the HPA and its fallback can act) ...
        assertEquals(1.0, env.blocking().getMetricSpec(noNamespace).getMetricSpecs(0).getTargetSizeFloat(), 0);
        // ... but there is no value.
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> env.metricValue(noNamespace));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("ScaledObjectRef.namespace is empty"), e.getStatus().getDescription());
        assertTrue(e.getStatus().getDescription().contains("SCALED_OBJECT_NAMESPACE_LABEL=k8s_namespace_name"));
        assertThrows(StatusRuntimeException.class, () -> env.blocking().isActive(noNamespace));
    }

    @Test
    void streamIsActiveFollowsOnlyItsNamespace() throws Exception {
        startWithTenancy();
        env.clock.addAndGet(1_000);
        env.append("x", 60, NS, "a", "pod", "p1");
        env.append("x", 0, NS, "b", "pod", "p1");
        env.commit();
        // Active when sum(x) > 50: a's 60 is; b's changes below would flip the unscoped sum twice.
        ScaledObjectRef ref = ref("a", "so", "metricQuery", "sum(x) + 0", "targetValue", "1", "activationTargetValue", "50");
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = new StreamRecorder<>();
        env.async().streamIsActive(ref, stream);
        assertTrue(stream.next().getResult());
        Await.until("the stream to subscribe", () -> env.service.openIsActiveStreams() == 1);
        StandingQuery query = env.queries.find("sum(x{k8s_namespace_name=\"a\"}) + 0");
        assertNotNull(query);

        for (double bValue : new double[] {-1000, 0, -2000, 0}) {
            long seen = query.latest().dataVersion();
            env.put(1_000, "x", bValue, NS, "b", "pod", "p1");
            // The evaluator has looked at b's change (x is the query's metric) and still sees only a.
            Await.until("the evaluation after b's change", () -> query.latest().dataVersion() > seen);
            Answer answer = query.latest();
            assertEquals(60.0, answer.value(), 1e-9, "b=" + bValue);
            assertEquals(60.0, env.metricValue(ref), 1e-9);
        }
        // a's own change flips it; that is the only message after the first.
        env.put(1_000, "x", 10, NS, "a", "pod", "p1");
        assertFalse(stream.next().getResult());
        env.put(1_000, "x", 70, NS, "a", "pod", "p1");
        assertTrue(stream.next().getResult());
        long seen = query.latest().dataVersion();
        env.put(1_000, "x", -5000, NS, "b", "pod", "p1");
        Await.until("the evaluation after b's last change", () -> query.latest().dataVersion() > seen);
        assertEquals(70.0, query.latest().value(), 1e-9);
        assertTrue(stream.messages.isEmpty(), "messages from b's changes: " + stream.messages);
        assertFalse(stream.ended());
        stream.cancel();
    }

    @Test
    void withTheSettingOffNothingChanges() throws Exception {
        env = ScalerTestEnv.start(c -> c.valueIfNotFound(NOT_FOUND));
        load();
        assertEquals(5303.0, env.metricValue(so("a", "so", "sum(x)")), 1e-9);
        assertEquals(300.0, env.metricValue(so("a", "so2", "sum(x{k8s_namespace_name=\"b\"})")), 1e-9);
        assertEquals(NOT_FOUND, env.metricValue(so("a", "so3", "absent(x{k8s_namespace_name=\"b\"})")), 1e-9);
        assertEquals(5303.0, env.metricValue(so("", "so4", "sum(x)")), 1e-9, "an empty namespace is fine");
        // Identical metadata in two namespaces shares one standing query, as before.
        assertEquals(5303.0, env.metricValue(so("b", "so", "sum(x)")), 1e-9);
        assertNotNull(env.queries.find("sum(last_over_time(x[2m]))"));
        for (ScaledObjectSnapshot s : env.service.scaledObjects()) {
            assertFalse(s.promql().contains(NS + "=\"" + s.namespace() + "\""), s.promql());
        }
    }

    @Test
    void aBadLabelNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScalerConfig.builder().namespaceLabel("k8s.namespace.name"));
        assertTrue(e.getMessage().contains("label name"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScalerConfig.builder().namespaceLabel("__name__"));
        assertEquals("", ScalerConfig.builder().namespaceLabel("").build().namespaceLabel());
    }
}
