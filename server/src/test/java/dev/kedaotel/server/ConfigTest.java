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
        assertEquals(4317, c.integer(Setting.OTLP_RECEIVER_PORT));
        assertEquals(4318, c.integer(Setting.KEDA_EXTERNAL_SCALER_PORT));
        assertEquals(9090, c.integer(Setting.REST_API_PORT));
        assertEquals(8080, c.integer(Setting.INTERNAL_METRICS_PORT));
        assertEquals(120_000, c.retentionMs());
        assertEquals(120_000, c.lookbackDeltaMs(), "lookback defaults to the window");
        assertEquals(0, c.resendIntervalMs(), "StreamIsActive sends on change unless the polling interval is set");
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverDefaults() {
        Config c = load(Map.of("METRIC_STORE_RETENTION_SECONDS", "60", "REST_API_PORT", "9999"), "--rest-api-port=7777");
        assertEquals(60_000, c.retentionMs());
        assertEquals(7777, c.integer(Setting.REST_API_PORT));
        assertEquals(60_000, c.lookbackDeltaMs());
        assertEquals(300_000, load(Map.of("METRIC_STORE_RETENTION_SECONDS", "900")).lookbackDeltaMs(), "capped at Prometheus' 5 m");
        assertEquals(500, load(Map.of("IS_ACTIVE_POLLING_INTERVAL_MS", "500")).resendIntervalMs());
    }

    @Test
    void flagForms() {
        assertTrue(load(Map.of(), "--demo").bool(Setting.DEMO));
        assertEquals("debug", load(Map.of(), "--zap-log-level", "debug").raw(Setting.LOG_LEVEL));
        assertEquals("error", load(Map.of(), "--zap-log-level=error", "--zap-stacktrace-level=error").raw(Setting.LOG_LEVEL));
        assertEquals(1234, load(Map.of(), "--otlp-receiver-port", "1234").integer(Setting.OTLP_RECEIVER_PORT));
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
        assertEquals(0, load(Map.of("OTLP_SERIES_CACHE_SLOTS", "0")).integer(Setting.OTLP_SERIES_CACHE_SLOTS));
        assertEquals(262144, load(Map.of()).integer(Setting.OTLP_SERIES_CACHE_SLOTS));
        assertMessage("OTLP_SERIES_CACHE_SLOTS must be 0 (off) or at least 8, got '3'", () -> load(Map.of("OTLP_SERIES_CACHE_SLOTS", "3")));
        assertMessage("OTLP_SERIES_CACHE_SLOTS must be 0 (off) or at least 8, got '-1'", () -> load(Map.of("OTLP_SERIES_CACHE_SLOTS", "-1")));
    }

    @Test
    void helpListsEverySettingWithFlagEnvAndDefault() {
        String help = Config.helpText();
        for (Setting s : Setting.values()) {
            assertTrue(help.contains(s.flag()) && help.contains(s.env()), s.name());
        }
        assertTrue(help.contains("default: 4317"));
    }

    private static void assertMessage(String fragment, Runnable r) {
        Config.ConfigException e = assertThrows(Config.ConfigException.class, r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
