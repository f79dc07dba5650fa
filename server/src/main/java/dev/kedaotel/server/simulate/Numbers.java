package dev.kedaotel.server.simulate;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Number text for the table and the chart: at most three decimals, no trailing zeros, never locale-dependent. */
final class Numbers {
    private Numbers() {
    }

    static String format(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        BigDecimal d = BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }
}
