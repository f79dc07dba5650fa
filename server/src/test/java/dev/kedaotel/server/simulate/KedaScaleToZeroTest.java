package dev.kedaotel.server.simulate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KEDA's part, replayed through the {@code simulate} command, against the KEDA 2.21 docs ("Scaling
 * Deployments" → "Activating and Scaling thresholds"; ScaledObject spec "cooldownPeriod", "minReplicaCount",
 * "fallback"). Expected sequences are worked out in the comments from the docs' text.
 */
class KedaScaleToZeroTest {
    @TempDir
    Path dir;

    private static String so(String extraSpec, String type, String metadata) {
        return "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata:\n  name: worker\nspec:\n  scaleTargetRef:\n"
                + "    name: worker\n" + extraSpec + "  triggers:\n    - type: " + type + "\n      metadata:\n"
                + "        targetValue: \"10\"\n" + metadata;
    }

    @Test
    void activeScalesFromZeroThenCooldownAfterTheLastActivePollScalesToZero() throws Exception {
        // minReplicaCount 0 (the default). Value 5 up to 60 s, then 0. KEDA polls every 30 s:
        //   0 s: active (5 > 0) → "KEDA sets the replica count to ... 1" (activation does not depend on the value);
        //   the HPA keeps 1 (ceil(5 / 10) = 1), and at 0 the HPA would want 0 but its minReplicas is 1.
        //   Last active poll: 60 s. "The period to wait after the last trigger reported active before scaling the
        //   resource back to 0": 300 s → still 1 at 345 s, 0 by the poll at 390 s.
        Simulation sim = Simulation.run(dir, so("  pollingInterval: 30\n  cooldownPeriod: 300\n", "external", ""),
                Simulation.csv(450, s -> s <= 60 ? "5" : "0"));
        assertEquals("activate 0→1", sim.cell(0, 3));
        assertEquals(List.of(1, 1, 1, 1, 0, 0), sim.replicasAt(0, 60, 90, 345, 390, 450));
        assertEquals("HPA idle at 0 replicas", sim.cell(450, 6));
    }

    @Test
    void activationThresholdWinsOverTheScalingTarget() throws Exception {
        // "threshold: 10 and activationThreshold: 50, in case of 40 messages the scaler is not active and it'll be
        // scaled to zero even the HPA requires 4 instances." Running 4 replicas, never active: with no earlier
        // activity and no initialCooldownPeriod the cooldown does not apply ("only applies after a trigger
        // occurs") → 0 at the first poll.
        String metadata = "        activationTargetValue: \"50\"\n";
        Simulation inactive = Simulation.run(dir, so("  pollingInterval: 30\n", "external", metadata),
                Simulation.csv(120, s -> "40"), "--current-replicas", "4");
        assertEquals(List.of(0, 0), inactive.replicasAt(0, 120));
        assertEquals("no", inactive.cell(0, 2));
        // "Activation only occurs when this value is greater than the set value; not greater than or equal to":
        // 50 stays at 0; 60 activates (→ 1), then the HPA asks ceil(60 / 10) = 6 at the same second, allowed by
        // the default scale-up policies from 1 (max(1 + 100 %, 1 + 4) = 5) → 5, and 6 at the next sync.
        Simulation equal = Simulation.run(dir, so("  pollingInterval: 30\n", "external", metadata),
                Simulation.csv(30, s -> "50"));
        assertEquals(List.of(0, 0), equal.replicasAt(0, 30));
        Simulation above = Simulation.run(dir, so("  pollingInterval: 30\n", "external", metadata),
                Simulation.csv(30, s -> "60"));
        assertEquals("activate 0→1", above.cell(0, 3));
        assertEquals(List.of(5, 6), above.replicasAt(0, 15));
    }

    @Test
    void initialCooldownPeriodDelaysTheFirstScaleToZero() throws Exception {
        // initialCooldownPeriod 120: "KEDA will not scale the resource back to 0 until 120 seconds have passed since
        // the ScaledObject creation, regardless of the activity triggers" (the replay starts at the creation).
        // Never active, 3 replicas: the HPA brings them to its minimum 1 at once (value 0 → 0 wanted, no earlier
        // recommendation in the window), KEDA polls every 30 s and scales to 0 only once 120 s have passed.
        Simulation sim = Simulation.run(dir, so("  pollingInterval: 30\n  initialCooldownPeriod: 120\n", "external", ""),
                Simulation.csv(180, s -> "0"), "--current-replicas", "3");
        assertEquals(List.of(1, 1, 0), sim.replicasAt(0, 90, 150));
        assertEquals("inactive > cooldown: →0", sim.cell(120, 3));
    }

