package dev.kedaotel.server.simulate;

import java.util.List;
import java.util.Optional;

/**
 * What the simulator reads from a KEDA ScaledObject ({@code keda.sh/v1alpha1}), defaults applied as the KEDA
 * docs (ScaledObject specification, KEDA 2.21) state them.
 *
 * @param name                  {@code metadata.name} (only for titles)
 * @param minReplicaCount       default 0: KEDA may scale to zero
 * @param maxReplicaCount       default 100
 * @param pollingIntervalSeconds default 30
 * @param cooldownSeconds       default 300: how long after the last active poll KEDA scales to zero
 * @param initialCooldownSeconds default 0: no scale to zero this soon after the ScaledObject was created
 * @param idleReplicaCount      {@code idleReplicaCount: 0} was given: scale to zero although minReplicaCount > 0
 * @param fallback              {@code spec.fallback}, if any
 * @param scaleUp               the HPA's scale-up rules (Kubernetes defaults filled in)
 * @param scaleDown             the HPA's scale-down rules (Kubernetes defaults filled in)
 * @param triggers              at least one
 */
record ScaledObjectSpec(String name, int minReplicaCount, int maxReplicaCount, int pollingIntervalSeconds,
                        int cooldownSeconds, int initialCooldownSeconds, boolean idleReplicaCount, Optional<Fallback> fallback,
                        ScalingRules scaleUp, ScalingRules scaleDown, List<Trigger> triggers) {

    /** The generated HPA's {@code minReplicas}: {@code minReplicaCount}, or 1 when that is 0 (KEDA scales 0 ↔ 1). */
    int hpaMinReplicas() {
        return Math.max(1, minReplicaCount);
    }
}
