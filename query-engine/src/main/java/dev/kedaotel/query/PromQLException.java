package dev.kedaotel.query;

/**
 * A query that could not be parsed or evaluated. {@link #getMessage()} is worded like Prometheus
 * (parse errors read {@code "1:14: parse error: unexpected right parenthesis ')'"}), so the HTTP API can
 * pass it through unchanged; {@link #kind()} picks the API's {@code errorType}.
 */
public final class PromQLException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The query text is invalid (parse or type error, bad parameter): HTTP 400 "bad_data". */
        BAD_DATA,
        /** Evaluation failed (e.g. many-to-many matching, too many samples): HTTP 422 "execution". */
        EXECUTION,
        /** The query ran past its deadline: HTTP 503 "timeout". */
        TIMEOUT,
        /** The evaluating thread was interrupted: HTTP 503 "canceled". */
        CANCELED
    }

    private final Kind kind;

    public PromQLException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static PromQLException execution(String message) {
        return new PromQLException(Kind.EXECUTION, message);
    }

    public static PromQLException badData(String message) {
        return new PromQLException(Kind.BAD_DATA, message);
    }
}
