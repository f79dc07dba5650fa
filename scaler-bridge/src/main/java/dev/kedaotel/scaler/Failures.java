package dev.kedaotel.scaler;

import io.grpc.Status;

/**
 * How the scaler words what went wrong for KEDA: queries quoted at a bounded length, throwables that
 * escaped compiling or evaluating turned into a status (never UNKNOWN), and descriptions cut to a
 * size every gRPC client accepts in its trailers (grpc-go and grpc-java refuse more than 8 KiB of
 * metadata, which a quoted 20,000-term query would exceed).
 */
final class Failures {
    /** Characters of a metricQuery quoted in a message. */
    static final int MAX_QUOTED_QUERY = 200;
    /** Characters of a status description sent to KEDA. */
    static final int MAX_DESCRIPTION = 2_000;

    private Failures() {
    }

    /** {@code query} for a message: itself, or its first {@value #MAX_QUOTED_QUERY} characters and its length. */
    static String query(String query) {
        if (query == null || query.length() <= MAX_QUOTED_QUERY) {
            return query;
        }
        return query.substring(0, MAX_QUOTED_QUERY) + "…(" + query.length() + " characters)";
    }

    /** INVALID_ARGUMENT naming metricQuery, its (bounded) value and {@code why} it cannot be used. */
    static Status invalidQuery(String metricQuery, String why) {
        return Status.INVALID_ARGUMENT.withDescription("metadata key '" + ScalerMetadata.METRIC_QUERY + "' has invalid value \""
                + query(metricQuery) + "\": " + why);
    }

    /**
     * The status for {@code thrown}, which escaped {@code doing} (e.g. "compiling") {@code metricQuery}:
     * INVALID_ARGUMENT when the expression is too deeply nested for the stack (the query is the
     * problem), INTERNAL naming the exception otherwise (we are).
     */
    static Status unexpected(String doing, String metricQuery, Throwable thrown) {
        if (thrown instanceof StackOverflowError) {
            return invalidQuery(metricQuery, "the expression is nested too deeply (" + doing + " it overflowed the stack)");
        }
        return Status.INTERNAL.withDescription(doing + " metricQuery \"" + query(metricQuery) + "\" failed unexpectedly: "
                + thrown);
    }

    /** {@code status} with its description cut to {@value #MAX_DESCRIPTION} characters. */
    static Status bounded(Status status) {
        String description = status.getDescription();
        if (description == null || description.length() <= MAX_DESCRIPTION) {
            return status;
        }
        return status.withDescription(description.substring(0, MAX_DESCRIPTION) + "…");
    }
}
