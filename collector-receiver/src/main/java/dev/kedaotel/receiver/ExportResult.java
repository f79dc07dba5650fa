package dev.kedaotel.receiver;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;

/**
 * The outcome of one accepted Export: full success, or partial success with the number of rejected
 * data points and an English summary. Per OTLP, {@code partial_success} is left unset on full success.
 */
public final class ExportResult {
    private static final ExportResult SUCCESS = new ExportResult(0, "");
    private static final byte[] EMPTY = new byte[0];

    private final long rejectedDataPoints;
    private final String errorMessage;

    private ExportResult(long rejectedDataPoints, String errorMessage) {
        this.rejectedDataPoints = rejectedDataPoints;
        this.errorMessage = errorMessage;
    }

    static ExportResult of(long rejectedDataPoints, String errorMessage) {
        return rejectedDataPoints == 0 && errorMessage.isEmpty() ? SUCCESS
                : new ExportResult(rejectedDataPoints, errorMessage);
    }

    public boolean isFullSuccess() {
        return rejectedDataPoints == 0 && errorMessage.isEmpty();
    }

    public long rejectedDataPoints() {
        return rejectedDataPoints;
    }

    /** "" on full success. */
    public String errorMessage() {
        return errorMessage;
    }

    public ExportMetricsServiceResponse toResponse() {
        if (isFullSuccess()) {
            return ExportMetricsServiceResponse.getDefaultInstance();
        }
        return ExportMetricsServiceResponse.newBuilder()
                .setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                        .setRejectedDataPoints(rejectedDataPoints)
                        .setErrorMessage(errorMessage))
                .build();
    }

    /** The serialized {@code ExportMetricsServiceResponse} (empty bytes on full success). */
    public byte[] toProtobuf() {
        return isFullSuccess() ? EMPTY : toResponse().toByteArray();
    }

    @Override
    public String toString() {
        return isFullSuccess() ? "ExportResult{success}"
                : "ExportResult{rejected=" + rejectedDataPoints + ", message=" + errorMessage + "}";
    }
}
