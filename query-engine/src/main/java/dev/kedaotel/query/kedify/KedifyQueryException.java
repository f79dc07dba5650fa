package dev.kedaotel.query.kedify;

/** A kedify {@code metricQuery} that cannot be compiled; the message names what and where (1-based column). */
public final class KedifyQueryException extends Exception {
    private static final long serialVersionUID = 1L;

    public KedifyQueryException(String message) {
        super(message);
    }
}
