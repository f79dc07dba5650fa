package dev.kedaotel.server.simulate;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The HPA v2 controller of one ScaledObject between syncs: turns each sync's recommendation
 * ({@link ReplicaCalculator}) into the replica count it sets, through the two mechanisms of Kubernetes docs
 * "Configurable scaling behavior":
 * <ol>
 *   <li><b>Stabilization window</b>: every sync's recommendation is remembered; the count only goes up to the
 *       <em>lowest</em> recommendation of the scale-up window and only down to the <em>highest</em> of the
 *       scale-down window ("uses the highest value from the specified interval"), so a dip shorter than the
 *       window does not remove pods.</li>
 *   <li><b>Policies</b>: a policy allows {@code value} pods, or {@code value} % of the replicas counted at the
 *       start of its period, to be added (removed) within {@code periodSeconds}; the start of the period is
 *       the current count minus what the HPA added plus what it removed during the last {@code periodSeconds}.
 *       {@code selectPolicy: Max} takes the policy allowing the largest change, {@code Min} the smallest,
 *       {@code Disabled} forbids the direction. A percentage is rounded up when adding and the removed share
 *       rounded up when removing (the docs' example: 10 % of 72 is 7.2, "rounded up to 8").</li>
 * </ol>
 * Finally the count stays within the HPA's {@code minReplicas..maxReplicas} (reasons {@code TooFewReplicas},
 * {@code TooManyReplicas}, {@code ScaleUpLimit}, {@code ScaleDownLimit} as in the HPA's conditions).
 *
 * <p>The history starts empty when the replay starts. Not thread-safe: the replay loop is single-threaded.
 */
final class HpaController {
    private record Stamped(long atMs, int value) {
    }

    private final ScalingRules up;
    private final ScalingRules down;
    private final int minReplicas;
    private final int maxReplicas;
    private final Deque<Stamped> recommendations = new ArrayDeque<>();
    private final Deque<Stamped> scaleUpEvents = new ArrayDeque<>();
    private final Deque<Stamped> scaleDownEvents = new ArrayDeque<>();

    HpaController(ScalingRules up, ScalingRules down, int minReplicas, int maxReplicas) {
        this.up = up;
        this.down = down;
        this.minReplicas = minReplicas;
        this.maxReplicas = maxReplicas;
    }

    /** One sync at {@code nowMs} with {@code current} replicas (at least 1: at 0 the HPA is idle and KEDA acts). */
    HpaDecision sync(long nowMs, int current, List<HpaMetricInput> metrics) {
        if (current > maxReplicas) {
            return record(nowMs, current, new HpaDecision(-1, maxReplicas, "above maxReplicas " + maxReplicas));
        }
        if (current < minReplicas) {
            return record(nowMs, current, new HpaDecision(-1, minReplicas, "below minReplicas " + minReplicas));
        }
        int recommendation = ReplicaCalculator.forMetrics(metrics, current, up, down);
        if (recommendation < 0) {
            return new HpaDecision(-1, current, "metric unavailable: scaling skipped");
        }
        String reason = recommendation != current ? "desired " + recommendation
                : ReplicaCalculator.allWithinTolerance(metrics, current, up, down) ? "within tolerance" : "no change";
        int stabilized = stabilize(nowMs, current, recommendation);
        if (stabilized != recommendation) {
            reason = stabilized > recommendation
                    ? "stabilized: highest recommendation in " + down.stabilizationWindowSeconds() + " s is " + stabilized
                    : "stabilized: lowest recommendation in " + up.stabilizationWindowSeconds() + " s is " + stabilized;
        }
        return record(nowMs, current, limit(nowMs, current, recommendation, stabilized, reason));
    }

    private int stabilize(long nowMs, int current, int recommendation) {
        int upBound = recommendation;
        int downBound = recommendation;
        long upCutoff = nowMs - up.stabilizationWindowSeconds() * 1000L;
        long downCutoff = nowMs - down.stabilizationWindowSeconds() * 1000L;
        for (Stamped r : recommendations) {
            if (r.atMs() > upCutoff) {
                upBound = Math.min(upBound, r.value());
            }
            if (r.atMs() > downCutoff) {
                downBound = Math.max(downBound, r.value());
            }
        }
        recommendations.addLast(new Stamped(nowMs, recommendation));
        long keep = nowMs - Math.max(up.stabilizationWindowSeconds(), down.stabilizationWindowSeconds()) * 1000L;
        while (!recommendations.isEmpty() && recommendations.peekFirst().atMs() <= keep) {
            recommendations.removeFirst();
        }
        int result = current;
        if (result < upBound) {
            result = upBound;
        }
        if (result > downBound) {
            result = downBound;
        }
        return result;
    }

    private HpaDecision limit(long nowMs, int current, int recommendation, int desired, String reason) {
        if (desired > current) {
            int upLimit = Math.max(current, scaleUpLimit(nowMs, current));
            if (desired > maxReplicas && maxReplicas <= upLimit) {
                return new HpaDecision(recommendation, maxReplicas, "TooManyReplicas: maxReplicaCount " + maxReplicas);
            }
            if (desired > upLimit) {
                return new HpaDecision(recommendation, upLimit, up.selectPolicy() == ScalingRules.SelectPolicy.Disabled
                        ? "scale-up disabled" : "ScaleUpLimit: scale-up policies allow " + upLimit);
            }
        } else if (desired < current) {
            int downLimit = Math.min(current, scaleDownLimit(nowMs, current));
            if (desired < minReplicas && minReplicas >= downLimit) {
                return new HpaDecision(recommendation, minReplicas, "TooFewReplicas: minReplicas " + minReplicas);
            }
            if (desired < downLimit) {
                return new HpaDecision(recommendation, downLimit, down.selectPolicy() == ScalingRules.SelectPolicy.Disabled
                        ? "scale-down disabled" : "ScaleDownLimit: scale-down policies allow " + downLimit);
            }
        }
        return new HpaDecision(recommendation, desired, reason);
    }

    private int scaleUpLimit(long nowMs, int current) {
        return policyLimit(nowMs, current, up, true);
    }

    private int scaleDownLimit(long nowMs, int current) {
        return policyLimit(nowMs, current, down, false);
    }

    /** The furthest the policies of one direction let the count go from {@code current} now. */
    private int policyLimit(long nowMs, int current, ScalingRules rules, boolean scaleUp) {
        if (rules.selectPolicy() == ScalingRules.SelectPolicy.Disabled) {
            return current;
        }
        // Max picks the policy allowing the largest change: the highest count up, the lowest down.
        boolean highest = (rules.selectPolicy() == ScalingRules.SelectPolicy.Max) == scaleUp;
        long result = highest ? Long.MIN_VALUE : Long.MAX_VALUE;
        for (ScalingPolicy p : rules.policies()) {
            long start = current - changed(scaleUpEvents, nowMs, p) + changed(scaleDownEvents, nowMs, p);
            long proposed;
            if (p.type() == ScalingPolicy.Type.Pods) {
                proposed = scaleUp ? start + p.value() : start - p.value();
            } else if (scaleUp) {
                proposed = -Math.floorDiv(-start * (100L + p.value()), 100L); // ceil(start × (1 + value/100))
            } else {
                proposed = Math.floorDiv(start * (100L - p.value()), 100L); // floor(start × (1 − value/100))
            }
            result = highest ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, result));
    }

    /** Pods added (or removed) by this HPA within the policy's period before {@code nowMs}. */
    private static long changed(Deque<Stamped> events, long nowMs, ScalingPolicy p) {
        long cutoff = nowMs - p.periodSeconds() * 1000L;
        long sum = 0;
        for (Stamped e : events) {
            if (e.atMs() > cutoff) {
                sum += e.value();
            }
        }
        return sum;
    }

    private HpaDecision record(long nowMs, int current, HpaDecision d) {
        if (d.replicas() > current) {
            scaleUpEvents.addLast(new Stamped(nowMs, d.replicas() - current));
        } else if (d.replicas() < current) {
            scaleDownEvents.addLast(new Stamped(nowMs, current - d.replicas()));
        }
        long keep = nowMs - 1800 * 1000L; // the longest period a policy may have
        while (!scaleUpEvents.isEmpty() && scaleUpEvents.peekFirst().atMs() <= keep) {
            scaleUpEvents.removeFirst();
        }
        while (!scaleDownEvents.isEmpty() && scaleDownEvents.peekFirst().atMs() <= keep) {
            scaleDownEvents.removeFirst();
        }
        return d;
    }
}
