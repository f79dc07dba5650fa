package dev.kedaotel.query.eval;

import java.util.Arrays;

/**
 * Pure functions over one series' window of samples (parallel arrays, oldest first, staleness markers
 * already removed), with Prometheus 2.42's exact arithmetic. Callers guarantee the minimum sample count
 * noted on each method. Allocation-free except {@link #quantile}, which sorts into a caller's scratch.
 */
final class RangeMath {
    private RangeMath() {
    }

    /**
     * rate/increase/delta (n ≥ 2): the change over the window, counter resets compensated for counters,
     * extrapolated towards the window edges by at most 1.1 average sample intervals (else half an
     * interval), never to below zero for counters; divided by the range for rate.
     */
    static double extrapolatedRate(long[] ts, double[] v, int n, long rangeStartMs, long rangeEndMs, long rangeMs,
                                   boolean isCounter, boolean isRate) {
        double result = v[n - 1] - v[0];
        if (isCounter) {
            double last = 0;
            for (int i = 0; i < n; i++) {
                if (v[i] < last) {
                    result += last;
                }
                last = v[i];
            }
        }
        double durationToStart = (ts[0] - rangeStartMs) / 1000.0;
        double durationToEnd = (rangeEndMs - ts[n - 1]) / 1000.0;
        double sampledInterval = (ts[n - 1] - ts[0]) / 1000.0;
        double averageInterval = sampledInterval / (n - 1);
        if (isCounter && result > 0 && v[0] >= 0) {
            // A counter cannot go below zero: do not extrapolate further back than where it would hit zero.
            double durationToZero = sampledInterval * (v[0] / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        double threshold = averageInterval * 1.1;
        double extrapolateTo = sampledInterval;
        extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2;
        extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2;
        result = result * (extrapolateTo / sampledInterval);
        if (isRate) {
            result = result / (rangeMs / 1000.0);
        }
        return result;
    }

    /** irate/idelta from the last two samples (n ≥ 2) into {@code out[0]}; false when both share a timestamp. */
    static boolean instantValue(long[] ts, double[] v, int n, boolean isRate, double[] out) {
        double last = v[n - 1];
        double prev = v[n - 2];
        double result = isRate && last < prev ? last : last - prev;
        long interval = ts[n - 1] - ts[n - 2];
        if (interval == 0) {
            return false;
        }
        if (isRate) {
            result /= interval / 1000.0;
        }
        out[0] = result;
        return true;
    }

    /** kedify's rate: increases between consecutive samples, a drop adds the new value; per second of span. */
    static double kedifyRate(long[] ts, double[] v, int n) {
        if (n < 2 || ts[n - 1] <= ts[0]) {
            return 0;
        }
        double sum = 0;
        for (int i = 1; i < n; i++) {
            sum += v[i] >= v[i - 1] ? v[i] - v[i - 1] : v[i];
        }
        return sum / ((ts[n - 1] - ts[0]) / 1000.0);
    }

    static double resets(double[] v, int n) {
        int count = 0;
        for (int i = 1; i < n; i++) {
            if (v[i] < v[i - 1]) {
                count++;
            }
        }
        return count;
    }

    static double changes(double[] v, int n) {
        int count = 0;
        for (int i = 1; i < n; i++) {
            double cur = v[i];
            double prev = v[i - 1];
            if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
                count++;
            }
        }
        return count;
    }

    /** Least-squares slope and intercept at {@code interceptMs} (n ≥ 2); out = {slope, intercept}. */
    static void linearRegression(long[] ts, double[] v, int n, long interceptMs, double[] out) {
        double initY = v[0];
        boolean constY = true;
        double sx = 0, cx = 0, sy = 0, cy = 0, sxy = 0, cxy = 0, sx2 = 0, cx2 = 0;
        for (int i = 0; i < n; i++) {
            if (constY && i > 0 && v[i] != initY) {
                constY = false;
            }
            double x = (ts[i] - interceptMs) / 1e3;
            double y = v[i];
            // Kahan-Babuska compensated sums, written out so the loop allocates nothing.
            double t = sx + x;
            cx += Math.abs(sx) >= Math.abs(x) ? (sx - t) + x : (x - t) + sx;
            sx = t;
            t = sy + y;
            cy += Math.abs(sy) >= Math.abs(y) ? (sy - t) + y : (y - t) + sy;
            sy = t;
            double xy = x * y;
            t = sxy + xy;
            cxy += Math.abs(sxy) >= Math.abs(xy) ? (sxy - t) + xy : (xy - t) + sxy;
            sxy = t;
            double xx = x * x;
            t = sx2 + xx;
            cx2 += Math.abs(sx2) >= Math.abs(xx) ? (sx2 - t) + xx : (xx - t) + sx2;
            sx2 = t;
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                out[0] = Double.NaN;
                out[1] = Double.NaN;
            } else {
                out[0] = 0;
                out[1] = initY;
            }
            return;
        }
        sx += cx;
        sy += cy;
        sxy += cxy;
        sx2 += cx2;
        double covXY = sxy - sx * sy / n;
        double varX = sx2 - sx * sx / n;
        double slope = covXY / varX;
        out[0] = slope;
        out[1] = sy / n - slope * sx / n;
    }

