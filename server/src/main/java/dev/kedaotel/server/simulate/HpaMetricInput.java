package dev.kedaotel.server.simulate;

/**
 * One metric as the HPA gets it from KEDA's metrics server at a sync: the value (real, or made up by KEDA's
 * fallback), or {@code valid == false} when KEDA answered with an error.
 */
record HpaMetricInput(String name, Trigger.MetricType type, double value, double target, boolean valid) {
    static HpaMetricInput invalid(Trigger t) {
        return new HpaMetricInput(t.name(), t.metricType(), Double.NaN, t.target(), false);
    }
}
