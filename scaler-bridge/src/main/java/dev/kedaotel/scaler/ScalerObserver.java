package dev.kedaotel.scaler;

import io.grpc.Status;

/**
 * What the scaler reports for self-metrics; the server implements it with Micrometer (this module
 * has no metrics dependency). Called on gRPC and scaler threads: implementations must be thread-safe
 * and quick. Every method has a no-op default.
 */
public interface ScalerObserver {
    ScalerObserver NOOP = new ScalerObserver() {
    };

    /** A value was reported to KEDA by GetMetrics or IsActive (kedify's per-ScaledObject gauge). */
    default void onValue(String namespace, String scaledObject, String metricQuery, double value, boolean active) {
    }

    /** A ScaledObject was forgotten after the idle timeout: drop its gauges (kedify never did, issue #84). */
    default void onRemoved(String namespace, String scaledObject) {
    }

    /** An unknown operationOverTime was replaced by last_one. */
    default void onOperationFallback(String namespace, String scaledObject, String requested) {
    }

    /**
     * GetMetrics or IsActive answered UNAVAILABLE, or a StreamIsActive stream held back its first
     * answer, because the window was still warming up for the query ({@link WarmUp}). Such RPC
     * failures are also reported to {@link #onError}.
     */
    default void onWarmingUp(String rpc) {
    }

    /**
     * A unary RPC (GetMetricSpec, GetMetrics, IsActive) was answered, successfully or not, {@code nanos} after
     * it started, on the scaler's monotonic clock. Called on the gRPC thread: must not allocate.
     */
    default void onDuration(String rpc, long nanos) {
    }

    /** An RPC failed with {@code code}, or a stream saw an evaluation error it kept going through. */
    default void onError(String rpc, Status.Code code) {
    }
}
