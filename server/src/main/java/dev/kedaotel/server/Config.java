package dev.kedaotel.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Resolved configuration. Precedence: command-line flag, then environment variable, then the embedded
 * default. Every value is validated here so that a typo stops startup with a message naming the
 * setting, instead of surfacing later as odd behaviour.
 */
public final class Config {
    private final Map<Setting, String> values;

    private Config(Map<Setting, String> values) {
        this.values = values;
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
     *             {@code --demo}); kedify's controller-runtime flags {@code --zap-log-level} and
     *             {@code --zap-stacktrace-level} are accepted
     * @param env  the environment
     */
    public static Config load(String[] args, Map<String, String> env) {
        Map<Setting, String> v = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
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
            if (name.equals("--zap-stacktrace-level") || name.equals("--zap-encoder") || name.equals("--zap-devel")) {
                if (value == null && !name.equals("--zap-devel") && i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    i++;
                }
                continue; // controller-runtime logging knobs of the Go add-on: accepted, nothing to configure
            }
            Setting s = byFlag(name);
            if (s == null) {
                throw new ConfigException("unknown flag '" + name + "' (see --help for the list)");
            }
            if (value == null) {
                boolean isBoolean = s.defaultValue().equals("false") || s.defaultValue().equals("true");
                if (isBoolean && (i + 1 >= args.length || args[i + 1].startsWith("--"))) {
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

    private static Setting byFlag(String flag) {
        for (Setting s : Setting.values()) {
            if (s.flag().equals(flag)) {
                return s;
            }
        }
        return null;
    }

    private void validate() {
        for (Setting s : new Setting[] {Setting.OTLP_RECEIVER_PORT, Setting.KEDA_EXTERNAL_SCALER_PORT, Setting.REST_API_PORT, Setting.INTERNAL_METRICS_PORT}) {
            int p = integer(s);
            if (p < 0 || p > 65535) {
                throw new ConfigException(s.env() + " must be a port number 0..65535 (0 = any free port), got '" + raw(s) + "'");
            }
        }
        positive(Setting.METRIC_STORE_RETENTION_SECONDS);
        positive(Setting.METRIC_STORE_MAX_SERIES);
        positive(Setting.METRIC_STORE_MAX_SAMPLES_PER_SERIES);
        positive(Setting.QUERY_TIMEOUT_SECONDS);
        positive(Setting.QUERY_MAX_SAMPLES);
        positive(Setting.STANDING_QUERY_AGEING_MS);
        positive(Setting.SCALED_OBJECT_IDLE_SECONDS);
        positive(Setting.OTLP_MAX_RECV_MSG_SIZE_BYTES);
        number(Setting.METRIC_STORE_VALUE_IF_NOT_FOUND);
        int cacheSlots = integer(Setting.OTLP_SERIES_CACHE_SLOTS);
        if (cacheSlots != 0 && cacheSlots < 8) {
            throw new ConfigException(Setting.OTLP_SERIES_CACHE_SLOTS.env() + " must be 0 (off) or at least 8, got '"
                    + raw(Setting.OTLP_SERIES_CACHE_SLOTS) + "'");
        }
        for (Setting s : Setting.values()) {
            if (s.defaultValue().equals("false") || s.defaultValue().equals("true")) {
                bool(s);
            }
        }
        if (!raw(Setting.IS_ACTIVE_POLLING_INTERVAL_MS).isEmpty()) {
            positive(Setting.IS_ACTIVE_POLLING_INTERVAL_MS);
        }
        if (!raw(Setting.LOOKBACK_DELTA_SECONDS).isEmpty()) {
            positive(Setting.LOOKBACK_DELTA_SECONDS);
        }
        logLevel();
        if (!raw(Setting.OTLP_TLS_CA_FILE).isEmpty() || !raw(Setting.OTLP_TLS_CERT_FILE).isEmpty()
                || !raw(Setting.OTLP_TLS_KEY_FILE).isEmpty() || bool(Setting.KEDA_TLS_ENABLED)) {
            throw new ConfigException("TLS (OTLP_TLS_* / KEDA_TLS_ENABLED) is not supported by this version yet; "
                    + "refusing to start rather than serve plaintext where TLS was asked for. Unset those settings or terminate TLS in front of the service.");
        }
    }

    public String raw(Setting s) {
        return values.get(s);
    }

    public int integer(Setting s) {
        try {
            return Integer.parseInt(raw(s));
        } catch (NumberFormatException e) {
            throw new ConfigException(s.env() + " must be a whole number, got '" + raw(s) + "'");
        }
    }

    public long longValue(Setting s) {
        try {
            return Long.parseLong(raw(s));
        } catch (NumberFormatException e) {
            throw new ConfigException(s.env() + " must be a whole number, got '" + raw(s) + "'");
        }
    }

    public double number(Setting s) {
        try {
            return Double.parseDouble(raw(s));
        } catch (NumberFormatException e) {
            throw new ConfigException(s.env() + " must be a number, got '" + raw(s) + "'");
        }
    }

    public boolean bool(Setting s) {
        String r = raw(s).toLowerCase(Locale.ROOT);
        switch (r) {
            case "true": case "1": case "yes": return true;
            case "false": case "0": case "no": case "": return false;
            default: throw new ConfigException(s.env() + " must be true or false, got '" + raw(s) + "'");
        }
    }

    private void positive(Setting s) {
        if (longValue(s) <= 0) {
            throw new ConfigException(s.env() + " must be greater than 0, got '" + raw(s) + "'");
        }
    }

    public List<String> list(Setting s) {
        List<String> out = new ArrayList<>();
        for (String part : raw(s).split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /** The java.util.logging level name for LOG_LEVEL. */
    public java.util.logging.Level logLevel() {
        switch (raw(Setting.LOG_LEVEL).toLowerCase(Locale.ROOT)) {
            case "debug": return java.util.logging.Level.FINE;
            case "info": return java.util.logging.Level.INFO;
            case "warn": case "warning": return java.util.logging.Level.WARNING;
            case "error": case "panic": case "fatal": case "dpanic": return java.util.logging.Level.SEVERE;
            default: throw new ConfigException("LOG_LEVEL must be one of debug, info, warn, error; got '" + raw(Setting.LOG_LEVEL) + "'");
        }
    }

    public long retentionMs() {
        return longValue(Setting.METRIC_STORE_RETENTION_SECONDS) * 1000L;
    }

    /** Lookback for instant selectors: explicit, else the retention window capped at Prometheus' 5 minutes. */
    public long lookbackDeltaMs() {
        String r = raw(Setting.LOOKBACK_DELTA_SECONDS);
        return r.isEmpty() ? Math.min(retentionMs(), 300_000L) : longValue(Setting.LOOKBACK_DELTA_SECONDS) * 1000L;
    }

    /** 0 when unset: StreamIsActive sends only on change. */
    public long resendIntervalMs() {
        String r = raw(Setting.IS_ACTIVE_POLLING_INTERVAL_MS);
        return r.isEmpty() ? 0 : longValue(Setting.IS_ACTIVE_POLLING_INTERVAL_MS);
    }

    /** The --help text: every setting with its flag, variable, default and meaning. */
    public static String helpText() {
        StringBuilder sb = new StringBuilder();
        sb.append("keda-otel-scaler: a KEDA external scaler fed by OpenTelemetry metrics.\n\n");
        sb.append("Usage: java -jar keda-otel-scaler.jar [--flag=value ...]\n");
        sb.append("Every setting can be given as a flag or as an environment variable; flags win.\n\n");
        for (Setting s : Setting.values()) {
            sb.append("  ").append(s.flag()).append("=…  (env ").append(s.env()).append(")\n");
            sb.append("      ").append(s.help()).append('\n');
            sb.append("      default: ").append(s.defaultValue().isEmpty() ? "(unset)" : s.defaultValue()).append("\n");
        }
        sb.append("\n  --zap-log-level=LEVEL, --zap-stacktrace-level=LEVEL   accepted for kedify/otel-add-on chart compatibility\n");
        sb.append("  --help                                                 this text\n");
        return sb.toString();
    }

    @Override
    public String toString() {
        return Arrays.toString(values.entrySet().toArray());
    }
}
