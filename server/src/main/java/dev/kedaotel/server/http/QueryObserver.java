package dev.kedaotel.server.http;

/**
 * What {@link PrometheusApi} reports about each PromQL query it answers, for the self-metrics' latency
 * histograms and failure counters (implemented in {@code server.metrics}; this package knows no Micrometer).
 * Called on the query thread once the answer is written: must be quick, thread-safe and not allocate.
 */
public interface QueryObserver {
    QueryObserver NONE = (endpoint, nanos, errorType) -> { };

    /** The query endpoints, by their Prometheus path's last segment. */
    enum Endpoint {
        QUERY("query"), QUERY_RANGE("query_range");

        private final String label;

        Endpoint(String label) {
            this.label = label;
        }

        /** The {@code endpoint} label value: {@code query} or {@code query_range}. */
        public String label() {
            return label;
        }
    }

    /** Prometheus' errorType values a query can fail with ({@code internal}: something escaped the handler). */
    java.util.List<String> ERROR_TYPES = java.util.List.of("bad_data", "timeout", "canceled", "execution", "internal");

    /**
     * @param nanos from the handler's start to the answer written, on the service's monotonic clock
     * @param errorType one of {@link #ERROR_TYPES}, or null when the query succeeded
     */
    void onQuery(Endpoint endpoint, long nanos, String errorType);
}
