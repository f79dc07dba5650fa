package dev.kedaotel.server.simulate;

/**
 * One ScaledObject trigger as the simulator needs it: its name (the history it reads), how the HPA uses its
 * value ({@link MetricType}), the target and the activation threshold.
 *
 * @param name            {@code triggers[i].name}, or {@code trigger<i>} when unnamed
 * @param type            {@code external}, {@code external-push} or {@code prometheus}
 * @param pushesActivity  {@code external-push}: the scaler pushes activity changes (StreamIsActive), so KEDA
 *                        sees them the moment the value crosses the activation threshold, not only at its polls
 */
record Trigger(String name, String type, MetricType metricType, double target, double activationTarget, boolean pushesActivity) {
    /** KEDA's {@code metricType}; {@code Utilization} is only for cpu/memory triggers and is refused. */
    enum MetricType {
        /** The HPA divides the value by the number of pods: desired = ceil(value / target). The default. */
        AverageValue,
        /** The value is compared as is: desired = ceil(currentReplicas × value / target). */
        Value
    }

    /** KEDA's activation rule: active when the value is greater than (not equal to) the activation target. */
    boolean isActive(double value) {
        return value > activationTarget;
    }
}
