package dev.kedaotel.model;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TimeSource} that moves only when told to: tests of deadlines, retention and ageing advance
 * it instead of sleeping, so they neither flake on a loaded machine nor wait; the scaling simulator
 * replays recorded histories with it. Both clocks move together by {@link #advanceMillis}. Optionally
 * every read of the monotonic clock advances it by a fixed step ({@link #autoAdvanceNanos}), which
 * makes "a query that runs too long" deterministic: the n-th deadline check sees n steps elapsed.
 * Thread-safe.
 */
public final class ManualTimeSource implements TimeSource {
    private final AtomicLong wallMillis;
    private final AtomicLong nanos = new AtomicLong();
    private volatile long autoAdvanceNanos;

    public ManualTimeSource(long startWallMillis) {
        this.wallMillis = new AtomicLong(startWallMillis);
    }

    @Override
    public long wallMillis() {
        return wallMillis.get();
    }

    @Override
    public long monotonicNanos() {
        long step = autoAdvanceNanos;
        return step == 0 ? nanos.get() : nanos.addAndGet(step);
    }

    /** Moves both clocks forward by {@code ms} (which must not be negative). */
    public ManualTimeSource advanceMillis(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("time only moves forward, got " + ms + " ms");
        }
        wallMillis.addAndGet(ms);
        nanos.addAndGet(ms * 1_000_000L);
        return this;
    }

    /** Sets the wall clock, e.g. to the start of a recorded history; the monotonic clock is unchanged. */
    public ManualTimeSource setWallMillis(long epochMs) {
        wallMillis.set(epochMs);
        return this;
    }

    /** From now on every {@link #monotonicNanos()} read first advances the monotonic clock by {@code step}. */
    public ManualTimeSource autoAdvanceNanos(long step) {
        this.autoAdvanceNanos = step;
        return this;
    }
}
