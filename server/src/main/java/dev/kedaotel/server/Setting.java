package dev.kedaotel.server;

import dev.kedaotel.model.Durations;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One configuration setting, typed: its environment variable (kedify/otel-add-on's name where one
 * exists), the equivalent command-line flag, the embedded default, what it means, and how its text
 * becomes a value of type {@code T} — parsed and validated once, at startup, so a typo stops the
 * service with a message naming the setting instead of surfacing later as odd behaviour.
 *
 * <p>The flag is derived from the variable so the two can never drift apart:
 * {@code METRIC_STORE_RETENTION_SECONDS} is {@code --metric-store-retention-seconds}. A setting may also
 * accept shorter flag spellings ({@link #aliases()}, e.g. {@code --data-dir}), listed by {@code --help}
 * beside the derived flag, which stays the one the README's table names. The constants are
 * declared in the order {@code --help} and the README list them; {@link #values()} keeps that order.
 *
 * @param <T> the value's type; {@link Config#get} returns it
 */
public final class Setting<T> {
    private static final List<Setting<?>> ALL = new ArrayList<>();

    public static final Setting<Integer> OTLP_RECEIVER_PORT = port("OTLP_RECEIVER_PORT", "4317",
            "OTLP/gRPC receiver port (MetricsService/Export).");
    public static final Setting<Integer> KEDA_EXTERNAL_SCALER_PORT = port("KEDA_EXTERNAL_SCALER_PORT", "4318",
            "KEDA external scaler gRPC port (KServe's default scalerAddress port).");
    public static final Setting<Integer> REST_API_PORT = port("REST_API_PORT", "9090",
            "HTTP port: Prometheus API (/api/v1/*), kedify's /memstore/* endpoints, OTLP/HTTP POST /v1/metrics, health.");
    public static final Setting<Integer> INTERNAL_METRICS_PORT = port("INTERNAL_METRICS_PORT", "8080",
            "Self-metrics port (Prometheus text on /metrics); also answers the probes /healthz and /readyz.");
    public static final Setting<InetAddress> BIND_ADDRESS = new Setting<>("BIND_ADDRESS", "0.0.0.0",
            "Address all four ports listen on (0.0.0.0: every IPv4 interface; :: every interface; 127.0.0.1: this host only).",
            Setting::address);
    public static final Setting<Long> METRIC_STORE_RETENTION_SECONDS = positiveLong("METRIC_STORE_RETENTION_SECONDS", "120",
            "Window kept in memory; series with no sample inside it are removed. Also the window of operationOverTime.");
    public static final Setting<Integer> METRIC_STORE_MAX_SERIES = positiveInt("METRIC_STORE_MAX_SERIES", "1000000",
            "Hard cap on live series; points that would create more are rejected (partial success).");
    public static final Setting<Integer> METRIC_STORE_MAX_SAMPLES_PER_SERIES = positiveInt("METRIC_STORE_MAX_SAMPLES_PER_SERIES", "4096",
            "Ring capacity limit per series; a series pushed faster keeps only its newest samples.");
    public static final Setting<Integer> METRIC_STORE_MAX_LABELS_PER_SERIES = positiveInt("METRIC_STORE_MAX_LABELS_PER_SERIES", "64",
            "Most labels (including __name__) of a new series; points with more are rejected as too_many_labels.");
    public static final Setting<Integer> METRIC_STORE_MAX_LABEL_NAME_LENGTH = positiveInt("METRIC_STORE_MAX_LABEL_NAME_LENGTH", "1024",
            "Longest label name of a new series in UTF-8 bytes; longer ones are rejected (label_name_too_long) before they are stored.");
    public static final Setting<Integer> METRIC_STORE_MAX_LABEL_VALUE_LENGTH = positiveInt("METRIC_STORE_MAX_LABEL_VALUE_LENGTH", "2048",
            "Longest label value (metric name included) of a new series in UTF-8 bytes; longer ones are rejected (label_value_too_long) before they are stored.");
    public static final Setting<Integer> METRIC_STORE_MAX_SERIES_PER_METRIC = nonNegativeInt("METRIC_STORE_MAX_SERIES_PER_METRIC", "0",
            "Most live series of one metric name (0 = only METRIC_STORE_MAX_SERIES applies); more are rejected as series_per_metric_limit.");
    public static final Setting<Long> METRIC_STORE_MAX_FUTURE_SECONDS = nonNegativeLong("METRIC_STORE_MAX_FUTURE_SECONDS", "300",
            "How far ahead of this server's clock a sample's timestamp may be; later ones are rejected as too_far_in_future.");
    public static final Setting<Long> METRIC_STORE_OUT_OF_ORDER_WINDOW_SECONDS = nonNegativeLong("METRIC_STORE_OUT_OF_ORDER_WINDOW_SECONDS", "60",
            "How far behind its series' newest sample a sample may arrive and still be stored (queries see it in timestamp order);"
            + " older ones are rejected as out_of_order. 0 = reject every sample older than its series' newest.");
    public static final Setting<Boolean> METRIC_STORE_ERROR_IF_NOT_FOUND = bool("METRIC_STORE_ERROR_IF_NOT_FOUND", "false",
            "When no fresh series matches a ScaledObject's query, answer GetMetrics/IsActive with gRPC NOT_FOUND (lets KEDA's fallback act).");
    public static final Setting<Double> METRIC_STORE_VALUE_IF_NOT_FOUND = number("METRIC_STORE_VALUE_IF_NOT_FOUND", "0",
            "Value reported when no fresh series matches (and ERROR_IF_NOT_FOUND is false).");
    public static final Setting<Optional<Long>> METRIC_STORE_WARM_UP_SECONDS = optionalNonNegativeLong("METRIC_STORE_WARM_UP_SECONDS",
            "After a start without the window's data, how long at most GetMetrics/IsActive answer UNAVAILABLE (and readiness"
            + " is false) until the window holds what a query reads: each query waits its own range (kedify's"
            + " operationOverTime: the retention window), at most this. Default: the retention window; 0 = no warm-up.");
    public static final Setting<Boolean> METRIC_STORE_LAZY_SERIES = bool("METRIC_STORE_LAZY_SERIES", "false",
            "Accepted for compatibility with kedify/otel-add-on; no effect (memory is bounded by retention and the series cap).");
    public static final Setting<Boolean> METRIC_STORE_LAZY_AGGREGATES = bool("METRIC_STORE_LAZY_AGGREGATES", "false",
            "Accepted for compatibility with kedify/otel-add-on; no effect (aggregates are computed at query time).");
    public static final Setting<Optional<java.nio.file.Path>> METRIC_STORE_DATA_DIR = new Setting<Optional<java.nio.file.Path>>(
            "METRIC_STORE_DATA_DIR", "",
            "Directory the window persists in, so a restart (kill -9 and OOM kill included) restores it instead of starting"
                    + " empty: an emptyDir survives container restarts, a volume also pod restarts. Empty = persistence off."
                    + " One process per directory (locked); corrupt or incompatible contents are moved aside into a moved-aside-*"
                    + " subdirectory and the store starts empty. Also --data-dir.",
            raw -> raw.isEmpty() ? Optional.empty() : Optional.of(java.nio.file.Path.of(raw)))
            .alias("--data-dir");
    public static final Setting<Optional<Long>> IS_ACTIVE_POLLING_INTERVAL_MS = optionalPositiveLong("IS_ACTIVE_POLLING_INTERVAL_MS",
            "If set, StreamIsActive also re-sends the current answer at this interval; unset = send only when the answer changes.");
    public static final Setting<Optional<Long>> LOOKBACK_DELTA_SECONDS = optionalPositiveLong("LOOKBACK_DELTA_SECONDS",
            "PromQL lookback for instant selectors; default: the retention window, at most 300.");
    public static final Setting<Long> QUERY_TIMEOUT_SECONDS = positiveLong("QUERY_TIMEOUT_SECONDS", "120",
            "Deadline of one PromQL query through the HTTP API.");
    public static final Setting<Long> QUERY_MAX_SAMPLES = positiveLong("QUERY_MAX_SAMPLES", "50000000",
            "Most samples one PromQL query may load.");
    public static final Setting<Integer> QUERY_MAX_CONCURRENCY = positiveInt("QUERY_MAX_CONCURRENCY",
            Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())),
            "PromQL and kedify queries through the HTTP API that run at once (default: the number of cores, at least 2).");
    public static final Setting<Integer> QUERY_MAX_QUEUED = new Setting<>("QUERY_MAX_QUEUED", "32",
            "Queries that wait for a free slot; beyond that the HTTP API answers 503 with Prometheus' error envelope and Retry-After.",
            raw -> (int) wholeNumber(raw, 100_000));
    public static final Setting<String> REST_API_BEARER_TOKEN_FILE = text("REST_API_BEARER_TOKEN_FILE",
            "File of bearer tokens, one per non-empty line. When set, /api/v1/*, /memstore/*, /v1/metrics and the pages /ui and"
            + " /ui/explore on REST_API_PORT need 'Authorization: Bearer <token>' (401 otherwise); /healthz, /readyz, /-/healthy,"
            + " /-/ready, /info and / (the text route list; a browser is redirected to /ui) never do."
            + " Re-read when it changes (looked at once a second at most): rotate by listing old and new token, then dropping the old."
            + " Missing, unreadable or empty at startup stops the service; later, the last good tokens are kept.");
    public static final Setting<Boolean> MEMSTORE_RESET_ENABLED = bool("MEMSTORE_RESET_ENABLED", "false",
            "Allow POST /memstore/reset, which deletes every series (403 while false). Either way it accepts only"
            + " Content-Type: application/json, so a form on another web site cannot trigger it.");
    public static final Setting<Long> STANDING_QUERY_AGEING_MS = positiveLong("STANDING_QUERY_AGEING_MS", "1000",
            "How often answers of streamed ScaledObject queries are re-checked as samples age out of the window.");
    public static final Setting<Long> SCALED_OBJECT_IDLE_SECONDS = positiveLong("SCALED_OBJECT_IDLE_SECONDS", "600",
            "A ScaledObject not asked about for this long (and without open streams) is forgotten.");
    public static final Setting<String> SCALED_OBJECT_NAMESPACE_LABEL = new Setting<>("SCALED_OBJECT_NAMESPACE_LABEL", "",
            "Tenancy, off when empty. Set to a label (e.g. k8s_namespace_name, from the promoted k8s.namespace.name) and every"
                    + " selector of a ScaledObject's query also requires that label to equal the ScaledObject's namespace, so no"
                    + " ScaledObject scales on or reads another namespace's series, whatever its query says (a ScaledObjectRef"
                    + " without a namespace is then INVALID_ARGUMENT). The HTTP API (/api/v1/*, /memstore/query, /memstore/data,"
                    + " /memstore/names) scopes a request the same way when it has a namespace parameter, as KEDA's prometheus"
                    + " trigger sends; without one the API is unscoped, so restrict it separately.",
            Setting::namespaceLabel);
    public static final Setting<Integer> OTLP_MAX_RECV_MSG_SIZE_BYTES = positiveInt("OTLP_MAX_RECV_MSG_SIZE_BYTES", "67108864",
            "Largest OTLP request accepted (after decompression), gRPC and HTTP.");
    public static final Setting<Long> OTLP_MAX_BYTES_IN_FLIGHT = positiveLong("OTLP_MAX_BYTES_IN_FLIGHT", "268435456",
            "OTLP request bytes held in memory at once (gRPC and HTTP); beyond it exports are refused as busy (gRPC UNAVAILABLE, HTTP 503 with Retry-After) and exporters back off and retry.");
    public static final Setting<List<String>> OTLP_PROMOTE_RESOURCE_ATTRIBUTES = list("OTLP_PROMOTE_RESOURCE_ATTRIBUTES",
            String.join(",", dev.kedaotel.receiver.ReceiverConfig.DEFAULT_PROMOTED_RESOURCE_ATTRIBUTES),
            "Resource attributes copied onto every series as labels (sanitised: k8s.pod.name -> k8s_pod_name); a data point"
                    + " attribute of the same name wins. Default: the set Prometheus' OTLP guide recommends, plus k8s.node.name"
                    + " and host.name. Prometheus' promote_resource_attributes.");
    public static final Setting<Boolean> OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES = bool("OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES", "false",
            "Copy every resource attribute onto the series except those in OTLP_IGNORE_RESOURCE_ATTRIBUTES (Prometheus'"
                    + " promote_all_resource_attributes; mind the series churn). Cannot be combined with a changed"
                    + " OTLP_PROMOTE_RESOURCE_ATTRIBUTES, whose list it replaces.");
    public static final Setting<List<String>> OTLP_IGNORE_RESOURCE_ATTRIBUTES = list("OTLP_IGNORE_RESOURCE_ATTRIBUTES", "",
            "Resource attributes not promoted by OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES (Prometheus' ignore_resource_attributes;"
                    + " only valid with it). They still go to target_info.");
    public static final Setting<Boolean> OTLP_TARGET_INFO_ENABLED = bool("OTLP_TARGET_INFO_ENABLED", "true",
            "Write Prometheus' target_info series per resource that has service.name or service.instance.id: job, instance"
                    + " and the other resource attributes as labels, value 1, for '* on (job, instance) group_left (...) target_info' joins.");
    public static final Setting<Integer> OTLP_SERIES_CACHE_SLOTS = new Setting<>("OTLP_SERIES_CACHE_SLOTS", "262144",
            "Slots of the receiver's cache from a data point's raw attribute bytes to its series"
                    + " (skips label building for series seen before; ~75 B of heap per cached series, bounded by this; 0 turns it off).",
            raw -> {
                int slots = Integer.parseInt(raw);
                if (slots != 0 && slots < 8) {
                    throw new IllegalArgumentException("must be 0 (off) or at least 8");
                }
                return slots;
            });
    public static final Setting<Integer> OTLP_EXPONENTIAL_HISTOGRAM_MAX_BUCKETS = new Setting<>(
            "OTLP_EXPONENTIAL_HISTOGRAM_MAX_BUCKETS", "64",
            "Most _bucket series (with +Inf) one exponential histogram series is written as; its scale is lowered"
                    + " (pairs of buckets merged, exactly) until it fits. 64 keeps boundaries at most 18.9% apart for"
                    + " values spanning up to 38,968x (9.05% up to 197x); see the README for the accuracy. At least 16.",
            raw -> {
                int n = Integer.parseInt(raw);
                if (n < 16) {
                    throw new IllegalArgumentException("must be at least 16");
                }
                return n;
            });
    public static final Setting<Boolean> OTLP_PROMOTE_JOB_INSTANCE = bool("OTLP_PROMOTE_JOB_INSTANCE", "true",
            "Add Prometheus' job (service.namespace/service.name) and instance (service.instance.id) labels.");
    public static final Setting<dev.kedaotel.model.OtlpTranslationStrategy> OTLP_TRANSLATION_STRATEGY = new Setting<>(
            "OTLP_TRANSLATION_STRATEGY", "KedifyCompatible",
            "How OTLP metric and attribute names become series names: KedifyCompatible (kedify's: names as sent with"
                    + " every other character than [a-zA-Z0-9_:] as _, no suffixes), or Prometheus' UnderscoreEscapingWithSuffixes"
                    + " (_total, unit suffixes such as _seconds and _bytes, _ratio), UnderscoreEscapingWithoutSuffixes,"
                    + " NoUTF8EscapingWithSuffixes or NoTranslation (dots kept). kedify-syntax metricQuery names are found"
                    + " under each. See the README's \"How OTLP points become series\".",
            dev.kedaotel.model.OtlpTranslationStrategy::fromWireName);
    public static final Setting<String> OTLP_TLS_CERT_FILE = text("OTLP_TLS_CERT_FILE",
            "PEM certificate (chain) of the OTLP/gRPC port; with OTLP_TLS_KEY_FILE it turns TLS on for that port (TLS 1.2+; see the README's TLS section).");
    public static final Setting<String> OTLP_TLS_KEY_FILE = text("OTLP_TLS_KEY_FILE",
            "PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted) of OTLP_TLS_CERT_FILE.");
    public static final Setting<String> OTLP_TLS_CA_FILE = text("OTLP_TLS_CA_FILE",
            "PEM CA certificate(s); when set, OTLP clients must present a certificate signed by one of them (mTLS). Needs OTLP_TLS_CERT_FILE.");
    public static final Setting<Long> OTLP_CERTIFICATE_RELOAD_INTERVAL = new Setting<>("OTLP_CERTIFICATE_RELOAD_INTERVAL", "5m",
            "How often every port's certificate, key and CA files are re-read (a Go duration such as 5m or 1h30m);"
                    + " changed files are checked and take effect for new connections, open ones keep working.",
            raw -> positive(Durations.parseGo(raw)));
    public static final Setting<Boolean> KEDA_TLS_ENABLED = bool("KEDA_TLS_ENABLED", "false",
            "TLS on the KEDA scaler port; needs KEDA_TLS_CERT_FILE and KEDA_TLS_KEY_FILE (KEDA_TLS_* files given while this is false stop startup rather than be ignored).");
    public static final Setting<String> KEDA_TLS_CERT_FILE = text("KEDA_TLS_CERT_FILE",
            "PEM certificate (chain) of the KEDA scaler port (with KEDA_TLS_ENABLED=true).");
    public static final Setting<String> KEDA_TLS_KEY_FILE = text("KEDA_TLS_KEY_FILE",
            "PEM private key of KEDA_TLS_CERT_FILE.");
    public static final Setting<String> KEDA_TLS_CA_FILE = text("KEDA_TLS_CA_FILE",
            "PEM CA certificate(s); when set, KEDA must present a client certificate signed by one of them (mTLS;"
                    + " the trigger's TriggerAuthentication gives KEDA tlsClientCert and tlsClientKey).");
    public static final Setting<String> REST_API_TLS_CERT_FILE = text("REST_API_TLS_CERT_FILE",
            "PEM certificate (chain) of the HTTP port (Prometheus API, OTLP/HTTP, /memstore); with REST_API_TLS_KEY_FILE it turns HTTPS on.");
    public static final Setting<String> REST_API_TLS_KEY_FILE = text("REST_API_TLS_KEY_FILE",
            "PEM private key of REST_API_TLS_CERT_FILE.");
    public static final Setting<String> REST_API_TLS_CA_FILE = text("REST_API_TLS_CA_FILE",
            "PEM CA certificate(s); when set, HTTP clients must present a certificate signed by one of them (mTLS).");
    public static final Setting<String> INTERNAL_METRICS_TLS_CERT_FILE = text("INTERNAL_METRICS_TLS_CERT_FILE",
            "PEM certificate (chain) of the self-metrics port; with INTERNAL_METRICS_TLS_KEY_FILE it turns HTTPS on.");
    public static final Setting<String> INTERNAL_METRICS_TLS_KEY_FILE = text("INTERNAL_METRICS_TLS_KEY_FILE",
            "PEM private key of INTERNAL_METRICS_TLS_CERT_FILE.");
    public static final Setting<String> INTERNAL_METRICS_TLS_CA_FILE = text("INTERNAL_METRICS_TLS_CA_FILE",
            "PEM CA certificate(s); when set, scrapers and probes of the self-metrics port must present a client certificate signed by one of them.");
    public static final Setting<java.util.logging.Level> LOG_LEVEL = new Setting<>("LOG_LEVEL", "info",
            "debug, info, warn or error. kedify's --zap-log-level flag sets it too.", Setting::logLevel);
    public static final Setting<Logging.Format> LOG_FORMAT = new Setting<>("LOG_FORMAT", "text",
            "text (one line per record, stack traces on the lines after) or json (one JSON object per line with time, level,"
                    + " logger, message, thread and fields; stack traces inside the line). kedify's --zap-encoder=console|json sets it too.",
            Logging.Format::parse);
    public static final Setting<Boolean> NO_COLOR = bool("NO_COLOR", "false",
            "Accepted for compatibility; logs are never coloured.");
    public static final Setting<Boolean> NO_BANNER = bool("NO_BANNER", "false",
            "Do not print the startup banner.");
    public static final Setting<Boolean> DEMO = bool("DEMO", "false",
            "Also start simulated model-server pods pushing over OTLP and a KEDA-like client printing the scaling signal.");

    private final String env;
    private final String defaultValue;
    private final String help;
    private final Function<String, T> parser;
    private final boolean isBoolean;
    /** Further flags that mean this setting (e.g. {@code --data-dir}); set while the constants are built. */
    private final List<String> aliases = new ArrayList<>(1);

    private Setting(String env, String defaultValue, String help, Function<String, T> parser) {
        this(env, defaultValue, help, parser, false);
    }

    private Setting(String env, String defaultValue, String help, Function<String, T> parser, boolean isBoolean) {
        this.env = env;
        this.defaultValue = defaultValue;
        this.help = help;
        this.parser = parser;
        this.isBoolean = isBoolean;
        ALL.add(this);
    }

    /** Every setting, in declaration (and --help) order. */
    public static List<Setting<?>> values() {
        return Collections.unmodifiableList(ALL);
    }

    public String env() {
        return env;
    }

    public String name() {
        return env;
    }

    public String flag() {
        return "--" + env.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Other flags accepted for this setting besides {@link #flag()} (shorter spellings), possibly none. */
    public List<String> aliases() {
        return Collections.unmodifiableList(aliases);
    }

    /** Adds a flag spelling; only while the constants are declared (aliases never change afterwards). */
    private Setting<T> alias(String flag) {
        if (!flag.startsWith("--")) {
            throw new IllegalArgumentException("a flag alias starts with --: " + flag);
        }
        aliases.add(flag);
        return this;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String help() {
        return help;
    }

    /** Whether a bare {@code --flag} means {@code true}. */
    boolean isBoolean() {
        return isBoolean;
    }

    /**
     * The typed value of {@code raw}.
     *
     * @throws Config.ConfigException naming the setting, the text and what was expected
     */
    T parse(String raw) {
        try {
            return parser.apply(raw);
        } catch (RuntimeException e) {
            String why = e instanceof NumberFormatException ? expected() : e.getMessage();
            throw new Config.ConfigException(env + " " + why + ", got '" + raw + "'");
        }
    }

    private String expected() {
        return "must be " + (isBoolean ? "true or false" : "a number of the right kind");
    }

    @Override
    public String toString() {
        return env;
    }

    // ---- kinds of settings ------------------------------------------------------------------------

    private static Setting<Integer> port(String env, String def, String help) {
        return new Setting<>(env, def, help, raw -> {
            long p = wholeNumber(raw, Integer.MAX_VALUE);
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("must be a port number 0..65535 (0 = any free port)");
            }
            return (int) p;
        });
    }

    private static Setting<Integer> positiveInt(String env, String def, String help) {
        return new Setting<>(env, def, help, raw -> (int) positive(wholeNumber(raw, Integer.MAX_VALUE)));
    }

    private static Setting<Integer> nonNegativeInt(String env, String def, String help) {
        return new Setting<>(env, def, help, raw -> (int) nonNegative(wholeNumber(raw, Integer.MAX_VALUE)));
    }

    private static Setting<Long> nonNegativeLong(String env, String def, String help) {
        return new Setting<>(env, def, help, raw -> nonNegative(wholeNumber(raw, Long.MAX_VALUE / 1000)));
    }

    private static long nonNegative(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("must not be negative");
        }
        return v;
    }

    private static Setting<Long> positiveLong(String env, String def, String help) {
        return new Setting<>(env, def, help, raw -> positive(wholeNumber(raw, Long.MAX_VALUE)));
    }

    private static Setting<Optional<Long>> optionalPositiveLong(String env, String help) {
        return new Setting<>(env, "", help, raw -> raw.isEmpty() ? Optional.empty()
                : Optional.of(positive(wholeNumber(raw, Long.MAX_VALUE))));
    }

    private static Setting<Optional<Long>> optionalNonNegativeLong(String env, String help) {
        return new Setting<>(env, "", help, raw -> raw.isEmpty() ? Optional.empty()
                : Optional.of(nonNegative(wholeNumber(raw, Long.MAX_VALUE / 1000))));
    }

    private static Setting<Double> number(String env, String def, String help) {
        return new Setting<>(env, def, help, raw -> {
            try {
                return Double.parseDouble(raw);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number");
            }
        });
    }

    private static Setting<Boolean> bool(String env, String def, String help) {
        return new Setting<>(env, def, help, raw -> {
            switch (raw.toLowerCase(Locale.ROOT)) {
                case "true": case "1": case "yes": return true;
                case "false": case "0": case "no": case "": return false;
                default: throw new IllegalArgumentException("must be true or false");
            }
        }, true);
    }

    private static Setting<String> text(String env, String help) {
        return new Setting<>(env, "", help, raw -> raw);
    }

    private static Setting<List<String>> list(String env, String def, String help) {
        return new Setting<>(env, def, help, raw -> {
            List<String> out = new ArrayList<>();
            for (String part : raw.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return List.copyOf(out);
        });
    }

    /** "" (off) or a label name that can scope queries; an OTel attribute name gets a hint to its stored form. */
    private static String namespaceLabel(String raw) {
        String label = raw.trim();
        if (label.isEmpty()) {
            return "";
        }
        try {
            dev.kedaotel.query.ast.SelectorScope.checkLabelName(label);
        } catch (IllegalArgumentException e) {
            String stored = dev.kedaotel.model.PrometheusNames.labelName(label);
            if (!stored.equals(label) && !stored.startsWith("__")) {
                throw new IllegalArgumentException(e.getMessage() + "; the attribute " + label + " is stored as the label "
                        + stored);
            }
            throw e;
        }
        return label;
    }

    private static java.util.logging.Level logLevel(String raw) {
        switch (raw.toLowerCase(Locale.ROOT)) {
            case "debug": return java.util.logging.Level.FINE;
            case "info": return java.util.logging.Level.INFO;
            case "warn": case "warning": return java.util.logging.Level.WARNING;
            case "error": case "panic": case "fatal": case "dpanic": return java.util.logging.Level.SEVERE;
            default:
                // controller-runtime's --zap-log-level also takes an integer > 0: ever more verbose debug levels.
                if (raw.matches("[1-9][0-9]{0,8}")) {
                    return java.util.logging.Level.FINE;
                }
                throw new IllegalArgumentException("must be one of debug, info, warn, error");
        }
    }

    private static InetAddress address(String raw) {
        if (raw.isEmpty()) {
            throw new IllegalArgumentException("must be an IP address or host name");
        }
        try {
            return InetAddress.getByName(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("is neither an IP address nor a host name that resolves");
        }
    }

    private static long wholeNumber(String raw, long max) {
        long v;
        try {
            v = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number");
        }
        if (v > max) {
            throw new IllegalArgumentException("must be at most " + max);
        }
        return v;
    }

    private static long positive(long v) {
        if (v <= 0) {
            throw new IllegalArgumentException("must be greater than 0");
        }
        return v;
    }
}
