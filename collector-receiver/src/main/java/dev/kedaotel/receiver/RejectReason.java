package dev.kedaotel.receiver;

import dev.kedaotel.tsdb.AppendResult;

/**
 * Why a data point was not stored: the store's rejection codes ({@link AppendResult}) plus the
 * receiver's own for metrics that cannot be mapped. Int codes so tallies are plain arrays.
 */
public final class RejectReason {
    /** The metric has none of gauge/sum/histogram/exponential_histogram/summary set. */
    public static final int NO_METRIC_TYPE = AppendResult.COUNT;
    /** The metric's name is empty. */
    public static final int EMPTY_METRIC_NAME = AppendResult.COUNT + 1;
    /** An exponential histogram point's scale is outside OTLP's [-10, 20]. */
    public static final int EXP_HISTOGRAM_SCALE = AppendResult.COUNT + 2;
    /** An exponential histogram point's bucket counts are negative (over 2^63-1) or overflow when added up. */
    public static final int EXP_HISTOGRAM_COUNTS = AppendResult.COUNT + 3;
    /** An exponential histogram point's bucket counts add up to more than its count. */
    public static final int EXP_HISTOGRAM_COUNT_MISMATCH = AppendResult.COUNT + 4;
    /** An exponential histogram point has a populated bucket whose boundaries are not finite positive doubles. */
    public static final int EXP_HISTOGRAM_INDEX = AppendResult.COUNT + 5;
    /** Size of arrays indexed by reason (indices of non-rejecting AppendResult codes stay unused). */
    public static final int COUNT = AppendResult.COUNT + 6;

    private RejectReason() {
    }

    public static String describe(int reason) {
        if (reason == NO_METRIC_TYPE) {
            return "no_metric_type";
        }
        if (reason == EMPTY_METRIC_NAME) {
            return "empty_metric_name";
        }
        if (reason == EXP_HISTOGRAM_SCALE) {
            return "exponential_histogram_scale_out_of_range";
        }
        if (reason == EXP_HISTOGRAM_COUNTS) {
            return "exponential_histogram_bucket_count_overflow";
        }
        if (reason == EXP_HISTOGRAM_COUNT_MISMATCH) {
            return "exponential_histogram_buckets_exceed_count";
        }
        if (reason == EXP_HISTOGRAM_INDEX) {
            return "exponential_histogram_bucket_index_out_of_range";
        }
        return AppendResult.describe(reason);
    }

    /** True for the codes that count as rejections. */
    public static boolean isRejection(int reason) {
        return reason >= NO_METRIC_TYPE || (reason >= 0 && AppendResult.isRejection(reason));
    }
}
