package dev.kedaotel.server;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
    private static Config load(Map<String, String> env, String... args) {
        return Config.load(args, env);
    }

    @Test
    void embeddedDefaultsAreKedifys() {
        Config c = Config.defaults();
        assertEquals(4317, c.get(Setting.OTLP_RECEIVER_PORT));
        assertEquals(4318, c.get(Setting.KEDA_EXTERNAL_SCALER_PORT));
        assertEquals(9090, c.get(Setting.REST_API_PORT));
        assertEquals(8080, c.get(Setting.INTERNAL_METRICS_PORT));
        assertEquals(120_000, c.retentionMs());
        assertEquals(120_000, c.lookbackDeltaMs(), "lookback defaults to the window");
        assertEquals(0, c.resendIntervalMs(), "StreamIsActive sends on change unless the polling interval is set");
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverDefaults() {
        Config c = load(Map.of("METRIC_STORE_RETENTION_SECONDS", "60", "REST_API_PORT", "9999"), "--rest-api-port=7777");
        assertEquals(60_000, c.retentionMs());
        assertEquals(7777, c.get(Setting.REST_API_PORT));
        assertEquals(60_000, c.lookbackDeltaMs());
        assertEquals(300_000, load(Map.of("METRIC_STORE_RETENTION_SECONDS", "900")).lookbackDeltaMs(), "capped at Prometheus' 5 m");
        assertEquals(500, load(Map.of("IS_ACTIVE_POLLING_INTERVAL_MS", "500")).resendIntervalMs());
    }

    @Test
    void warmUpDefaultsToTheWindowAndNeverExceedsIt() {
        assertEquals(120_000, Config.defaults().warmUpMs());
        assertEquals(60_000, load(Map.of("METRIC_STORE_RETENTION_SECONDS", "60")).warmUpMs(), "follows the window");
        assertEquals(15_000, load(Map.of("METRIC_STORE_WARM_UP_SECONDS", "15")).warmUpMs());
        assertEquals(0, load(Map.of(), "--metric-store-warm-up-seconds=0").warmUpMs());
        assertEquals(120_000, load(Map.of("METRIC_STORE_WARM_UP_SECONDS", "600")).warmUpMs(), "capped at the window");
        assertEquals(0, load(Map.of(), "--demo").warmUpMs(), "the demo's pods start with the server");
        assertEquals(30_000, load(Map.of("METRIC_STORE_WARM_UP_SECONDS", "30"), "--demo").warmUpMs(), "unless set");
        assertMessage("METRIC_STORE_WARM_UP_SECONDS", () -> load(Map.of("METRIC_STORE_WARM_UP_SECONDS", "-1")));
        assertMessage("METRIC_STORE_WARM_UP_SECONDS", () -> load(Map.of("METRIC_STORE_WARM_UP_SECONDS", "2m")));
    }

    @Test
    void flagForms() {
        assertTrue(load(Map.of(), "--demo").get(Setting.DEMO));
        assertEquals("debug", load(Map.of(), "--zap-log-level", "debug").raw(Setting.LOG_LEVEL));
        assertEquals("error", load(Map.of(), "--zap-log-level=error", "--zap-stacktrace-level=error").raw(Setting.LOG_LEVEL));
        assertEquals(1234, load(Map.of(), "--otlp-receiver-port", "1234").get(Setting.OTLP_RECEIVER_PORT));
    }

    @Test
    void logFormatFromTheVariableOrKedifysZapFlags() {
        assertEquals(Logging.Format.TEXT, Config.defaults().logFormat());
        assertEquals(Logging.Format.JSON, load(Map.of("LOG_FORMAT", "json")).logFormat());
        assertEquals(Logging.Format.JSON, load(Map.of(), "--zap-encoder=json").logFormat());
        assertEquals(Logging.Format.JSON, load(Map.of(), "--zap-encoder", "json", "--zap-time-encoding", "rfc3339").logFormat());
        assertEquals(Logging.Format.TEXT, load(Map.of("LOG_FORMAT", "json"), "--zap-encoder=console").logFormat());
        // controller-runtime's verbosity integers are debug levels
        assertEquals(java.util.logging.Level.FINE, load(Map.of(), "--zap-log-level=2", "--zap-devel").logLevel());
        assertMessage("LOG_FORMAT", () -> load(Map.of("LOG_FORMAT", "yaml")));
        assertMessage("LOG_FORMAT", () -> load(Map.of(), "--zap-encoder=logfmt"));
    }

    @Test
    void badValuesNameTheSetting() {
        assertMessage("OTLP_RECEIVER_PORT", () -> load(Map.of("OTLP_RECEIVER_PORT", "http")));
        assertMessage("REST_API_PORT", () -> load(Map.of(), "--rest-api-port=70000"));
        assertMessage("METRIC_STORE_RETENTION_SECONDS", () -> load(Map.of("METRIC_STORE_RETENTION_SECONDS", "0")));
        assertMessage("METRIC_STORE_ERROR_IF_NOT_FOUND", () -> load(Map.of("METRIC_STORE_ERROR_IF_NOT_FOUND", "maybe")));
        assertMessage("LOG_LEVEL", () -> load(Map.of(), "--zap-log-level=loud"));
        assertMessage("--no-such-flag", () -> load(Map.of(), "--no-such-flag=1"));
        assertMessage("needs a value", () -> load(Map.of(), "--rest-api-port"));
    }

    @Test
    void tlsSettingsMustBeCompleteSoNothingIsServedInPlaintextByMistake() {
        assertMessage("OTLP_TLS_KEY_FILE must name the PEM private key file: OTLP_TLS_CERT_FILE is set",
                () -> load(Map.of("OTLP_TLS_CERT_FILE", "/certs/tls.crt")));
        assertMessage("OTLP_TLS_CERT_FILE must name the PEM certificate file: OTLP_TLS_KEY_FILE is set",
                () -> load(Map.of("OTLP_TLS_KEY_FILE", "/certs/tls.key")));
        assertMessage("OTLP_TLS_CERT_FILE must name the PEM certificate file: OTLP_TLS_CA_FILE is set",
                () -> load(Map.of("OTLP_TLS_CA_FILE", "/certs/ca.crt")));
        assertMessage("KEDA_TLS_CERT_FILE must name the PEM certificate file: KEDA_TLS_ENABLED=true",
                () -> load(Map.of("KEDA_TLS_ENABLED", "true")));
        assertMessage("KEDA_TLS_KEY_FILE must name the PEM private key file: KEDA_TLS_ENABLED=true",
                () -> load(Map.of("KEDA_TLS_ENABLED", "true", "KEDA_TLS_CERT_FILE", "/certs/tls.crt")));
        assertMessage("KEDA_TLS_CERT_FILE is set but KEDA_TLS_ENABLED is false",
                () -> load(Map.of("KEDA_TLS_CERT_FILE", "/certs/tls.crt", "KEDA_TLS_KEY_FILE", "/certs/tls.key")));
        assertMessage("KEDA_TLS_CA_FILE is set but KEDA_TLS_ENABLED is false", () -> load(Map.of("KEDA_TLS_CA_FILE", "/certs/ca.crt")));
        assertMessage("REST_API_TLS_CERT_FILE must name the PEM certificate file: REST_API_TLS_CA_FILE is set",
                () -> load(Map.of(), "--rest-api-tls-ca-file=/certs/ca.crt"));
        assertMessage("INTERNAL_METRICS_TLS_KEY_FILE must name",
                () -> load(Map.of("INTERNAL_METRICS_TLS_CERT_FILE", "/certs/tls.crt")));
        assertMessage("OTLP_CERTIFICATE_RELOAD_INTERVAL must be greater than 0, got '0s'",
                () -> load(Map.of("OTLP_CERTIFICATE_RELOAD_INTERVAL", "0s")));

        // Complete settings pass; the files themselves are checked when the service starts (TlsStartupTest).
        Config c = load(Map.of("KEDA_TLS_ENABLED", "true", "KEDA_TLS_CERT_FILE", "/certs/tls.crt", "KEDA_TLS_KEY_FILE", "/certs/tls.key",
                "KEDA_TLS_CA_FILE", "/certs/ca.crt"), "--otlp-tls-cert-file=/a.crt", "--otlp-tls-key-file=/a.key");
        assertEquals("/certs/ca.crt", c.get(Setting.KEDA_TLS_CA_FILE));
        assertEquals("/a.key", c.get(Setting.OTLP_TLS_KEY_FILE));
        assertEquals(300_000L, c.get(Setting.OTLP_CERTIFICATE_RELOAD_INTERVAL), "kedify's default reload interval, 5m");
    }

    @Test
    void bindAddressIsAnAddressOfThisHostAndAllFourPortsUseIt() throws Exception {
        assertEquals("0.0.0.0", Config.defaults().get(Setting.BIND_ADDRESS).getHostAddress());
        assertEquals("::1", load(Map.of("BIND_ADDRESS", "::1")).get(Setting.BIND_ADDRESS).getHostAddress()
                .replace("0:0:0:0:0:0:0:1", "::1"));
        assertMessage("BIND_ADDRESS is neither an IP address nor a host name that resolves, got 'no-such-host.invalid'",
                () -> load(Map.of("BIND_ADDRESS", "no-such-host.invalid")));
        assertMessage("BIND_ADDRESS is neither an IP address nor a host name that resolves, got '300.1.2.3'",
                () -> load(Map.of(), "--bind-address=300.1.2.3"));

        String[] args = {"--bind-address=127.0.0.1", "--otlp-receiver-port=0", "--keda-external-scaler-port=0", "--rest-api-port=0",
                "--internal-metrics-port=0", "--no-banner"};
        try (KedaOtelScaler app = KedaOtelScaler.start(load(Map.of(), args))) {
            List<InetSocketAddress> bound = app.boundAddresses();
            assertEquals(4, bound.size());
            for (InetSocketAddress a : bound) {
                assertEquals("127.0.0.1", a.getAddress().getHostAddress(), bound.toString());
            }
        }
    }

    @Test
    void seriesCacheSlotsAreZeroOrAtLeastOneProbeWindow() {
        assertEquals(0, load(Map.of("OTLP_SERIES_CACHE_SLOTS", "0")).get(Setting.OTLP_SERIES_CACHE_SLOTS));
        assertEquals(262144, load(Map.of()).get(Setting.OTLP_SERIES_CACHE_SLOTS));
        assertMessage("OTLP_SERIES_CACHE_SLOTS must be 0 (off) or at least 8, got '3'", () -> load(Map.of("OTLP_SERIES_CACHE_SLOTS", "3")));
        assertMessage("OTLP_SERIES_CACHE_SLOTS must be 0 (off) or at least 8, got '-1'", () -> load(Map.of("OTLP_SERIES_CACHE_SLOTS", "-1")));
    }

    @Test
    void valuesAreTypedAndParsedOnceAtStartup() {
        Config c = load(Map.of("OTLP_CERTIFICATE_RELOAD_INTERVAL", "1h30m", "OTLP_PROMOTE_RESOURCE_ATTRIBUTES", " a.b , ,c ",
                "LOOKBACK_DELTA_SECONDS", "60"));
        assertEquals(5_400_000L, c.get(Setting.OTLP_CERTIFICATE_RELOAD_INTERVAL), "a Go duration, as kedify reads it");
        assertEquals(java.util.List.of("a.b", "c"), c.get(Setting.OTLP_PROMOTE_RESOURCE_ATTRIBUTES));
        assertEquals(java.util.Optional.of(60L), c.get(Setting.LOOKBACK_DELTA_SECONDS));
        assertEquals(java.util.Optional.empty(), c.get(Setting.IS_ACTIVE_POLLING_INTERVAL_MS));
        assertEquals(java.util.logging.Level.INFO, c.get(Setting.LOG_LEVEL));
        assertMessage("OTLP_CERTIFICATE_RELOAD_INTERVAL time: unknown unit \"d\" in duration \"1d\", got '1d'",
                () -> load(Map.of("OTLP_CERTIFICATE_RELOAD_INTERVAL", "1d")));
        assertMessage("METRIC_STORE_MAX_SERIES must be at most 2147483647, got '9999999999'",
                () -> load(Map.of("METRIC_STORE_MAX_SERIES", "9999999999")));
        assertMessage("METRIC_STORE_VALUE_IF_NOT_FOUND must be a number, got 'zero'",
                () -> load(Map.of("METRIC_STORE_VALUE_IF_NOT_FOUND", "zero")));
    }

    @Test
    void helpListsEverySettingWithFlagEnvAndDefault() {
        String help = Config.helpText();
        for (Setting<?> s : Setting.values()) {
            assertTrue(help.contains(s.flag()) && help.contains(s.env()), s.name());
        }
        assertTrue(help.contains("default: 4317"));
    }

    @Test
    void anAliasFlagSetsTheSameSettingAsItsDerivedFlag() {
        Setting<java.util.Optional<java.nio.file.Path>> dir = Setting.METRIC_STORE_DATA_DIR;
        assertEquals(java.util.Optional.empty(), load(Map.of()).get(dir), "persistence is off by default");
        assertEquals(java.util.Optional.of(java.nio.file.Path.of("/data")), load(Map.of(), "--data-dir=/data").get(dir));
        assertEquals(java.util.Optional.of(java.nio.file.Path.of("/d2")), load(Map.of(), "--data-dir", "/d2").get(dir));
        assertEquals(java.util.Optional.of(java.nio.file.Path.of("/d3")),
                load(Map.of("METRIC_STORE_DATA_DIR", "/env"), "--metric-store-data-dir=/d3").get(dir));
        assertEquals(java.util.Optional.of(java.nio.file.Path.of("/d4")),
                load(Map.of("METRIC_STORE_DATA_DIR", "/env"), "--data-dir=/d4").get(dir), "an alias is a flag: it wins over the environment");
        assertEquals(List.of("--data-dir"), dir.aliases());
        assertTrue(Config.helpText().contains("(env METRIC_STORE_DATA_DIR, or --data-dir)"));
        assertMessage("--data-dirs", () -> load(Map.of(), "--data-dirs=/x"));
    }

    private static void assertMessage(String fragment, Runnable r) {
        Config.ConfigException e = assertThrows(Config.ConfigException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
