package dev.kedaotel.receiver;

/**
 * The request bytes are not a well-formed {@code ExportMetricsServiceRequest}. Checked on purpose: every
 * caller must turn it into INVALID_ARGUMENT / HTTP 400, and nothing of the request has been stored when
 * it is thrown (the structure is validated before any point is written).
 */
public final class MalformedOtlpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public MalformedOtlpException(String what, int offset) {
        super("malformed OTLP request: " + what + " at byte offset " + offset);
        this.offset = offset;
    }

    /** Byte offset in the request where the problem was found. */
    public int offset() {
        return offset;
    }
}
