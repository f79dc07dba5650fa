package dev.kedaotel.server.simulate;

/**
 * {@code spec.fallback}: after more than {@code failureThreshold} consecutive failed reads of a trigger, KEDA
 * hands the HPA a made-up value that yields {@code replicas} (KEDA docs, ScaledObject spec, "fallback":
 * {@code target × replicas} for AverageValue, {@code target × replicas / current ready replicas} for Value),
 * so the HPA still applies its behavior to that recommendation.
 */
record Fallback(int failureThreshold, int replicas, Behavior behavior) {
    /** {@code fallback.behavior} (KEDA 2.15+); {@code scalingModifiers} is refused with scaling modifiers. */
    enum Behavior {
        /** {@code replicas}. The default. */
        STATIC("static"),
        /** Keep the current replica count. */
        CURRENT_REPLICAS("currentReplicas"),
        /** The current count if it is higher than {@code replicas}, else {@code replicas}. */
        CURRENT_REPLICAS_IF_HIGHER("currentReplicasIfHigher"),
        /** The current count if it is lower than {@code replicas}, else {@code replicas}. */
        CURRENT_REPLICAS_IF_LOWER("currentReplicasIfLower");

        final String yamlName;

        Behavior(String yamlName) {
            this.yamlName = yamlName;
        }
    }

    /** The replica count the fallback asks for while {@code current} replicas run. */
    int replicasFor(int current) {
        switch (behavior) {
            case CURRENT_REPLICAS: return current;
            case CURRENT_REPLICAS_IF_HIGHER: return Math.max(current, replicas);
            case CURRENT_REPLICAS_IF_LOWER: return Math.min(current, replicas);
            default: return replicas;
        }
    }
}
