package dev.kedaotel.server.ui;

/**
 * Points stored per second over the last minute, for the status page: derived from the receiver's
 * monotonic "points stored" counter, sampled about once a second by the composition root's maintenance
 * thread ({@link #sample}). The rate is (newest − oldest) / (their time apart) over the samples of the last
 * {@value #WINDOW_MS} ms, like PromQL's {@code rate()} without extrapolation; a counter that went backwards
 * (it never does; a restart makes a new object) would give no rate rather than a negative one.
 *
 * <p>Bounded: a ring of {@value #SLOTS} samples. Samples less than {@value #MIN_SPACING_MS} ms after the
 * previous one are ignored, so the clock decides the spacing, not how often the sampler runs (a frozen test
 * clock keeps one sample).
 *
 * <p>Thread-safe: the maintenance thread writes and HTTP workers read under this object's lock (a few fields).
 */
public final class IngestRate {
    static final long WINDOW_MS = 60_000;
    static final long MIN_SPACING_MS = 900;
    private static final int SLOTS = 70;

    private final long[] atMs = new long[SLOTS];
    private final long[] counts = new long[SLOTS];
    private int size;
    private int newest = -1;

    /** Records the counter's value {@code count} at {@code nowMs} (maintenance thread). */
    public synchronized void sample(long nowMs, long count) {
        if (newest >= 0 && nowMs - atMs[newest] < MIN_SPACING_MS) {
            return;
        }
        newest = (newest + 1) % SLOTS;
        atMs[newest] = nowMs;
        counts[newest] = count;
        size = Math.min(size + 1, SLOTS);
    }

    /** Points per second over the last minute of samples, or NaN until two samples at least a second apart exist. */
    public synchronized double perSecond() {
        if (size < 2) {
            return Double.NaN;
        }
        int oldest = newest;
        for (int k = 1; k < size; k++) {
            int i = Math.floorMod(newest - k, SLOTS);
            if (atMs[newest] - atMs[i] > WINDOW_MS) {
                break;
            }
            oldest = i;
        }
        long dt = atMs[newest] - atMs[oldest];
        long dc = counts[newest] - counts[oldest];
        return dt <= 0 || dc < 0 ? Double.NaN : dc * 1000.0 / dt;
    }
}
