package dev.kedaotel.server.simulate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The worked examples of the Kubernetes documentation, "Horizontal Pod Autoscaling"
 * (kubernetes.io/docs/concepts/workloads/autoscaling/horizontal-pod-autoscale/), replayed through the
 * {@code simulate} command. Every expected sequence below is worked out from the docs' text in the comment
 * above it, not taken from a run. The HPA syncs every 15 s; a minReplicaCount of at least 1 keeps KEDA's
 * scale to zero out of these tests.
 */
class HpaDocExamplesTest {
    @TempDir
    Path dir;

    private static String so(String min, String max, String metricType, String target, String behavior) {
        return "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    name: web\n"
                + "  minReplicaCount: " + min + "\n  maxReplicaCount: " + max + "\n  pollingInterval: 15\n"
                + (behavior.isEmpty() ? "" : "  advanced:\n    horizontalPodAutoscalerConfig:\n      behavior:\n" + behavior)
                + "  triggers:\n    - type: external\n      metricType: " + metricType + "\n      metadata:\n"
                + "        scalerAddress: keda-otel-scaler.keda.svc:4318\n        metricQuery: x\n        targetValue: \"" + target + "\"\n";
    }

    @Test
    void ratioOfCurrentToDesiredValueScalesTheReplicas() throws Exception {
        // "Algorithm details": current 200m, desired 100m → "the number of replicas will be doubled" (2 → 4).
        Simulation doubled = Simulation.run(dir, so("1", "100", "Value", "100m", ""), Simulation.csv(0, s -> "0.2"),
                "--current-replicas", "2");
        assertEquals(4, doubled.replicasAt(0));
        // "If the current value is instead 50m, you'll halve the number of replicas" (4 → 2; the stabilization
        // window holds no earlier recommendation at the start of a replay).
        Simulation halved = Simulation.run(dir, so("1", "100", "Value", "100m", ""), Simulation.csv(0, s -> "0.05"),
                "--current-replicas", "4");
        assertEquals(2, halved.replicasAt(0));
    }

    @Test
    void kedaMetricTypesAsTheKedaDocsWorkThemOut() throws Exception {
        // KEDA docs, ScaledObject spec, "metricType": 3 replicas, threshold 5, 20 messages: AverageValue →
        // "20 / 5 = 4 replicas, regardless of the current replica count".
        Simulation average = Simulation.run(dir, so("1", "100", "AverageValue", "5", ""), Simulation.csv(0, s -> "20"),
                "--current-replicas", "3");
        assertEquals(List.of("4", "4"), List.of(average.cell(0, 4), average.cell(0, 5)));
        // Value: "HPA will scale the deployment to 3 * 20 / 5 = 12". The default scale-up policies (Kubernetes
        // docs "Default behavior": 100 % or 4 pods per 15 s, the larger) let 3 become at most max(6, 7) = 7 now.
        Simulation value = Simulation.run(dir, so("1", "100", "Value", "5", ""), Simulation.csv(0, s -> "20"),
                "--current-replicas", "3");
        assertEquals(List.of("12", "7"), List.of(value.cell(0, 4), value.cell(0, 5)));
        assertEquals(true, value.cell(0, 6).startsWith("ScaleUpLimit"), value.stdout);
    }

    @Test
    void noScalingWithinTheToleranceOfTenPercent() throws Exception {
        // "The control plane skips any scaling action if the ratio is sufficiently close to 1.0 (within a
        // configurable tolerance, 0.1 by default)". Target 10 per pod, 10 pods:
        //   0 s: 105 → ratio 1.05, within → 10;  15 s: 111 → 1.11 → ceil(11.1) = 12;
        //   30 s: 125 with 12 pods → 1.04, within → 12;  45 s: 100 with 12 pods → 0.83 → ceil(10) = 10
        //   (no scale-down stabilization, so the lower recommendation applies at once);
        //   60 s: 91 with 10 pods → 0.91, within → 10.
        String behavior = "        scaleDown:\n          stabilizationWindowSeconds: 0\n";
        String[] values = {"105", "111", "125", "100", "91"};
        Simulation sim = Simulation.run(dir, so("1", "100", "AverageValue", "10", behavior),
                Simulation.csv(60, s -> values[s / 15]), "--current-replicas", "10");
        assertEquals(List.of(10, 12, 12, 10, 10), sim.replicasAt(0, 15, 30, 45, 60));
        assertEquals("within tolerance", sim.cell(0, 6));
    }

