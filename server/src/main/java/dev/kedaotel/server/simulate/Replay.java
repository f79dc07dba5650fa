package dev.kedaotel.server.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Replays a metric history through KEDA ({@link KedaOperator}) and the HPA ({@link HpaController}), one simulated
 * second at a time from {@code fromMs}:
 * <ul>
 *   <li>KEDA polls every {@code pollingInterval} (its activity check, scale from and to zero);</li>
 *   <li>an {@code external-push} trigger also reaches KEDA at the second its activity changes (StreamIsActive);</li>
 *   <li>the HPA syncs every 15 s ({@code --horizontal-pod-autoscaler-sync-period}'s default) while at least one
 *       replica runs; at 0 it is idle (Kubernetes docs, "Implicit maintenance-mode deactivation");</li>
 *   <li>at the same second KEDA acts before the HPA, and both see the same read.</li>
 * </ul>
 * Pods are ready the moment they are asked for (no start-up delay), so the HPA counts every replica.
 * Pure computation on the caller's thread; no wall clock.
 */
final class Replay {
    static final int HPA_SYNC_SECONDS = 15;

    private final ScaledObjectSpec spec;
    private final List<MetricHistory> histories;
    private final OptionalDouble missingValue;

    /**
     * @param histories    one per trigger, in the spec's order
     * @param missingValue when present, a failed read is taken as this value instead (the scaler's
     *                     {@code METRIC_STORE_VALUE_IF_NOT_FOUND}); empty: KEDA sees an error
     */
    Replay(ScaledObjectSpec spec, List<MetricHistory> histories, OptionalDouble missingValue) {
        this.spec = spec;
        this.histories = List.copyOf(histories);
        this.missingValue = missingValue;
    }

    List<Row> run(long fromMs, long toMs, int initialReplicas) {
        KedaOperator keda = new KedaOperator(spec, fromMs);
        HpaController hpa = new HpaController(spec.scaleUp(), spec.scaleDown(), spec.hpaMinReplicas(), spec.maxReplicaCount());
        long pollMs = spec.pollingIntervalSeconds() * 1000L;
        long syncMs = HPA_SYNC_SECONDS * 1000L;
        Boolean[] pushed = new Boolean[spec.triggers().size()];
        int replicas = initialReplicas;
        List<Row> rows = new ArrayList<>();
        for (long t = fromMs; t <= toMs; t += 1000) {
            List<MetricReading> readings = readings(t);
            boolean poll = (t - fromMs) % pollMs == 0;
            boolean sync = (t - fromMs) % syncMs == 0;
            boolean push = pushes(readings, pushed) && t > fromMs;
            if (!poll && !sync && !push) {
                continue;
            }
            if (poll || (sync && replicas > 0)) {
                keda.read(readings);
            }
            String kedaAction = "";
            if (poll || push) {
                KedaOperator.Action a = keda.check(t, replicas, readings);
                replicas = a.replicas();
                kedaAction = a.label().isEmpty() && push && !poll ? "push" : a.label();
            }
            int recommendation = -1;
            String reason = "";
            if (sync && replicas > 0) {
                HpaDecision d = hpa.sync(t, replicas, keda.hpaInputs(readings, replicas));
                recommendation = d.recommendation();
                replicas = d.replicas();
                reason = d.reason();
            } else if (replicas == 0) {
                reason = "HPA idle at 0 replicas";
            }
            int fb = keda.fallbackTrigger();
            if (fb >= 0) {
                reason = "fallback for " + spec.triggers().get(fb).name() + "; " + reason;
            }
            rows.add(new Row(t, readings, keda.active(readings), kedaAction, recommendation, replicas, reason));
        }
        return rows;
    }

    private List<MetricReading> readings(long t) {
        List<MetricReading> out = new ArrayList<>(histories.size());
        for (MetricHistory h : histories) {
            MetricReading r = h.at(t);
            out.add(!r.ok() && missingValue.isPresent() ? MetricReading.of(missingValue.getAsDouble()) : r);
        }
        return out;
    }

    /** Whether an external-push trigger's activity changed since its last push (and remembers the new one). */
    private boolean pushes(List<MetricReading> readings, Boolean[] pushed) {
        boolean changed = false;
        for (int i = 0; i < readings.size(); i++) {
            Trigger trigger = spec.triggers().get(i);
            MetricReading r = readings.get(i);
            if (!trigger.pushesActivity() || !r.ok()) {
                continue;
            }
            boolean active = trigger.isActive(r.value().getAsDouble());
            if (pushed[i] != null && pushed[i] != active) {
                changed = true;
            }
            pushed[i] = active;
        }
        return changed;
    }
}
