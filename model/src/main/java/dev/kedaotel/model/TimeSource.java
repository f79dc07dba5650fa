package dev.kedaotel.model;

/**
 * The service's one source of time, handed to every component by the composition root (as Caffeine
 * takes its {@code Ticker}), so that nothing reads the system clock on its own and tests and the
 * simulator can drive time by hand ({@link ManualTimeSource}).
 *
 * <p>Two clocks, because they answer different questions: {@link #wallMillis()} is epoch time, the
 * time of samples, retention and evaluation ("what is in the window now?"); {@link #monotonicNanos()}
 * only measures elapsed time (deadlines, ageing periods) and never jumps when the wall clock is set.
 * Implementations must be thread-safe and cheap: both are read on hot paths.
 */
public interface TimeSource {
    /** Epoch milliseconds. */
    long wallMillis();

    /** Nanoseconds from an arbitrary origin, never decreasing; only differences mean anything. */
    long monotonicNanos();

    /**
     * A source driven by a wall-clock function, its monotonic clock following the wall clock (ms × 10^6):
     * for tests and replays that only ever set the time of day. Never use it with the system clock.
     */
    static TimeSource wallClock(java.util.function.LongSupplier wallMillis) {
        return new TimeSource() {
            @Override
            public long wallMillis() {
                return wallMillis.getAsLong();
            }

            @Override
            public long monotonicNanos() {
                return wallMillis.getAsLong() * 1_000_000L;
            }
        };
    }

    /** The system clocks: {@link System#currentTimeMillis()} and {@link System#nanoTime()}. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}

/** The system clocks; a singleton so that the JIT sees one receiver type in production. */
final class SystemTimeSource implements TimeSource {
    static final SystemTimeSource INSTANCE = new SystemTimeSource();

    private SystemTimeSource() {
    }

    @Override
    public long wallMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }
}
