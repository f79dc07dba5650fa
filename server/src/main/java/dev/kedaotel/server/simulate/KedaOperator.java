package dev.kedaotel.server.simulate;

import java.util.ArrayList;
import java.util.List;

/**
 * KEDA's part for one ScaledObject: activation and scale to zero, and what the HPA is handed for each trigger
 * (KEDA docs 2.21, "Scaling Deployments" → "Activating and Scaling thresholds", ScaledObject spec
 * "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount", "fallback"):
 * <ul>
 *   <li>a trigger is active when its value is greater than its activation threshold (not equal; default 0);
 *       the ScaledObject is active when any trigger is;</li>
 *   <li>at 0 replicas, an active check scales to {@code minReplicaCount}, or 1 if that is 0 ("does not depend on
 *       the metric value that caused activation"); from there the HPA scales;</li>
 *   <li>an inactive check scales to 0 (only with {@code minReplicaCount: 0} or {@code idleReplicaCount: 0}) once
 *       more than {@code cooldownPeriod} has passed since the last active check, and not before
 *       {@code initialCooldownPeriod} after the start (the ScaledObject's creation); never while a trigger
 *       fails — an error is not inactivity;</li>
 *   <li>a trigger read that fails counts toward {@code fallback.failureThreshold}; once more than that many
 *       consecutive reads failed ("passes the failureThreshold"), the HPA gets the value that yields the
 *       fallback replica count, and at 0 replicas KEDA scales to it itself. A successful read resets the count.</li>
 * </ul>
 * Reads are counted per instant: a KEDA poll and an HPA sync at the same second are one read, as both go through
 * KEDA's scaler for that ScaledObject. Not thread-safe: the replay loop is single-threaded.
 */
final class KedaOperator {
    /** What a KEDA check did: the replica count after it and a label for the table ({@code ""} = nothing). */
    record Action(int replicas, String label) {
    }

    private final ScaledObjectSpec spec;
    private final long startMs;
    private final int[] failures;
    private long lastActiveMs = Long.MIN_VALUE;

    KedaOperator(ScaledObjectSpec spec, long startMs) {
        this.spec = spec;
        this.startMs = startMs;
        this.failures = new int[spec.triggers().size()];
    }

    /** Records one read of every trigger (consecutive failures, or a reset on success). */
    void read(List<MetricReading> readings) {
        for (int i = 0; i < failures.length; i++) {
            failures[i] = readings.get(i).ok() ? 0 : failures[i] + 1;
        }
    }

    /** Whether trigger {@code i} is past its failure threshold, so KEDA substitutes the fallback. */
    boolean inFallback(int i) {
        return spec.fallback().isPresent() && failures[i] > spec.fallback().get().failureThreshold();
    }

    /** True when any trigger's reading is above its activation threshold. */
    boolean active(List<MetricReading> readings) {
        for (int i = 0; i < readings.size(); i++) {
            MetricReading r = readings.get(i);
            if (r.ok() && spec.triggers().get(i).isActive(r.value().getAsDouble())) {
                return true;
            }
        }
        return false;
    }

    /** KEDA's activity check (a poll, or a push from an external-push scaler) at {@code nowMs}. */
    Action check(long nowMs, int replicas, List<MetricReading> readings) {
        boolean active = active(readings);
        boolean anyFailed = readings.stream().anyMatch(r -> !r.ok());
        if (active) {
            lastActiveMs = nowMs;
            if (replicas == 0) {
                int to = Math.max(1, spec.minReplicaCount());
                return new Action(to, "activate 0→" + to);
            }
            if (replicas < spec.minReplicaCount()) {
                return new Action(spec.minReplicaCount(), "to minReplicaCount " + spec.minReplicaCount());
            }
            return new Action(replicas, "");
        }
        if (anyFailed) {
            int fallback = fallbackTrigger();
            if (replicas == 0 && fallback >= 0 && spec.fallback().get().replicasFor(0) > 0) {
                int to = Math.min(spec.maxReplicaCount(), spec.fallback().get().replicasFor(0));
                return new Action(to, "fallback 0→" + to);
            }
            return new Action(replicas, "read failed");
        }
        if (replicas > 0 && mayScaleToZero() && nowMs - startMs >= spec.initialCooldownSeconds() * 1000L
                && (lastActiveMs == Long.MIN_VALUE || nowMs - lastActiveMs > spec.cooldownSeconds() * 1000L)) {
            return new Action(0, "inactive > cooldown: →0");
        }
        return new Action(replicas, "");
    }

    /** The metrics the HPA gets at a sync while {@code current} replicas run. */
    List<HpaMetricInput> hpaInputs(List<MetricReading> readings, int current) {
        List<HpaMetricInput> out = new ArrayList<>();
        for (int i = 0; i < readings.size(); i++) {
            Trigger t = spec.triggers().get(i);
            MetricReading r = readings.get(i);
            if (r.ok()) {
                out.add(new HpaMetricInput(t.name(), t.metricType(), r.value().getAsDouble(), t.target(), true));
            } else if (inFallback(i)) {
                int fallbackReplicas = spec.fallback().get().replicasFor(current);
                // KEDA docs: target × fallback replicas (AverageValue), target × fallback / current ready replicas (Value).
                double v = t.metricType() == Trigger.MetricType.AverageValue
                        ? t.target() * fallbackReplicas
                        : t.target() * fallbackReplicas / current;
                out.add(new HpaMetricInput(t.name(), t.metricType(), v, t.target(), true));
            } else {
                out.add(HpaMetricInput.invalid(t));
            }
        }
        return out;
    }

    /** The index of a trigger in fallback, or -1. */
    int fallbackTrigger() {
        for (int i = 0; i < failures.length; i++) {
            if (inFallback(i)) {
                return i;
            }
        }
        return -1;
    }

    private boolean mayScaleToZero() {
        // idleReplicaCount may only be 0 (checked when parsing), so its presence means "may go to 0".
        return spec.minReplicaCount() == 0 || spec.idleReplicaCount();
    }
}
