package dev.kedaotel.query.eval;

import java.util.Locale;

/** The functions evaluated over a range vector, resolved once per call so per-series dispatch is a switch on an enum. */
enum RangeFunction {
    RATE(2), INCREASE(2), DELTA(2), IRATE(2), IDELTA(2), DERIV(2), PREDICT_LINEAR(2), HOLT_WINTERS(2),
    RESETS(1), CHANGES(1),
    AVG_OVER_TIME(1), MIN_OVER_TIME(1), MAX_OVER_TIME(1), SUM_OVER_TIME(1), COUNT_OVER_TIME(1), LAST_OVER_TIME(1),
    PRESENT_OVER_TIME(1), STDDEV_OVER_TIME(1), STDVAR_OVER_TIME(1), QUANTILE_OVER_TIME(1), ABSENT_OVER_TIME(1),
    KEDIFY_RATE(1);

    /** Fewer samples in the window yield no output element for that series. */
    final int minSamples;

    RangeFunction(int minSamples) {
        this.minSamples = minSamples;
    }

    static RangeFunction of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
