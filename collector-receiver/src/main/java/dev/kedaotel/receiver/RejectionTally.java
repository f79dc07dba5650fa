package dev.kedaotel.receiver;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Per-request counts of received and rejected data points by {@link RejectReason}, with one example
 * metric name per reason for the partial-success message. Reused by one ingest worker across requests;
 * it allocates only when a point is rejected (the example name, once per reason per request).
 */
final class RejectionTally {
    private long received;
    private long rejectedTotal;
    private final long[] rejected = new long[RejectReason.COUNT];
    private final String[] examples = new String[RejectReason.COUNT];
    /** target_info series not stored (not data points: reported in the message only), the first reason and resource. */
    private long targetInfoRejected;
    private int targetInfoReason;
    private String targetInfoExample;

    void reset() {
        received = 0;
        rejectedTotal = 0;
        targetInfoRejected = 0;
        targetInfoExample = null;
        Arrays.fill(rejected, 0);
        Arrays.fill(examples, null);
    }

    void received(long points) {
        received += points;
    }

    /** Counts {@code points} rejected for {@code reason}; the metric name bytes are copied only for the first. */
    void reject(int reason, long points, byte[] buf, int nameOff, int nameLen) {
        rejected[reason] += points;
        rejectedTotal += points;
        if (examples[reason] == null) {
            examples[reason] = new String(buf, nameOff, nameLen, StandardCharsets.UTF_8);
        }
    }

    /**
     * A resource's {@code target_info} could not be stored for {@code reason} (a label limit): the
     * resource's points were, so the export reports it as a warning (partial success with no rejected
     * data points, or added to the rejections' message). {@code resource} describes it, e.g. its job.
     */
    void rejectTargetInfo(int reason, String resource) {
        if (targetInfoRejected++ == 0) {
            targetInfoReason = reason;
            targetInfoExample = resource;
        }
    }

    long targetInfoRejected() {
        return targetInfoRejected;
    }

    long received() {
        return received;
    }

    long rejected() {
        return rejectedTotal;
    }

    long rejected(int reason) {
        return rejected[reason];
    }

    /**
     * English summary, e.g. {@code 2 data points rejected: 2 out_of_order (e.g. metric "foo")}, then any
     * {@code target_info} not stored; "" when none.
     */
    String message() {
        if (rejectedTotal == 0 && targetInfoRejected == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        if (rejectedTotal != 0) {
            appendRejections(sb);
        }
        if (targetInfoRejected != 0) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(targetInfoRejected).append(" target_info series not stored: ")
                    .append(RejectReason.describe(targetInfoReason)).append(" (e.g. ").append(targetInfoExample).append(')');
        }
        return sb.toString();
    }

    private void appendRejections(StringBuilder sb) {
        sb.append(rejectedTotal).append(rejectedTotal == 1 ? " data point rejected: " : " data points rejected: ");
        boolean first = true;
        for (int r = 0; r < RejectReason.COUNT; r++) {
            if (rejected[r] == 0) {
                continue;
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(rejected[r]).append(' ').append(RejectReason.describe(r))
                    .append(" (e.g. metric \"").append(examples[r]).append("\")");
        }
    }
}
