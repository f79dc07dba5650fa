package dev.kedaotel.scaler;

import dev.kedaotel.model.GoFloats;
import dev.kedaotel.query.standing.Answer;
import io.grpc.Status;

/**
 * What the scaler reports for one standing-query answer under one ScaledObject's metadata: a value
 * and whether it is active, or the gRPC status to fail with.
 *
 * <ul>
 *   <li>an answer evaluated while the window did not yet hold everything the query reads
 *       ({@link WarmUp}): UNAVAILABLE saying since when the window is complete and how many seconds
 *       remain. This comes first: a partial window's value, its "not found" (NOT_FOUND under
 *       errorIfNotFound, or valueIfNotFound) and its errors are all equally unfounded;</li>
 *   <li>found: the value clamped (clampMin, then clampMax); active ⇔ value > activationTargetValue;</li>
 *   <li>not found: NOT_FOUND "no fresh series match &lt;query&gt;" when errorIfNotFound (so KEDA's
 *       fallback applies), otherwise valueIfNotFound, unclamped as in kedify;</li>
 *   <li>a non-finite value (NaN, ±Inf, e.g. a division by zero or an OTLP gauge set to +Inf) is never
 *       sent as a number — KEDA would read +Inf as 9223372036854775807 in the integer field and as
 *       active — it is treated as not found, before clamping;</li>
 *   <li>evaluation error: INVALID_ARGUMENT for query problems (bad query, more than one series),
 *       DEADLINE_EXCEEDED / CANCELLED for those kinds, INTERNAL otherwise; with the message.</li>
 * </ul>
 */
public final class ScalerValue {
    private final double value;
    private final boolean found;
    private final boolean active;
    private final Status error;
    private final boolean warmingUp;

    private ScalerValue(double value, boolean found, boolean active, Status error) {
        this(value, found, active, error, false);
    }

    private ScalerValue(double value, boolean found, boolean active, Status error, boolean warmingUp) {
        this.value = value;
        this.found = found;
        this.active = active;
        this.error = error;
        this.warmingUp = warmingUp;
    }

    /** What {@code answer} of {@code query} (a ScaledObject's compiled metadata) reports to KEDA. */
    public static ScalerValue of(Answer answer, ScalerQuery query, ScalerConfig config) {
        WarmUp warmUp = config.warmUp();
        long waitMs = warmUp.remainingMs(query.spanMs(), answer.evaluatedAtMs());
        if (waitMs > 0) {
            return new ScalerValue(Double.NaN, false, false, warmingUp(warmUp, query, waitMs), true);
        }
        ScalerMetadata metadata = query.metadata();
        if (answer.isError()) {
            return new ScalerValue(Double.NaN, false, false, statusOf(answer).withDescription(
                    "evaluating metricQuery \"" + Failures.query(metadata.metricQuery()) + "\": " + answer.error().getMessage()));
        }
        boolean finite = Double.isFinite(answer.value());
        if (!answer.found() || !finite) {
            if (config.errorIfNotFound()) {
                return new ScalerValue(Double.NaN, false, false, Status.NOT_FOUND.withDescription(answer.found()
                        ? "metricQuery " + Failures.query(metadata.metricQuery()) + " evaluated to "
                                + GoFloats.formatSample(answer.value()) + ", which is not a number KEDA can use"
                        : "no fresh series match " + Failures.query(metadata.metricQuery())));
            }
            double v = config.valueIfNotFound();
            return new ScalerValue(v, false, v > metadata.activationTargetValue(), null);
        }
        double v = metadata.clamp(answer.value());
        return new ScalerValue(v, true, v > metadata.activationTargetValue(), null);
    }

    private static Status warmingUp(WarmUp warmUp, ScalerQuery query, long waitMs) {
        return Status.UNAVAILABLE.withDescription("warming up: this server's metric window is complete only since "
                + warmUp.completeSinceText() + " (it started without the samples sent before), and metricQuery \""
                + Failures.query(query.metadata().metricQuery()) + "\" reads the last " + WarmUp.seconds(query.spanMs())
                + " s, so it answers in " + WarmUp.seconds(waitMs) + " s (warm-up period "
                + WarmUp.seconds(warmUp.periodMs()) + " s, METRIC_STORE_WARM_UP_SECONDS); until then KEDA keeps the"
                + " current replica count or applies the ScaledObject's fallback");
    }

    private static Status statusOf(Answer answer) {
        switch (answer.errorKind()) {
            case "BAD_DATA":
            case "EXECUTION":
                return Status.INVALID_ARGUMENT;
            case "TIMEOUT":
                return Status.DEADLINE_EXCEEDED;
            case "CANCELED":
                return Status.CANCELLED;
            default:
                return Status.INTERNAL;
        }
    }

    public boolean isError() {
        return error != null;
    }

    /** Whether the answer is withheld because the window was not yet complete for the query (UNAVAILABLE). */
    public boolean warmingUp() {
        return warmingUp;
    }

    /** The status to fail the RPC with, or null. */
    public Status error() {
        return error;
    }

    public double value() {
        return value;
    }

    /** False when the value is valueIfNotFound. */
    public boolean found() {
        return found;
    }

    public boolean active() {
        return active;
    }

    /** KEDA's deprecated integer field: ceil of the value (NaN becomes 0, huge values saturate). */
    public static long ceil(double value) {
        return (long) Math.ceil(value);
    }
}
