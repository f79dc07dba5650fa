package dev.kedaotel.server.simulate;

import java.util.List;

/**
 * The HPA's rules for one direction ({@code behavior.scaleUp} or {@code behavior.scaleDown}), with Kubernetes'
 * defaults filled in for what the ScaledObject leaves out (Kubernetes docs, "Configurable scaling behavior" →
 * "Default behavior": scale-up no stabilization, 100 % or 4 pods per 15 s, the larger; scale-down 300 s
 * stabilization, 100 % per 15 s; {@code selectPolicy} Max; tolerance 0.1, the controller's
 * {@code --horizontal-pod-autoscaler-tolerance} default, per direction since Kubernetes 1.33's {@code tolerance}).
 */
record ScalingRules(int stabilizationWindowSeconds, SelectPolicy selectPolicy, List<ScalingPolicy> policies, double tolerance) {
    /** Which policy wins when several allow different changes. */
    enum SelectPolicy {
        /** The policy that allows the largest change (the default). */
        Max,
        /** The policy that allows the smallest change. */
        Min,
        /** No scaling in this direction at all. */
        Disabled
    }

    static final double DEFAULT_TOLERANCE = 0.1;

    static ScalingRules defaultScaleUp() {
        return new ScalingRules(0, SelectPolicy.Max, List.of(
                new ScalingPolicy(ScalingPolicy.Type.Percent, 100, 15),
                new ScalingPolicy(ScalingPolicy.Type.Pods, 4, 15)), DEFAULT_TOLERANCE);
    }

    static ScalingRules defaultScaleDown() {
        return new ScalingRules(300, SelectPolicy.Max, List.of(
                new ScalingPolicy(ScalingPolicy.Type.Percent, 100, 15)), DEFAULT_TOLERANCE);
    }
}
