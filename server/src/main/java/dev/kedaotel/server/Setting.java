package dev.kedaotel.server;

/**
 * One configuration setting: its environment variable (kedify/otel-add-on's name where one exists),
 * the equivalent command-line flag, the embedded default, and what it means. The flag is derived
 * from the variable so the two can never drift apart: {@code METRIC_STORE_RETENTION_SECONDS} is
 * {@code --metric-store-retention-seconds}.
 */
public enum Setting {
    OTLP_RECEIVER_PORT("4317", "OTLP/gRPC receiver port (MetricsService/Export)."),
    KEDA_EXTERNAL_SCALER_PORT("4318", "KEDA external scaler gRPC port (KServe's default scalerAddress port)."),
    REST_API_PORT("9090", "HTTP port: Prometheus API (/api/v1/*), kedify's /memstore/* endpoints, OTLP/HTTP POST /v1/metrics, health."),
    INTERNAL_METRICS_PORT("8080", "Self-metrics port (Prometheus text on /metrics)."),
    METRIC_STORE_RETENTION_SECONDS("120", "Window kept in memory; series with no sample inside it are removed. Also the window of operationOverTime."),
    METRIC_STORE_MAX_SERIES("1000000", "Hard cap on live series; points that would create more are rejected (partial success)."),
    METRIC_STORE_MAX_SAMPLES_PER_SERIES("4096", "Ring capacity limit per series; a series pushed faster keeps only its newest samples."),
    METRIC_STORE_ERROR_IF_NOT_FOUND("false", "When no fresh series matches a ScaledObject's query, answer GetMetrics/IsActive with gRPC NOT_FOUND (lets KEDA's fallback act)."),
    METRIC_STORE_VALUE_IF_NOT_FOUND("0", "Value reported when no fresh series matches (and ERROR_IF_NOT_FOUND is false)."),
    METRIC_STORE_LAZY_SERIES("false", "Accepted for compatibility with kedify/otel-add-on; no effect (memory is bounded by retention and the series cap)."),
    METRIC_STORE_LAZY_AGGREGATES("false", "Accepted for compatibility with kedify/otel-add-on; no effect (aggregates are computed at query time)."),
    IS_ACTIVE_POLLING_INTERVAL_MS("", "If set, StreamIsActive also re-sends the current answer at this interval; unset = send only when the answer changes."),
    LOOKBACK_DELTA_SECONDS("", "PromQL lookback for instant selectors; default: the retention window, at most 300."),
    QUERY_TIMEOUT_SECONDS("120", "Deadline of one PromQL query through the HTTP API."),
    QUERY_MAX_SAMPLES("50000000", "Most samples one PromQL query may load."),
    STANDING_QUERY_AGEING_MS("1000", "How often answers of streamed ScaledObject queries are re-checked as samples age out of the window."),
    SCALED_OBJECT_IDLE_SECONDS("600", "A ScaledObject not asked about for this long (and without open streams) is forgotten."),
    OTLP_MAX_RECV_MSG_SIZE_BYTES("67108864", "Largest OTLP request accepted (after decompression), gRPC and HTTP."),
    OTLP_PROMOTE_RESOURCE_ATTRIBUTES("k8s.pod.name,k8s.namespace.name,k8s.deployment.name,k8s.statefulset.name,k8s.node.name,service.name,service.namespace,service.instance.id,host.name",
            "Resource attributes copied onto every series as labels (sanitised: k8s.pod.name -> k8s_pod_name)."),
    OTLP_SERIES_CACHE_SLOTS("262144", "Slots of the receiver's cache from a data point's raw attribute bytes to its series"
            + " (skips label building for series seen before; ~140 B of heap per cached series, bounded by this; 0 turns it off)."),
    OTLP_PROMOTE_JOB_INSTANCE("true", "Add Prometheus' job (service.namespace/service.name) and instance (service.instance.id) labels."),
    OTLP_TLS_CA_FILE("", "TLS for the OTLP receiver: not supported yet; setting it stops startup with an error rather than serving plaintext."),
    OTLP_TLS_CERT_FILE("", "See OTLP_TLS_CA_FILE."),
    OTLP_TLS_KEY_FILE("", "See OTLP_TLS_CA_FILE."),
    OTLP_CERTIFICATE_RELOAD_INTERVAL("5m", "Accepted for compatibility; used once TLS is supported."),
    KEDA_TLS_ENABLED("false", "TLS for the KEDA scaler port: not supported yet; true stops startup with an error."),
    KEDA_TLS_CERT_FILE("", "See KEDA_TLS_ENABLED."),
    KEDA_TLS_KEY_FILE("", "See KEDA_TLS_ENABLED."),
    LOG_LEVEL("info", "debug, info, warn or error. kedify's --zap-log-level flag sets it too."),
    NO_COLOR("false", "Accepted for compatibility; logs are never coloured."),
    NO_BANNER("false", "Do not print the startup banner."),
    DEMO("false", "Also start simulated model-server pods pushing over OTLP and a KEDA-like client printing the scaling signal.");

    private final String defaultValue;
    private final String help;

    Setting(String defaultValue, String help) {
        this.defaultValue = defaultValue;
        this.help = help;
    }

    public String env() {
        return name();
    }

    public String flag() {
        return "--" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String help() {
        return help;
    }
}