    static double sum(double[] v, int n) {
        double sum = 0;
        double c = 0;
        for (int i = 0; i < n; i++) {
            double x = v[i];
            double t = sum + x;
            if (Math.abs(sum) >= Math.abs(x)) {
                c += (sum - t) + x;
            } else {
                c += (x - t) + sum;
            }
            sum = t;
        }
        return Double.isInfinite(sum) ? sum : sum + c;
    }

    /** Incremental mean that stays finite for large values (Prometheus' avg_over_time). */
    static double avg(double[] v, int n) {
        double mean = 0;
        double c = 0;
        double count = 0;
        for (int i = 0; i < n; i++) {
            count++;
            double x = v[i];
            if (Double.isInfinite(mean)) {
                if (Double.isInfinite(x) && (mean > 0) == (x > 0)) {
                    continue;
                }
                if (!Double.isInfinite(x) && !Double.isNaN(x)) {
                    continue;
                }
            }
            double inc = x / count - mean / count;
            double t = mean + inc;
            if (Math.abs(mean) >= Math.abs(inc)) {
                c += (mean - t) + inc;
            } else {
                c += (inc - t) + mean;
            }
            mean = t;
        }
        return Double.isInfinite(mean) ? mean : mean + c;
    }

    static double min(double[] v, int n) {
        double m = v[0];
        for (int i = 1; i < n; i++) {
            if (v[i] < m || Double.isNaN(m)) {
                m = v[i];
            }
        }
        return m;
    }

    static double max(double[] v, int n) {
        double m = v[0];
        for (int i = 1; i < n; i++) {
            if (v[i] > m || Double.isNaN(m)) {
                m = v[i];
            }
        }
        return m;
    }

    /** Population variance with compensated Welford updates. */
    static double stdvar(double[] v, int n) {
        double count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
        for (int i = 0; i < n; i++) {
            count++;
            double delta = v[i] - (mean + cMean);
            double inc = delta / count;
            double t = mean + inc;
            cMean += Math.abs(mean) >= Math.abs(inc) ? (mean - t) + inc : (inc - t) + mean;
            mean = t;
            inc = delta * (v[i] - (mean + cMean));
            t = aux + inc;
            cAux += Math.abs(aux) >= Math.abs(inc) ? (aux - t) + inc : (inc - t) + aux;
            aux = t;
        }
        return (aux + cAux) / count;
    }

    /** Prometheus' quantile with linear interpolation; sorts {@code values[0..n)} in place. */
    static double quantile(double q, double[] values, int n) {
        if (n == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        sortNaNFirst(values, n);
        double rank = q * (n - 1);
        double lower = Math.max(0, Math.floor(rank));
        double upper = Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
    }

    /**
     * Prometheus sorts quantile inputs with a "less" that calls NaN smaller than everything, so NaNs
     * come first and take part in the rank interpolation (Java's sort would put them last).
     */
    private static void sortNaNFirst(double[] values, int n) {
        int nans = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(values[i])) {
                values[i] = values[nans];
                values[nans++] = Double.NaN;
            }
        }
        Arrays.sort(values, nans, n);
    }

    /** Double exponential smoothing (n ≥ 2). */
    static double holtWinters(double[] v, int n, double sf, double tf) {
        double s0 = 0;
        double s1 = v[0];
        double b = v[1] - v[0];
        for (int i = 1; i < n; i++) {
            double x = sf * v[i];
            if (i > 1) {
                b = tf * (s1 - s0) + (1 - tf) * b;
            }
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        return s1;
    }
}
