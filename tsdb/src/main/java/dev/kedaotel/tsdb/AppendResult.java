package dev.kedaotel.tsdb;

/**
 * Outcomes of appending one sample. Plain int codes so the hot path returns without allocating;
 * {@link #describe(int)} gives the reason text used in OTLP partial-success messages and metrics.
 */
public final class AppendResult {
    /** Stored. */
    public static final int APPENDED = 0;
    /** Same timestamp as the series' latest sample (exporter retry): ignored, not an error. */
    public static final int DUPLICATE = 1;
    /** Older than the series' latest sample: counted and dropped. */
    public static final int OUT_OF_ORDER = 2;
    /** Older than now minus the retention window: dropped. */
    public static final int TOO_OLD = 3;
    /** The series did not exist and the store is at its series limit: dropped. */
    public static final int SERIES_LIMIT = 4;

    public static final int COUNT = 5;

    private static final String[] REASONS = {"appended", "duplicate", "out_of_order", "too_old", "series_limit"};

    private AppendResult() {
    }

    /** The reason label, e.g. {@code out_of_order}. */
    public static String describe(int code) {
        return code >= 0 && code < REASONS.length ? REASONS[code] : "unknown_" + code;
    }

    /** True for outcomes that reject data (everything except APPENDED and DUPLICATE). */
    public static boolean isRejection(int code) {
        return code != APPENDED && code != DUPLICATE;
    }
}