    @Test
    void scaleDownPoliciesFromEightyToTen() throws Exception {
        // "Scaling policies": Pods 4 / 60 s and Percent 10 / 60 s, the policy allowing the larger change wins.
        // "if there are 80 replicas and the target has to be scaled down to 10 replicas then during the first step
        // 8 replicas will be reduced. In the next iteration when the number of replicas is 72, 10% of the pods is
        // 7.2 but the number is rounded up to 8 ... When the number of replicas falls below 40 the first policy
        // (Pods) is applied and 4 replicas will be reduced at a time." Each period counts from the replicas at
        // its start, so one step per minute: 80 → 72 → 64 → 57 (10 % of 64 = 6.4 → 7) → 51 → 45 → 40 → 36 →
        // 32 → 28 → 24 (Pods: 28 − 4 beats 28 − 2.8→3) → 20 → 16 → 12 → 10 (the target: 8 would overshoot).
        String behavior = "        scaleDown:\n          stabilizationWindowSeconds: 0\n          policies:\n"
                + "            - type: Pods\n              value: 4\n              periodSeconds: 60\n"
                + "            - type: Percent\n              value: 10\n              periodSeconds: 60\n";
        Simulation sim = Simulation.run(dir, so("1", "100", "AverageValue", "1", behavior),
                Simulation.csv(900, s -> "10"), "--current-replicas", "80");
        assertEquals(List.of(72, 64, 57, 51, 45, 40, 36, 32, 28, 24, 20, 16, 12, 10, 10),
                sim.replicasAt(0, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 660, 720, 780, 840));
        // Within a period nothing more is removed.
        assertEquals(List.of(72, 72, 72), sim.replicasAt(15, 30, 45));
        assertEquals(true, sim.cell(15, 6).startsWith("ScaleDownLimit"), sim.stdout);
    }

    @Test
    void selectPolicyMinTakesTheSmallerChange() throws Exception {
        // "Example: limit scale down rate": Percent 10 / 60 s and Pods 5 / 60 s with selectPolicy Min ("chooses the
        // policy that affects the smallest number of Pods"): from 80, 10 % would remove 8, 5 pods remove 5 → 75;
        // then 70, 65, 60, 55, 50, 45 (10 % of 50 = 5 either way), 40 (10 % of 45 = 4.5 → 5, either way),
        // 36 (10 % of 40 = 4 < 5).
        String behavior = "        scaleDown:\n          stabilizationWindowSeconds: 0\n          selectPolicy: Min\n"
                + "          policies:\n"
                + "            - type: Percent\n              value: 10\n              periodSeconds: 60\n"
                + "            - type: Pods\n              value: 5\n              periodSeconds: 60\n";
        Simulation sim = Simulation.run(dir, so("1", "100", "AverageValue", "1", behavior),
                Simulation.csv(480, s -> "10"), "--current-replicas", "80");
        assertEquals(List.of(75, 70, 65, 60, 55, 50, 45, 40, 36), sim.replicasAt(0, 60, 120, 180, 240, 300, 360, 420, 480));
    }

    @Test
    void defaultScaleUpAddsFourPodsOrDoublesEveryFifteenSeconds() throws Exception {
        // "Default behavior": "4 pods or a 100% of the currently running replicas may at most be added every
        // 15 seconds" (the larger). From 1 towards 100: 1 + 4 = 5, then 10, 20, 40, 80, 100 (maxReplicaCount).
        Simulation sim = Simulation.run(dir, so("1", "100", "AverageValue", "1", ""), Simulation.csv(90, s -> "100"),
                "--current-replicas", "1");
        assertEquals(List.of(5, 10, 20, 40, 80, 100, 100), sim.replicasAt(0, 15, 30, 45, 60, 75, 90));
    }

