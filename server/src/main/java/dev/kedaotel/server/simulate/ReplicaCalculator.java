package dev.kedaotel.server.simulate;

import java.util.List;

/**
 * The HPA's recommendation from its metrics, before stabilization and rate limits (Kubernetes docs, "Horizontal
 * Pod Autoscaling" → "Algorithm details", and "Scaling on multiple metrics"):
 * <ul>
 *   <li>desiredReplicas = ceil(currentReplicas × currentMetricValue / desiredMetricValue);</li>
 *   <li>for an average target ({@code AverageValue}, KEDA's default metric type) the current value is the
 *       metric divided by the pods, so the formula becomes ceil(value / target), whatever the current count;
 *       for {@code Value} the ratio is value / target;</li>
 *   <li>no change while the ratio is within the tolerance of 1.0 (0.1 by default; per direction with the
 *       {@code tolerance} field of Kubernetes 1.33+);</li>
 *   <li>several metrics: the largest recommendation wins; if a metric cannot be read and the readable ones
 *       suggest scaling down, nothing is scaled (the HPA can still scale up).</li>
 * </ul>
 * Values are turned into milli-units first, as Kubernetes quantities are ({@code MilliValue}), so that
 * ceil(1.1 / 0.1) is 11, not the 12 that binary floating point would give. Pods are taken as ready at once,
 * so the ready-pod count is the replica count.
 */
final class ReplicaCalculator {
    private ReplicaCalculator() {
    }

    /** One metric's recommendation while {@code current} replicas run; {@code current} itself within tolerance. */
    static int forMetric(HpaMetricInput m, int current, ScalingRules up, ScalingRules down) {
        if (withinTolerance(m, current, up, down)) {
            return current;
        }
        long value = milli(m.value());
        long target = Math.max(1, milli(m.target()));
        return m.type() == Trigger.MetricType.AverageValue
                ? (int) Math.min(Integer.MAX_VALUE, ceilDiv(value, target))
                : (int) Math.min(Integer.MAX_VALUE, ceilDiv(value * current, target));
    }

    /**
     * The recommendation over all metrics, or {@code -1} when scaling must be skipped (every metric invalid, or
     * an invalid one while the valid ones suggest fewer replicas than {@code current}).
     */
    static int forMetrics(List<HpaMetricInput> metrics, int current, ScalingRules up, ScalingRules down) {
        int best = -1;
        boolean anyInvalid = false;
        for (HpaMetricInput m : metrics) {
            if (!m.valid()) {
                anyInvalid = true;
                continue;
            }
            best = Math.max(best, forMetric(m, current, up, down));
        }
        if (anyInvalid && best < current) {
            return -1;
        }
        return best;
    }

    /** Whether every readable metric's usage ratio is within the tolerance of 1.0. */
    static boolean allWithinTolerance(List<HpaMetricInput> metrics, int current, ScalingRules up, ScalingRules down) {
        return metrics.stream().filter(HpaMetricInput::valid).allMatch(m -> withinTolerance(m, current, up, down));
    }

    private static boolean withinTolerance(HpaMetricInput m, int current, ScalingRules up, ScalingRules down) {
        long target = Math.max(1, milli(m.target()));
        // AverageValue compares the per-pod value (value / current) with the target.
        double ratio = (double) milli(m.value()) / (m.type() == Trigger.MetricType.AverageValue ? target * current : target);
        return ratio >= 1 - down.tolerance() && ratio <= 1 + up.tolerance();
    }

    static long milli(double v) {
        return Math.round(Math.max(0, v) * 1000);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
