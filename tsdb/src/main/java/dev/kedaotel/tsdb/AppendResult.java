package dev.kedaotel.tsdb;

/**
 * Outcomes of appending one sample. Plain int codes so the hot path returns without allocating;
 * {@link #describe(int)} gives the reason text used in OTLP partial-success messages and metrics.
 */
public final class AppendResult {
    /** Stored. */
    public static final int APPENDED = 0;
    /**
     * Same timestamp as a sample the series holds, its latest or (within the out-of-order window) an older
     * one (exporter retry): ignored, not an error, whatever the value; the first sample stored wins.
     */
    public static final int DUPLICATE = 1;
    /**
     * Older than the series' latest sample by more than {@link StoreConfig#outOfOrderWindowMs()} (any older
     * sample when the window is 0, and any older delta sample): counted and dropped. A sample older by at
     * most the window is stored ({@link #APPENDED}).
     */
    public static final int OUT_OF_ORDER = 2;
    /** Older than now minus the retention window: dropped. */
    public static final int TOO_OLD = 3;
    /** The series did not exist and the store is at its series limit: dropped. */
    public static final int SERIES_LIMIT = 4;
    /** The series did not exist and its label set has more labels than {@link StoreConfig#maxLabelsPerSeries()}. */
    public static final int TOO_MANY_LABELS = 5;
    /** The series did not exist and a label name is longer than {@link StoreConfig#maxLabelNameLength()} UTF-8 bytes. */
    public static final int LABEL_NAME_TOO_LONG = 6;
    /** The series did not exist and a label value is longer than {@link StoreConfig#maxLabelValueLength()} UTF-8 bytes. */
    public static final int LABEL_VALUE_TOO_LONG = 7;
    /** The series did not exist and its metric already has {@link StoreConfig#maxSeriesPerMetric()} series. */
    public static final int SERIES_PER_METRIC_LIMIT = 8;
    /** The timestamp is more than {@link StoreConfig#maxFutureMs()} ahead of the store's wall clock. */
    public static final int TOO_FAR_IN_FUTURE = 9;
    /**
     * The series did not exist and a symbol of its label set was freed while the sample was on its way (an
     * ingest thread that held the id across the whole reuse grace period, see {@link SymbolTable}): dropped.
     */
    public static final int STALE_SYMBOL = 10;

    /**
     * Within the out-of-order window, but the series' out-of-order buffer holds
     * {@link StoreConfig#outOfOrderMaxSamplesPerSeries()} samples, or the store's buffers hold
     * {@link StoreConfig#outOfOrderMaxSamples()}: dropped.
     */
    public static final int OUT_OF_ORDER_FULL = 11;

    public static final int COUNT = 12;

    private static final String[] REASONS = {"appended", "duplicate", "out_of_order", "too_old", "series_limit",
            "too_many_labels", "label_name_too_long", "label_value_too_long", "series_per_metric_limit",
            "too_far_in_future", "stale_symbol", "out_of_order_buffer_full"};

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
