package dev.kedaotel.scaler;

import static dev.kedaotel.scaler.ScalerTestEnv.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kedaotel.scaler.externalscaler.IsActiveResponse;
import dev.kedaotel.scaler.externalscaler.ScaledObjectRef;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScaledObjectLifecycleTest {
    private static final long IDLE_MS = 60_000;
    private ScalerTestEnv env;

    @AfterEach
    void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void twoScaledObjectsWithTheSameQueryShareOneStandingQueryUntilBothAreIdle() throws Exception {
        env = ScalerTestEnv.start(c -> c.idleTimeoutMs(IDLE_MS));
        env.put(1_000, "reqs", 4, "app", "web");
        ScaledObjectRef a = ref("ns", "a", "metricQuery", "sum(reqs{app=web})", "targetValue", "1");
        ScaledObjectRef b = ref("ns", "b", "metricQuery", "sum(reqs{app=web})", "targetValue", "2", "clampMax", "3");
        assertEquals(4, env.metricValue(a));
        assertEquals(3, env.metricValue(b));
        assertEquals(2, env.service.scaledObjectCount());
        assertEquals(1, env.queries.size(), "one compiled query shared by both");

        env.clock.addAndGet(IDLE_MS / 2);
        assertEquals(4, env.metricValue(a)); // a is seen again, b is not
        env.clock.addAndGet(IDLE_MS / 2 + 1);
        assertEquals(1, env.service.expireIdleScaledObjects());
        assertEquals(List.of("ns/b"), env.observer.removed);
        assertEquals(1, env.queries.size(), "a still holds the query");

        env.clock.addAndGet(IDLE_MS);
        assertEquals(1, env.service.expireIdleScaledObjects());
        assertEquals(List.of("ns/b", "ns/a"), env.observer.removed);
        assertEquals(0, env.queries.size(), "released with its last user");
    }

    @Test
    void anOpenStreamKeepsTheScaledObject() throws Exception {
        env = ScalerTestEnv.start(c -> c.idleTimeoutMs(IDLE_MS));
        ScaledObjectRef so = ref("ns", "pushed", "metricQuery", "reqs", "targetValue", "1");
        StreamRecorder<ScaledObjectRef, IsActiveResponse> stream = new StreamRecorder<>();
        env.async().streamIsActive(so, stream);
        stream.next();
        Await.until("the stream to open", () -> env.service.openIsActiveStreams() == 1);

        env.clock.addAndGet(10 * IDLE_MS);
        assertEquals(0, env.service.expireIdleScaledObjects());
        assertEquals(1, env.queries.size());

        stream.cancel();
        Await.until("the stream to close", () -> env.service.openIsActiveStreams() == 0);
        env.clock.addAndGet(IDLE_MS);
        assertEquals(1, env.service.expireIdleScaledObjects());
        assertEquals(0, env.queries.size());
        assertTrue(env.observer.removed.contains("ns/pushed"));
    }

    @Test
    void editedMetadataSwapsTheStandingQuery() throws Exception {
        env = ScalerTestEnv.start();
        env.put(1_000, "reqs", 4, "app", "web");
        env.put(0, "other", 9);
        assertEquals(4, env.metricValue(ref("ns", "so", "metricQuery", "reqs", "targetValue", "1")));
        assertEquals(9, env.metricValue(ref("ns", "so", "metricQuery", "other", "targetValue", "1")));
        assertEquals(1, env.service.scaledObjectCount());
        assertEquals(1, env.queries.size(), "the old query was released");
    }
}
