package dev.kedaotel.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolved configuration. Precedence: command-line flag, then environment variable, then the embedded
 * default. Every value is validated here so that a typo stops startup with a message naming the
 * setting, instead of surfacing later as odd behaviour.
 */
public final class Config {
    /** Each setting's text as given (or its default). */
    private final Map<Setting<?>, String> raw;
    /** Each setting's parsed, validated value. */
    private final Map<Setting<?>, Object> values;

    private Config(Map<Setting<?>, String> raw) {
        this.raw = raw;
        this.values = new HashMap<>();
        for (Setting<?> s : Setting.values()) {
            values.put(s, s.parse(raw.get(s)));
        }
    }

    /** Thrown for unknown flags and invalid values; the message is meant for the operator. */
    public static final class ConfigException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }

    public static Config defaults() {
        return load(new String[0], Collections.emptyMap());
    }

    /**
     * @param args command-line arguments ({@code --name=value}, {@code --name value}, or a bare boolean
     *             {@code --demo}); kedify's controller-runtime flags are accepted: {@code --zap-log-level}
     *             sets LOG_LEVEL, {@code --zap-encoder} LOG_FORMAT, and {@code --zap-stacktrace-level},
     *             {@code --zap-time-encoding} and {@code --zap-devel} have nothing to configure
     * @param env  the environment
     */
    public static Config load(String[] args, Map<String, String> env) {
        Map<Setting<?>, String> v = new HashMap<>();
        for (Setting<?> s : Setting.values()) {
            String e = env.get(s.env());
            v.put(s, e != null ? e.trim() : s.defaultValue());
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + arg + "' (flags look like --name=value; see --help)");
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--zap-log-level")) {
                v.put(Setting.LOG_LEVEL, value != null ? value : nextValue(args, ++i, name));
                continue;
            }
            if (name.equals("--zap-encoder")) {
                v.put(Setting.LOG_FORMAT, value != null ? value : nextValue(args, ++i, name));
                continue;
            }
            if (name.equals("--zap-stacktrace-level") || name.equals("--zap-time-encoding") || name.equals("--zap-devel")) {
                if (value == null && !name.equals("--zap-devel") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    i++;
                }
                continue; // controller-runtime logging knobs of the Go add-on: accepted, nothing to configure
            }
            Setting<?> s = byFlag(name);
            if (s == null) {
                throw new ConfigException("unknown flag '" + name + "' (see --help for the list)");
            }
            if (value == null) {
                if (s.isBoolean() && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
                    value = "true";
                } else {
                    value = nextValue(args, ++i, name);
                }
            }
            v.put(s, value.trim());
        }
        Config c = new Config(v);
        c.validate();
        return c;
    }

    private static String nextValue(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new ConfigException("flag " + flag + " needs a value");
        }
        return args[i];
    }

    private static Setting<?> byFlag(String flag) {
        for (Setting<?> s : Setting.values()) {
            if (s.flag().equals(flag) || s.aliases().contains(flag)) {
                return s;
            }
        }
        return null;
    }

    /** Rules across settings; each setting's own value was validated when it was parsed. */
    private void validate() {
        checkResourceAttributePromotion();
        checkTlsFiles(Setting.OTLP_TLS_CERT_FILE, Setting.OTLP_TLS_KEY_FILE, Setting.OTLP_TLS_CA_FILE, null);
        checkTlsFiles(Setting.KEDA_TLS_CERT_FILE, Setting.KEDA_TLS_KEY_FILE, Setting.KEDA_TLS_CA_FILE, Setting.KEDA_TLS_ENABLED);
        checkTlsFiles(Setting.REST_API_TLS_CERT_FILE, Setting.REST_API_TLS_KEY_FILE, Setting.REST_API_TLS_CA_FILE, null);
        checkTlsFiles(Setting.INTERNAL_METRICS_TLS_CERT_FILE, Setting.INTERNAL_METRICS_TLS_KEY_FILE,
                Setting.INTERNAL_METRICS_TLS_CA_FILE, null);
    }

    /**
     * Prometheus' rules for its {@code otlp:} block: {@code promote_all_resource_attributes} cannot be combined
     * with a {@code promote_resource_attributes} list, and {@code ignore_resource_attributes} only qualifies
     * promote-all. The promote list has a default here (Prometheus' is empty), so only a list given other
     * than the default conflicts with promote-all.
     */
    private void checkResourceAttributePromotion() {
        boolean all = get(Setting.OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES);
        Setting<List<String>> list = Setting.OTLP_PROMOTE_RESOURCE_ATTRIBUTES;
        if (all && !get(list).equals(list.parse(list.defaultValue()))) {
            throw new ConfigException(list.env() + " cannot be changed when " + Setting.OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES.env()
                    + "=true (every resource attribute is promoted then); list the attributes not to promote in "
                    + Setting.OTLP_IGNORE_RESOURCE_ATTRIBUTES.env() + " instead, or unset " + list.env());
        }
        if (!all && !get(Setting.OTLP_IGNORE_RESOURCE_ATTRIBUTES).isEmpty()) {
            throw new ConfigException(Setting.OTLP_IGNORE_RESOURCE_ATTRIBUTES.env() + " needs "
                    + Setting.OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES.env() + "=true (it only excludes attributes from promote-all;"
                    + " without it, promotion is the list in " + list.env() + ")");
        }
    }

    /**
     * One port's TLS settings must describe TLS completely or not at all, so the service never serves
     * plaintext where TLS was asked for: a certificate needs its key and the reverse, a CA needs both,
     * and for the KEDA port (kedify's switch) {@code KEDA_TLS_ENABLED=true} needs both while files without
     * it are refused rather than ignored. The files themselves are read and checked at startup
     * ({@link KedaOtelScaler}), against the service's clock.
     */
    private void checkTlsFiles(Setting<String> cert, Setting<String> key, Setting<String> ca, Setting<Boolean> enabled) {
        boolean hasCert = !get(cert).isEmpty();
        boolean hasKey = !get(key).isEmpty();
        boolean hasCa = !get(ca).isEmpty();
        if (enabled != null && !get(enabled)) {
            if (hasCert || hasKey || hasCa) {
                Setting<String> given = hasCert ? cert : hasKey ? key : ca;
                throw new ConfigException(given.env() + " is set but " + enabled.env() + " is false; set " + enabled.env()
                        + "=true to serve TLS on that port, or unset " + given.env());
            }
            return;
        }
        boolean asked = enabled != null || hasCert || hasKey || hasCa;
        if (!asked) {
            return;
        }
        String why = enabled != null ? enabled.env() + "=true" : hasCa && !hasCert && !hasKey ? ca.env() + " is set"
                : (hasCert ? cert.env() : key.env()) + " is set";
        if (!hasCert) {
            throw new ConfigException(cert.env() + " must name the PEM certificate file: " + why
                    + " (TLS needs both " + cert.env() + " and " + key.env() + ")");
        }
        if (!hasKey) {
            throw new ConfigException(key.env() + " must name the PEM private key file: " + why
                    + " (TLS needs both " + cert.env() + " and " + key.env() + ")");
        }
    }

    /** The typed value of {@code s}. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> s) {
        return (T) values.get(s);
    }

    /** The text {@code s} was given as (or its default), for messages. */
    public String raw(Setting<?> s) {
        return raw.get(s);
    }

    /** The java.util.logging level of LOG_LEVEL. */
    public java.util.logging.Level logLevel() {
        return get(Setting.LOG_LEVEL);
    }

    /** LOG_FORMAT (or kedify's --zap-encoder). */
    public Logging.Format logFormat() {
        return get(Setting.LOG_FORMAT);
    }

    public long retentionMs() {
        return get(Setting.METRIC_STORE_RETENTION_SECONDS) * 1000L;
    }

    /** Lookback for instant selectors: explicit, else the retention window capped at Prometheus' 5 minutes. */
    public long lookbackDeltaMs() {
        return get(Setting.LOOKBACK_DELTA_SECONDS).map(s -> s * 1000L).orElse(Math.min(retentionMs(), 300_000L));
    }

    /**
     * The longest warm-up after a start without the window's data: {@code METRIC_STORE_WARM_UP_SECONDS},
     * default the retention window, and never longer (after one window the store holds only samples
     * received since the start, so waiting longer changes no answer). With {@code --demo} and no explicit
     * value it is 0: the simulated pods start with the server, so its window is complete from the start.
     */
    public long warmUpMs() {
        long byDefault = get(Setting.DEMO) ? 0 : retentionMs();
        return Math.min(get(Setting.METRIC_STORE_WARM_UP_SECONDS).map(s -> s * 1000L).orElse(byDefault), retentionMs());
    }

    /** 0 when unset: StreamIsActive sends only on change. */
    public long resendIntervalMs() {
        return get(Setting.IS_ACTIVE_POLLING_INTERVAL_MS).orElse(0L);
    }

    /** The --help text: every setting with its flag, variable, default and meaning. */
    public static String helpText() {
        StringBuilder sb = new StringBuilder();
        sb.append("keda-otel-scaler: a KEDA external scaler fed by OpenTelemetry metrics.\n\n");
        sb.append("Usage: java -jar keda-otel-scaler.jar [--flag=value ...]\n");
        sb.append("Every setting can be given as a flag or as an environment variable; flags win.\n\n");
        for (Setting<?> s : Setting.values()) {
            sb.append("  ").append(s.flag()).append("=…  (env ").append(s.env());
            for (String alias : s.aliases()) {
                sb.append(", or ").append(alias);
            }
            sb.append(")\n");
            sb.append("      ").append(s.help()).append('\n');
            sb.append("      default: ").append(s.defaultValue().isEmpty() ? "(unset)" : s.defaultValue()).append("\n");
        }
        sb.append("\n  --zap-log-level=LEVEL, --zap-encoder=console|json     kedify/otel-add-on's flags: LOG_LEVEL, LOG_FORMAT\n");
        sb.append("  --zap-stacktrace-level, --zap-time-encoding, --zap-devel   accepted for kedify compatibility, no effect\n");
        sb.append("  --version                                              print the version and exit\n");
        sb.append("  --help                                                 this text\n");
        return sb.toString();
    }

    @Override
    public String toString() {
        return raw.toString();
    }
}
