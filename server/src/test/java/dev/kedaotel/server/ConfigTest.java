package dev.kedaotel.server;

import org.junit.jupiter.api.Test;

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
    void flagForms() {
        assertTrue(load(Map.of(), "--demo").get(Setting.DEMO));
        assertEquals("debug", load(Map.of(), "--zap-log-level", "debug").raw(Setting.LOG_LEVEL));
        assertEquals("error", load(Map.of(), "--zap-log-level=error", "--zap-stacktrace-level=error").raw(Setting.LOG_LEVEL));
        assertEquals(1234, load(Map.of(), "--otlp-receiver-port", "1234").get(Setting.OTLP_RECEIVER_PORT));
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
    void tlsIsRefusedRatherThanServedInPlaintext() {
        assertMessage("TLS", () -> load(Map.of("OTLP_TLS_CERT_FILE", "/certs/tls.crt")));
        assertMessage("TLS", () -> load(Map.of("KEDA_TLS_ENABLED", "true")));
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

    private static void assertMessage(String fragment, Runnable r) {
        Config.ConfigException e = assertThrows(Config.ConfigException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
