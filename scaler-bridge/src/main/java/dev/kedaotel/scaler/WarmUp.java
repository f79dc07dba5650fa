package dev.kedaotel.scaler;

import java.time.Instant;

/**
 * The warm-up gate: whether the window holds everything a query reads, so that its answer is the one
 * a server that never restarted would give. After a start that could not restore the window, the
 * store holds only what was received since {@link #completeSinceMs()}; a query reading further back
 * than that would answer from the pods that happened to re-push so far — a low value, a scale-down of
 * a loaded workload. So a query's answer is withheld (GetMetrics and IsActive answer
 * {@code UNAVAILABLE}, StreamIsActive sends nothing yet) until
 * <pre>  now − min(span, period) ≥ completeSince</pre>
 * where {@code span} is how far back the query reads ({@link dev.kedaotel.query.ast.QuerySpan}, at
 * most the retention window) and {@code period} the configured warm-up ({@code METRIC_STORE_WARM_UP_SECONDS},
 * default the retention window, at most the retention window).
 *
 * <p><b>Why the span, and why that is enough.</b> A query evaluated at {@code t} reads samples stamped
 * in {@code [t − span, t]}. Once {@code t − span ≥ completeSince}, every sample it reads was sent while
 * this server was receiving, so it reads what an always-up server would (less what exporters failed to
 * deliver to either). Before that, part of its window fell in the gap and is missing here.
 * <ul>
 *   <li>kedify's {@code last_one} compiles to {@code last_over_time(x[retention])}: a pod is in the answer
 *       while it has a sample in the last retention window. A pod exporting every {@code e} seconds
 *       reappears after {@code e}, but the server cannot know {@code e}; a pod exporting just under once
 *       per window is in the always-up server's answer and reappears here only a full window after the
 *       start. So last_one, like every kedify operation, waits the retention window.</li>
 *   <li>A window function ({@code rate}, {@code avg_over_time} over {@code [r]}) needs its whole range:
 *       a rate over half a range is a different rate. {@code rate(x[30s])} is warm after 30 s.</li>
 *   <li>An instant selector ({@code sum(x)}) reads the lookback delta ({@code LOOKBACK_DELTA_SECONDS},
 *       default the retention window, at most 5 minutes).</li>
 * </ul>
 * The period caps every query's wait: an operator who knows that every exporter sends at least every
 * 15 s can set it to 15 s (or 0, no warm-up) and accept the risk that a slower exporter is missing for
 * a while. A period longer than the retention window gains nothing (after one window every sample in
 * the store arrived after the start), so it is capped there.
 *
 * <p>The process-wide warm-up ({@link #remainingMs(long)}, the full period) is what readiness reports:
 * once it is over every query is warm. {@code /memstore/reset} does not restart it: the reset is an
 * operator's or a test's deliberate act, and the window is complete again for whatever is sent next.
 *
 * <p>Immutable and thread-safe: {@code completeSinceMs} is known when the store has been opened (the
 * start time, or what a restored store reports) and does not change afterwards.
 */
public final class WarmUp {
    /** No warm-up: every answer is reported at once (a restored window, or tests of something else). */
    public static final WarmUp NONE = new WarmUp(Long.MIN_VALUE / 2, 0);

    private final long completeSinceMs;
    private final long periodMs;

    /**
     * @param completeSinceMs the wall-clock time since which the store's window is complete: the start
     *     time after a fresh start, the restored store's own value after a restore
     * @param periodMs the longest warm-up ({@code METRIC_STORE_WARM_UP_SECONDS}, already capped at the
     *     retention window by the caller); 0 = none
     */
    public WarmUp(long completeSinceMs, long periodMs) {
        if (periodMs < 0) {
            throw new IllegalArgumentException("warm-up period must not be negative, got " + periodMs + " ms");
        }
        this.completeSinceMs = completeSinceMs;
        this.periodMs = periodMs;
    }

    public long completeSinceMs() {
        return completeSinceMs;
    }

    public long periodMs() {
        return periodMs;
    }

    /** Milliseconds until the whole warm-up is over at {@code nowMs} (0 once it is): readiness. */
    public long remainingMs(long nowMs) {
        return remainingMs(periodMs, nowMs);
    }

    /**
     * Milliseconds until a query reading {@code spanMs} back answers from a complete window, at
     * {@code nowMs}; 0 when it does.
     */
    public long remainingMs(long spanMs, long nowMs) {
        long warmAt = warmAtMs(spanMs);
        return nowMs >= warmAt ? 0 : warmAt - nowMs;
    }

    /**
     * When a query reading {@code spanMs} back becomes warm: answers evaluated from then on are reported,
     * earlier ones never (callers ask the standing query for an answer evaluated no earlier than this).
     */
    public long warmAtMs(long spanMs) {
        return completeSinceMs + Math.min(Math.max(0, spanMs), periodMs);
    }

    /** Whether the whole warm-up is over at {@code nowMs}. */
    public boolean complete(long nowMs) {
        return remainingMs(nowMs) == 0;
    }

    /** Whole seconds, rounded up, for messages and the self-metric: 0.2 s left is "1 s", not "0 s". */
    public static long seconds(long ms) {
        return (ms + 999) / 1000;
    }

    /** {@link #completeSinceMs()} as an ISO-8601 instant, for messages. */
    public String completeSinceText() {
        return Instant.ofEpochMilli(completeSinceMs).toString();
    }
}