    @Test
    void minReplicaCountAboveZeroNeverScalesToZero() throws Exception {
        // "If minReplicaCount is greater than 0 and idleReplicaCount is not set, inactive triggers do not cause the
        // workload to scale to zero"; the HPA's minReplicas is minReplicaCount.
        Simulation sim = Simulation.run(dir, so("  minReplicaCount: 2\n  cooldownPeriod: 30\n", "external", ""),
                Simulation.csv(600, s -> "0"), "--current-replicas", "2");
        assertEquals(List.of(2, 2, 2), sim.replicasAt(0, 300, 600));
        // With idleReplicaCount 0 it may: "If there's no activity on triggers the target resource is scaled down to
        // idleReplicaCount (0), once there is an activity the target resource is immediately scaled to
        // minReplicaCount".
        Simulation idle = Simulation.run(dir, so("  minReplicaCount: 2\n  idleReplicaCount: 0\n  cooldownPeriod: 30\n",
                "external", ""), Simulation.csv(120, s -> s < 60 ? "0" : "3"), "--current-replicas", "2");
        assertEquals(List.of(0, 2), idle.replicasAt(0, 60));
        assertEquals("activate 0→2", idle.cell(60, 3));
    }

    @Test
    void fallbackReplicasOnceTheFailuresPassTheThreshold() throws Exception {
        // "KEDA will keep track of the number of consecutive times each scaler has failed to get metrics from its
        // source. Once that value passes the failureThreshold", the HPA gets target × fallback replicas
        // (AverageValue) and scales to them. failureThreshold 3, replicas 6; 2 pods on value 20 (ceil(20/10) = 2),
        // then no points from 30 s (reads every 15 s): failures 1, 2, 3 at 30, 45, 60 s (an error, no scale
        // down), the 4th at 75 s passes 3 → 6 (from 2 the default policies allow max(4, 6) = 6).
        // An error never counts as inactivity: no scale to zero meanwhile.
        String spec = "  minReplicaCount: 0\n  pollingInterval: 15\n  cooldownPeriod: 0\n"
                + "  fallback:\n    failureThreshold: 3\n    replicas: 6\n";
        Simulation sim = Simulation.run(dir, so(spec, "external", ""), Simulation.csv(90, s -> s < 30 ? "20" : ""),
                "--current-replicas", "2");
        assertEquals(List.of(2, 2, 2, 2, 2, 6, 6), sim.replicasAt(0, 15, 30, 45, 60, 75, 90));
        assertEquals("error", sim.cell(30, 1));
        assertEquals("metric unavailable: scaling skipped", sim.cell(30, 6));
        assertTrue(sim.cell(75, 6).startsWith("fallback for trigger0"), sim.stdout);
        // fallback.behavior: 2 running, fallback.replicas 1, failureThreshold 0 (the first failure passes it).
        // "static" (the default) → 1; "currentReplicasIfHigher" → 2 ("If the current number of replicas is higher
        // than fallback.replicas, this value will be used").
        String fallback = "  minReplicaCount: 1\n  pollingInterval: 15\n"
                + "  fallback:\n    failureThreshold: 0\n    replicas: 1\n    behavior: %s\n"
                + "  advanced:\n    horizontalPodAutoscalerConfig:\n      behavior:\n        scaleDown:\n"
                + "          stabilizationWindowSeconds: 0\n";
        Simulation stat = Simulation.run(dir, so(String.format(fallback, "static"), "external", ""),
                Simulation.csv(60, s -> s < 15 ? "20" : ""), "--current-replicas", "2");
        assertEquals(List.of(2, 1, 1), stat.replicasAt(0, 15, 60));
        Simulation keep = Simulation.run(dir, so(String.format(fallback, "currentReplicasIfHigher"), "external", ""),
                Simulation.csv(60, s -> s < 15 ? "20" : ""), "--current-replicas", "2");
        assertEquals(List.of(2, 2, 2), keep.replicasAt(0, 15, 60));
        assertTrue(keep.cell(15, 6).startsWith("fallback for trigger0"), keep.stdout);
    }

    @Test
    void externalPushActivatesBetweenPolls() throws Exception {
        // external-push: the scaler pushes activity over StreamIsActive, so KEDA scales from zero when the value
        // crosses the activation threshold, not at its next poll. Polls every 60 s, points every 5 s, value from
        // 20 s on: activated at 20 s.
        StringBuilder csv = new StringBuilder();
        for (int s = 0; s <= 60; s += 5) {
            csv.append(Simulation.T0 + s).append(',').append(s >= 20 ? "3" : "0").append('\n');
        }
        Simulation sim = Simulation.run(dir, so("  pollingInterval: 60\n", "external-push", ""), csv.toString());
        assertEquals("activate 0→1", sim.cell(20, 3));
        assertEquals(List.of(0, 1), sim.replicasAt(15, 20));
        // The same object polled (type external) waits for the poll at 60 s.
        Simulation polled = Simulation.run(dir, so("  pollingInterval: 60\n", "external", ""), csv.toString());
        assertEquals(List.of(0, 0, 1), polled.replicasAt(15, 45, 60));
    }
}
