package dev.kedaotel.model;

/**
 * The OTLP metric kinds that naming and metadata tell apart, with the type Prometheus' metadata API
 * reports for each (as Prometheus' OTLP translator maps them: a monotonic sum is a counter whatever its
 * temporality, a non-monotonic one a gauge, both histogram kinds histograms).
 */
public enum OtlpMetricType {
    GAUGE("gauge"),
    MONOTONIC_COUNTER("counter"),
    NON_MONOTONIC_COUNTER("gauge"),
    HISTOGRAM("histogram"),
    EXPONENTIAL_HISTOGRAM("histogram"),
    SUMMARY("summary"),
    UNKNOWN("unknown");

    private final String prometheusType;

    OtlpMetricType(String prometheusType) {
        this.prometheusType = prometheusType;
    }

    /** {@code counter}, {@code gauge}, {@code histogram}, {@code summary} or {@code unknown}. */
    public String prometheusType() {
        return prometheusType;
    }
}
