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

    public static final int COUNT = 11;

    private static final String[] REASONS = {"appended", "duplicate", "out_of_order", "too_old", "series_limit",
            "too_many_labels", "label_name_too_long", "label_value_too_long", "series_per_metric_limit",
            "too_far_in_future", "stale_symbol"};

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
