package dev.kedaotel.receiver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the receiver since start, for the server to bind to Micrometer (this module has no
 * Micrometer dependency). Written by ingest threads with {@link LongAdder}s (contention-free), read at
 * any time by the metrics scraper; values are monotonic.
 *
 * <p>Data points are counted as OTLP data points (a histogram point is one point, however many series
 * it writes).
 *
 * <p>Export durations are not kept here: they go to the {@link ExportTimer} given to the constructor (the
 * server's histogram), measured by {@link OtlpIngestor} on its monotonic clock.
 */
public final class ReceiverStats {
    public enum Transport { GRPC, HTTP }

    /**
     * Receives the duration of every Export the ingestor handled: validation, decoding, appending and the
     * commit that makes the samples visible (not the network transfer nor reading the body). Called on the
     * ingest thread: must be quick, thread-safe and must not allocate.
     */
    @FunctionalInterface
    public interface ExportTimer {
        ExportTimer NONE = (transport, nanos) -> { };

        void record(Transport transport, long nanos);
    }

    private final ExportTimer exportTimer;

    private final LongAdder[] requests = adders(Transport.values().length);
    private final LongAdder pointsReceived = new LongAdder();
    private final LongAdder pointsStored = new LongAdder();
    private final LongAdder[] rejected = adders(RejectReason.COUNT);
    private final LongAdder malformedRequests = new LongAdder();
    private final LongAdder oversizedRequests = new LongAdder();

    /** Stats whose Export durations are not recorded. */
    public ReceiverStats() {
        this(ExportTimer.NONE);
    }

    public ReceiverStats(ExportTimer exportTimer) {
        this.exportTimer = exportTimer;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** Reason names that {@link #rejected(String)} knows, e.g. {@code out_of_order}. */
    public static List<String> rejectionReasons() {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < RejectReason.COUNT; r++) {
            if (RejectReason.isRejection(r)) {
                out.add(RejectReason.describe(r));
            }
        }
        return Collections.unmodifiableList(out);
    }

    public long requests(Transport transport) {
        return requests[transport.ordinal()].sum();
    }

    public long pointsReceived() {
        return pointsReceived.sum();
    }

    public long pointsStored() {
        return pointsStored.sum();
    }

    /** Points rejected for {@code reason} (one of {@link #rejectionReasons()}); 0 for unknown reasons. */
    public long rejected(String reason) {
        for (int r = 0; r < RejectReason.COUNT; r++) {
            if (RejectReason.isRejection(r) && RejectReason.describe(r).equals(reason)) {
                return rejected[r].sum();
            }
        }
        return 0;
    }

    public long malformedRequests() {
        return malformedRequests.sum();
    }

    /** Requests refused because they exceed the size limit (after decompression). */
    public long oversizedRequests() {
        return oversizedRequests.sum();
    }

    void recordOversized(Transport transport) {
        recordRequest(transport);
        oversizedRequests.increment();
    }

    void recordUnreadable(Transport transport) {
        recordRequest(transport);
        malformedRequests.increment();
    }

    void recordRequest(Transport transport) {
        requests[transport.ordinal()].increment();
    }

    void recordDuration(Transport transport, long nanos) {
        exportTimer.record(transport, nanos);
    }

    void recordMalformed() {
        malformedRequests.increment();
    }

    void record(RejectionTally tally) {
        pointsReceived.add(tally.received());
        pointsStored.add(tally.received() - tally.rejected());
        for (int r = 0; r < RejectReason.COUNT; r++) {
            long n = tally.rejected(r);
            if (n != 0) {
                rejected[r].add(n);
            }
        }
    }
}
