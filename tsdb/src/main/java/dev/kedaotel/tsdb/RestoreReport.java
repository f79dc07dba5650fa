package dev.kedaotel.tsdb;

import java.nio.file.Path;

/**
 * What opening a {@link TimeSeriesStore} on its data directory found and did (see
 * {@link TimeSeriesStore#restoreReport()}). Immutable.
 *
 * <p>{@link #completeSinceMs()} is the wall-clock millisecond since which the store's window holds every
 * sample it was sent: the time a fresh store (or one whose data was moved aside or lost) was opened, and
 * for a restored store the value persisted by the store it restores (kept across any number of
 * restarts), unless nothing at all could be restored (every series aged out while the process was
 * down): then the opening time, as for a fresh store.
 */
public final class RestoreReport {
    /** What was found. */
    public enum Outcome {
        /** No data directory configured: persistence is off. */
        DISABLED,
        /** An empty (or new) data directory: nothing to restore. */
        FRESH,
        /** The window was restored from the data directory. */
        RESTORED,
        /** The data directory's contents were corrupt or incompatible: moved aside, the store starts empty. */
        MOVED_ASIDE
    }

    private final Outcome outcome;
    private final String reason;
    private final Path dataDirectory;
    private final Path movedAsideTo;
    private final int seriesRestored;
    private final long samplesRestored;
    private final int seriesDroppedAgedOut;
    private final int seriesDroppedDamaged;
    private final long blocksRestored;
    private final long durationMs;
    private final long completeSinceMs;

    RestoreReport(Outcome outcome, String reason, Path dataDirectory, Path movedAsideTo, int seriesRestored,
                  long samplesRestored, int seriesDroppedAgedOut, int seriesDroppedDamaged, long blocksRestored,
                  long durationMs, long completeSinceMs) {
        this.outcome = outcome;
        this.reason = reason == null ? "" : reason;
        this.dataDirectory = dataDirectory;
        this.movedAsideTo = movedAsideTo;
        this.seriesRestored = seriesRestored;
        this.samplesRestored = samplesRestored;
        this.seriesDroppedAgedOut = seriesDroppedAgedOut;
        this.seriesDroppedDamaged = seriesDroppedDamaged;
        this.blocksRestored = blocksRestored;
        this.durationMs = durationMs;
        this.completeSinceMs = completeSinceMs;
    }

    static RestoreReport disabled(long nowMs) {
        return new RestoreReport(Outcome.DISABLED, "", null, null, 0, 0, 0, 0, 0, 0, nowMs);
    }

    public Outcome outcome() {
        return outcome;
    }

    /** Whether a window was restored (outcome {@link Outcome#RESTORED}). */
    public boolean restored() {
        return outcome == Outcome.RESTORED;
    }

    /** Why the contents were moved aside, or what was cut off; empty when there is nothing to say. */
    public String reason() {
        return reason;
    }

    /** The data directory (absolute), or null when persistence is off. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Where bad contents were moved (inside the data directory), or null. */
    public Path movedAsideTo() {
        return movedAsideTo;
    }

    public int seriesRestored() {
        return seriesRestored;
    }

    public long samplesRestored() {
        return samplesRestored;
    }

    /** Series whose newest sample was older than the retention window at restore. */
    public int seriesDroppedAgedOut() {
        return seriesDroppedAgedOut;
    }

    /**
     * Series the journal lists that could not be restored: header or chain damaged or in a file that is
     * missing (persistence was degraded, or the node lost unwritten pages), or beyond the series cap.
     */
    public int seriesDroppedDamaged() {
        return seriesDroppedDamaged;
    }

    /** Sample blocks the restored chains hold. */
    public long blocksRestored() {
        return blocksRestored;
    }

    /** Wall time opening the data directory took (restore included), in milliseconds. */
    public long durationMs() {
        return durationMs;
    }

    /** See the class documentation. */
    public long completeSinceMs() {
        return completeSinceMs;
    }

    /** One line for the log. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("store ").append(outcome.name().toLowerCase(java.util.Locale.ROOT));
        if (dataDirectory != null) {
            s.append(" (").append(dataDirectory).append(')');
        }
        s.append(": ").append(seriesRestored).append(" series, ").append(samplesRestored).append(" samples restored, ")
                .append(seriesDroppedAgedOut).append(" aged out, ").append(seriesDroppedDamaged).append(" damaged, in ")
                .append(durationMs).append(" ms; complete since ").append(java.time.Instant.ofEpochMilli(completeSinceMs));
        if (movedAsideTo != null) {
            s.append("; contents moved to ").append(movedAsideTo);
        }
        if (!reason.isEmpty()) {
            s.append("; ").append(reason);
        }
        return s.toString();
    }
}