    @Test
    void scaleDownStabilizationKeepsTheHighestRecommendationOfTheWindow() throws Exception {
        // "Stabilization window": "uses the highest value from the specified interval ... all desired states
        // from the past 5 minutes will be considered" (default scale-down window 300 s). 10 pods recommended at
        // 0 s, then 2: the 10 holds for 5 minutes, then 2 applies (default scale-down policy: 100 % per 15 s).
        Simulation sim = Simulation.run(dir, so("1", "100", "AverageValue", "1", ""),
                Simulation.csv(330, s -> s == 0 ? "10" : "2"), "--current-replicas", "10");
        assertEquals(List.of(10, 10, 10, 2), sim.replicasAt(0, 15, 285, 315));
        assertEquals("stabilized: highest recommendation in 300 s is 10", sim.cell(285, 6));
        // "Example: change downscale stabilization window" to 60 s: the 10 holds one minute only.
        String behavior = "        scaleDown:\n          stabilizationWindowSeconds: 60\n";
        Simulation minute = Simulation.run(dir, so("1", "100", "AverageValue", "1", behavior),
                Simulation.csv(90, s -> s == 0 ? "10" : "2"), "--current-replicas", "10");
        assertEquals(List.of(10, 10, 2), minute.replicasAt(0, 45, 75));
    }

    @Test
    void selectPolicyDisabledTurnsADirectionOff() throws Exception {
        // "Example: disable scale down": selectPolicy Disabled "turns off scaling the given direction".
        String noDown = "        scaleDown:\n          selectPolicy: Disabled\n";
        Simulation down = Simulation.run(dir, so("1", "100", "AverageValue", "1", noDown),
                Simulation.csv(600, s -> "1"), "--current-replicas", "10");
        assertEquals(List.of(10, 10, 10), down.replicasAt(0, 300, 600));
        String noUp = "        scaleUp:\n          selectPolicy: Disabled\n";
        Simulation up = Simulation.run(dir, so("1", "100", "AverageValue", "1", noUp),
                Simulation.csv(60, s -> "50"), "--current-replicas", "2");
        assertEquals(List.of(2, 2), up.replicasAt(0, 60));
        assertEquals("50", up.cell(0, 4), "the recommendation is still made");
    }

    @Test
    void severalMetricsTakeTheLargestRecommendation() throws Exception {
        // "Scaling on multiple metrics": "takes the maximum scale recommended for each metric".
        String yaml = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: web\nspec:\n"
                + "  scaleTargetRef:\n    name: web\n  minReplicaCount: 1\n  triggers:\n"
                + "    - type: external\n      name: queue\n      metadata:\n        targetValue: \"10\"\n"
                + "    - type: prometheus\n      name: latency\n      metadata:\n        serverAddress: http://x:9090\n"
                + "        query: y\n        threshold: \"2\"\n";
        java.nio.file.Files.writeString(dir.resolve("so.yaml"), yaml);
        java.nio.file.Files.writeString(dir.resolve("queue.csv"), Simulation.csv(0, s -> "30"));
        java.nio.file.Files.writeString(dir.resolve("latency.csv"), Simulation.csv(0, s -> "10"));
        // queue: ceil(30 / 10) = 3; latency: ceil(10 / 2) = 5 → 5 (from 3: within the default scale-up policies).
        Simulation sim = Simulation.command("--scaled-object", dir.resolve("so.yaml").toString(),
                "--history", "queue=" + dir.resolve("queue.csv"), "--history", "latency=" + dir.resolve("latency.csv"),
                "--current-replicas", "3");
        assertEquals(5, sim.replicasAt(0));
    }
}
