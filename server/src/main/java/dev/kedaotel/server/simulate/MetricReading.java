package dev.kedaotel.server.simulate;

import java.util.OptionalDouble;

/**
 * What one read of a trigger gave at one instant: a value, or a failure (a missing point in the history).
 *
 * @param value empty when the read failed
 */
record MetricReading(OptionalDouble value) {
    static MetricReading of(double v) {
        return new MetricReading(OptionalDouble.of(v));
    }

    static MetricReading failed() {
        return new MetricReading(OptionalDouble.empty());
    }

    boolean ok() {
        return value.isPresent();
    }
}
