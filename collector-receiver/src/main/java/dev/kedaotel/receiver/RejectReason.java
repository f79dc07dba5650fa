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
    /** Size of arrays indexed by reason (indices of non-rejecting AppendResult codes stay unused). */
    public static final int COUNT = AppendResult.COUNT + 2;

    private RejectReason() {
    }

    public static String describe(int reason) {
        if (reason == NO_METRIC_TYPE) {
            return "no_metric_type";
        }
        if (reason == EMPTY_METRIC_NAME) {
            return "empty_metric_name";
        }
        return AppendResult.describe(reason);
    }

    /** True for the codes that count as rejections. */
    public static boolean isRejection(int reason) {
        return reason >= NO_METRIC_TYPE || (reason >= 0 && AppendResult.isRejection(reason));
    }
}
