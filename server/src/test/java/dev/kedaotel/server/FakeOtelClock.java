package dev.kedaotel.server;

import io.opentelemetry.sdk.common.Clock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A settable clock for the OpenTelemetry SDK, so exported timestamps are exact and repeatable. */
final class FakeOtelClock implements Clock {
    private final AtomicLong nowNanos;

    FakeOtelClock(long startMs) {
        nowNanos = new AtomicLong(TimeUnit.MILLISECONDS.toNanos(startMs));
    }

    void advanceMs(long ms) {
        nowNanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    long nowMs() {
        return TimeUnit.NANOSECONDS.toMillis(nowNanos.get());
    }

    @Override
    public long now() {
        return nowNanos.get();
    }

    @Override
    public long nanoTime() {
        return nowNanos.get();
    }
}
