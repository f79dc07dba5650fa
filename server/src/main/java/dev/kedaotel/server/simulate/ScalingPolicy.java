package dev.kedaotel.server.simulate;

/**
 * One HPA scaling policy ({@code behavior.scaleUp/scaleDown.policies[]}): at most {@code value} pods, or
 * {@code value} percent of the replicas at the start of the period, may be added (or removed) within any
 * {@code periodSeconds}.
 */
record ScalingPolicy(Type type, int value, int periodSeconds) {
    enum Type { Pods, Percent }
}
