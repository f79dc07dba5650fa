package dev.kedaotel.scaler;

import dev.kedaotel.query.kedify.OperationOverTime;

/**
 * A read-only view of one ScaledObject the scaler remembers, for the status page and debug endpoints:
 * what KEDA sent, what it was compiled to, and the last answer — taken without evaluating anything.
 * A ScaledObject whose metadata does not compile is listed with its {@code error}, a null
 * {@code promql} and {@code operationOverTime}, and NaN for the values it has not got.
 *
 * @param namespace the ScaledObject's namespace
 * @param name the ScaledObject's name
 * @param metricQuery {@code metricQuery} as KEDA sent it
 * @param promql the compiled PromQL (what to paste into Grafana to see what KEDA sees); null if it does not compile
 * @param kedifySyntax whether {@code metricQuery} was kedify syntax (else PromQL)
 * @param operationOverTime the operation in effect (kedify syntax only); null if the metadata does not compile
 * @param targetValue the HPA target
 * @param activationTargetValue active when the value is greater than this
 * @param clampMin lower bound applied to the value ({@code -Infinity} when absent)
 * @param clampMax upper bound applied to the value ({@code +Infinity} when absent)
 * @param evaluated whether the query has been evaluated at all
 * @param found whether the last evaluation found fresh series (false also when it failed)
 * @param value the last value as KEDA would get it (clamped, or value-if-not-found); NaN if not evaluated
 * @param active the last activity flag as KEDA would get it
 * @param error the last evaluation's error, why the metadata does not compile, or null
 * @param lastEvaluatedMs epoch ms of the last evaluation, or 0
 * @param lastCallMs epoch ms of the last RPC about this ScaledObject
 * @param openStreams open StreamIsActive / StreamMetricSpec calls
 * @param metadata the trigger metadata as last seen, secret values shown as
 *     {@value ScalerMetadataSecrets#REDACTED} (see {@link ScalerMetadataSecrets}); sorted by key
 * @param lastRpc the RPC of the last call ({@code GetMetrics}, {@code IsActive}, {@code StreamIsActive},
 *     {@code StreamMetricSpec} or {@code GetMetricSpec}), or null
 * @param streamed whether a StreamIsActive call was opened for it (KEDA's {@code external-push} trigger)
 * @param pushes the last answers StreamIsActive pushed, newest first (at most {@value PushHistory#CAPACITY})
 * @param pushCount every push since the ScaledObject was (re)created, including those no longer kept
 */
public record ScaledObjectSnapshot(String namespace, String name, String metricQuery, String promql,
        boolean kedifySyntax, OperationOverTime operationOverTime, double targetValue,
        double activationTargetValue, double clampMin, double clampMax, boolean evaluated, boolean found,
        double value, boolean active, String error, long lastEvaluatedMs, long lastCallMs, int openStreams,
        java.util.Map<String, String> metadata, String lastRpc, boolean streamed, java.util.List<Push> pushes,
        long pushCount) {

    /** {@code external-push} once a StreamIsActive call was opened, else {@code external} (GetMetrics/IsActive only). */
    public String triggerType() {
        return streamed ? "external-push" : "external";
    }

    /**
     * One answer a StreamIsActive stream sent to KEDA.
     *
     * @param atMs epoch ms it was sent
     * @param active the flag sent
     * @param value the value behind it (what GetMetrics would have answered then)
     */
    public record Push(long atMs, boolean active, double value) {
    }
}
