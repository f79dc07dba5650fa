package dev.kedaotel.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.kedaotel.model.OtlpMetricType.EXPONENTIAL_HISTOGRAM;
import static dev.kedaotel.model.OtlpMetricType.GAUGE;
import static dev.kedaotel.model.OtlpMetricType.HISTOGRAM;
import static dev.kedaotel.model.OtlpMetricType.MONOTONIC_COUNTER;
import static dev.kedaotel.model.OtlpMetricType.NON_MONOTONIC_COUNTER;
import static dev.kedaotel.model.OtlpMetricType.SUMMARY;
import static dev.kedaotel.model.OtlpTranslationStrategy.KEDIFY_COMPATIBLE;
import static dev.kedaotel.model.OtlpTranslationStrategy.NO_TRANSLATION;
import static dev.kedaotel.model.OtlpTranslationStrategy.NO_UTF8_ESCAPING_WITH_SUFFIXES;
import static dev.kedaotel.model.OtlpTranslationStrategy.UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES;
import static dev.kedaotel.model.OtlpTranslationStrategy.UNDERSCORE_ESCAPING_WITH_SUFFIXES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The translation table, each strategy against the same metric shapes. Expected names are Prometheus'
 * own: the cases marked {@code [mnt]} are rows of {@code TestMetricNamer_Build} in
 * prometheus/otlptranslator {@code metric_namer_test.go} (e.g. "metric with per unit": {@code requests},
 * {@code 1/s} → {@code requests_per_second}; "metric with unit containing braces is ignored"; "metric name
 * already contains unit suffix"; "http.request.duration/Prometheus-style" → {@code
 * http_request_duration_milliseconds}; "http.requests/OTel-style" → {@code http.requests}; "utf8 gauge with
 * unit 1 gets ratio suffix" → {@code cpu_usagé_ratio}); {@code [readme]} is the otlptranslator README's
 * example ({@code http.server.request.duration}, {@code s}, histogram →
 * {@code http_server_request_duration_seconds}); {@code [doc]} Prometheus' Build() doc comment
 * ({@code requests.count}, unit {@code 1}, counter → {@code requests_count_total}; {@code memory.usage},
 * {@code By} → {@code memory_usage_bytes}). The rest follow from the same rules.
 */
class OtlpNamesTest {
    @ParameterizedTest(name = "{0} {1} [{2}] {3}")
    @CsvSource(delimiter = '|', value = {
        // strategy                          | name                          | unit      | type              | expected
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | http.server.requests          | ''        | MONOTONIC_COUNTER | http_server_requests_total",
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | requests                      | ''        | MONOTONIC_COUNTER | requests_total",            // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | requests.count                | 1         | MONOTONIC_COUNTER | requests_count_total",      // [doc]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | http.requests                 | 1         | MONOTONIC_COUNTER | http_requests_total",       // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | jobs.done                     | {job}     | MONOTONIC_COUNTER | jobs_done_total",
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | cpu.time                      | s         | MONOTONIC_COUNTER | cpu_time_seconds_total",
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | requests_total                | ''        | MONOTONIC_COUNTER | requests_total",            // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | memory.usage                  | By        | GAUGE             | memory_usage_bytes",        // [doc]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | response_time                 | ms        | GAUGE             | response_time_milliseconds", // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | queue.wait                    | s         | GAUGE             | queue_wait_seconds",
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | cpu_usage                     | 1         | GAUGE             | cpu_usage_ratio",           // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | cpu_usage_ratio               | 1         | GAUGE             | cpu_usage_ratio",           // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | items                         | 1         | MONOTONIC_COUNTER | items_total",               // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | cpu_usage                     | %         | GAUGE             | cpu_usage_percent",         // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | custom_metric                 | {custom}  | GAUGE             | custom_metric",             // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | http.server.active_requests   | {request} | NON_MONOTONIC_COUNTER | http_server_active_requests",
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | custom_metric                 | By/{custom} | GAUGE           | custom_metric_bytes",       // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | throughput                    | By/s      | GAUGE             | throughput_bytes_per_second", // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | requests                      | 1/s       | GAUGE             | requests_per_second",       // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | response_time_seconds         | s         | GAUGE             | response_time_seconds",     // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | custom_metric                 | custom_unit | GAUGE           | custom_metric_custom_unit", // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | metric__with__multiple__underscores | unit__multiple__underscores | GAUGE | metric_with_multiple_underscores_unit_multiple_underscores", // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | http.server.request.duration  | s         | HISTOGRAM         | http_server_request_duration_seconds", // [readme]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | http.request.duration         | ms        | HISTOGRAM         | http_request_duration_milliseconds", // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | request_size                  | By        | EXPONENTIAL_HISTOGRAM | request_size_bytes",    // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | response_time                 | ms        | SUMMARY           | response_time_milliseconds", // [mnt]
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | 123metric                     | ''        | GAUGE             | _123metric",
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | métric.ñ                      | ''        | GAUGE             | m_tric",
        "UNDERSCORE_ESCAPING_WITH_SUFFIXES    | @#$%                          | ''        | GAUGE             | ''",                        // [mnt] invalid
        "UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES | http.server.requests          | ''        | MONOTONIC_COUNTER | http_server_requests",
        "UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES | queue.wait                    | s         | GAUGE             | queue_wait",
        "UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES | metric@@##$$name              | ''        | GAUGE             | metric_name",               // [mnt]
        "UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES | 123metric                     | ''        | GAUGE             | _123metric",                // [mnt]
        "UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES | .a..b.                        | ''        | GAUGE             | a_b",
        "UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES | métric.ñ                      | ''        | GAUGE             | m_tric",
        "KEDIFY_COMPATIBLE                    | http.server.requests          | ''        | MONOTONIC_COUNTER | http_server_requests",
        "KEDIFY_COMPATIBLE                    | queue.wait                    | s         | GAUGE             | queue_wait",
        "KEDIFY_COMPATIBLE                    | .a..b.                        | ''        | GAUGE             | _a__b_",
        "KEDIFY_COMPATIBLE                    | métric.ñ                      | ''        | GAUGE             | m_tric__",
        "NO_UTF8_ESCAPING_WITH_SUFFIXES       | http.server.requests          | ''        | MONOTONIC_COUNTER | http.server.requests_total",
        "NO_UTF8_ESCAPING_WITH_SUFFIXES       | requests_total                | ''        | MONOTONIC_COUNTER | requests_total",            // [mnt]
        "NO_UTF8_ESCAPING_WITH_SUFFIXES       | cpu_seconds_total             | s         | MONOTONIC_COUNTER | cpu_seconds_total",         // [mnt]
        "NO_UTF8_ESCAPING_WITH_SUFFIXES       | cpu_usagé                     | 1         | GAUGE             | cpu_usagé_ratio",           // [mnt]
        "NO_UTF8_ESCAPING_WITH_SUFFIXES       | respønse_time                 | ms        | GAUGE             | respønse_time_milliseconds", // [mnt]
        "NO_UTF8_ESCAPING_WITH_SUFFIXES       | requêsts                      | 1/s       | GAUGE             | requêsts_per_second",       // [mnt]
        "NO_UTF8_ESCAPING_WITH_SUFFIXES       | memory.usage                  | By        | GAUGE             | memory.usage_bytes",
        "NO_UTF8_ESCAPING_WITH_SUFFIXES       | http.server.request.duration  | s         | HISTOGRAM         | http.server.request.duration_seconds",
        "NO_UTF8_ESCAPING_WITH_SUFFIXES       | jobs.done                     | {job}     | MONOTONIC_COUNTER | jobs.done_total",
        "NO_TRANSLATION                       | http.requests                 | 1         | MONOTONIC_COUNTER | http.requests",             // [mnt]
        "NO_TRANSLATION                       | http.request.duration         | ms        | HISTOGRAM         | http.request.duration",     // [mnt]
    })
    void metricNames(OtlpTranslationStrategy strategy, String name, String unit, OtlpMetricType type, String expected) {
        assertEquals(expected == null ? "" : expected, OtlpNames.metricName(strategy, name, unit == null ? "" : unit, type));
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @CsvSource(delimiter = '|', value = {
        // unit ([mnt]'s wantUnitName)  | escaped                | unescaped
        "s                              | seconds                | seconds",
        "ms                             | milliseconds           | milliseconds",
        "By                             | bytes                  | bytes",
        "By/s                           | bytes_per_second       | bytes_per_second",
        "1/s                            | per_second             | per_second",
        "1                              | ''                     | ''",
        "%                              | percent                | percent",
        "{request}                      | ''                     | ''",
        "' By / s '                     | bytes_per_second       | bytes_per_second",
        "unit@with#special/chars        | unit_with_special_per_chars | unit@with#special_per_chars",
    })
    void metadataUnits(String unit, String escaped, String unescaped) {
        assertEquals(escaped == null ? "" : escaped, OtlpNames.unitName(UNDERSCORE_ESCAPING_WITH_SUFFIXES, unit));
        assertEquals(unescaped == null ? "" : unescaped, OtlpNames.unitName(NO_UTF8_ESCAPING_WITH_SUFFIXES, unit));
    }

    @Test
    void labelNames() {
        // label_namer.go's doc examples: http.method → http_method, 123invalid → key_123invalid, __reserved__ kept.
        assertEquals("http_method", OtlpNames.labelName(UNDERSCORE_ESCAPING_WITH_SUFFIXES, "http.method"));
        assertEquals("key_123invalid", OtlpNames.labelName(UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES, "123invalid"));
        assertEquals("__reserved__", OtlpNames.labelName(UNDERSCORE_ESCAPING_WITH_SUFFIXES, "__reserved__"));
        assertEquals("key_x", OtlpNames.labelName(UNDERSCORE_ESCAPING_WITH_SUFFIXES, "_x"));
        assertEquals("_x", OtlpNames.labelName(KEDIFY_COMPATIBLE, "_x"));
        assertEquals("k8s.pod.name", OtlpNames.labelName(NO_UTF8_ESCAPING_WITH_SUFFIXES, "k8s.pod.name"));
        assertEquals("k8s.pod.name", OtlpNames.labelName(NO_TRANSLATION, "k8s.pod.name"));
        assertEquals("k8s_pod_name", OtlpNames.labelName(KEDIFY_COMPATIBLE, "k8s.pod.name"));
    }

    @Test
    void kedifyCandidatesCoverEveryStoredFormOfTheName() {
        Set<String> c = OtlpNames.candidates(UNDERSCORE_ESCAPING_WITH_SUFFIXES, "http.server.requests");
        for (String stored : new String[] {"http_server_requests", "http_server_requests_total", "http_server_requests_seconds",
            "http_server_requests_seconds_total", "http_server_requests_ratio", "http_server_requests_bytes_per_second",
            "http_server_requests_per_second_total", "http_server_requests_percent"}) {
            assertTrue(c.contains(stored), stored);
        }
        assertEquals(c, OtlpNames.candidates(UNDERSCORE_ESCAPING_WITH_SUFFIXES, "http_server_requests"));
        assertFalse(c.contains("http_server_requests_active"));
        assertFalse(c.contains("http_server_requests_custom_unit"));
        assertTrue(OtlpNames.candidates(NO_UTF8_ESCAPING_WITH_SUFFIXES, "http.server.requests").contains("http.server.requests_total"));
        assertEquals(Set.of("http_server_requests"), OtlpNames.candidates(KEDIFY_COMPATIBLE, "http.server.requests"));
        assertEquals(Set.of("http_server_requests"), OtlpNames.candidates(UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES, "http.server.requests"));
        assertEquals(Set.of("http.server.requests"), OtlpNames.candidates(NO_TRANSLATION, "http.server.requests"));
    }

    @Test
    void strategiesAreSpelledAsPrometheusSpellsThem() {
        assertEquals(UNDERSCORE_ESCAPING_WITH_SUFFIXES, OtlpTranslationStrategy.fromWireName("UnderscoreEscapingWithSuffixes"));
        assertEquals(NO_UTF8_ESCAPING_WITH_SUFFIXES, OtlpTranslationStrategy.fromWireName("NoUTF8EscapingWithSuffixes"));
        assertEquals(KEDIFY_COMPATIBLE, OtlpTranslationStrategy.fromWireName("kedifycompatible"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OtlpTranslationStrategy.fromWireName("Underscore"));
        assertTrue(e.getMessage().contains("NoTranslation"), e.getMessage());
    }

    @Test
    void unusedTypesNameLikeGauges() {
        assertEquals("q_seconds", OtlpNames.metricName(UNDERSCORE_ESCAPING_WITH_SUFFIXES, "q", "s", HISTOGRAM));
        assertEquals("q_seconds", OtlpNames.metricName(UNDERSCORE_ESCAPING_WITH_SUFFIXES, "q", "s", SUMMARY));
        assertEquals("q_seconds", OtlpNames.metricName(UNDERSCORE_ESCAPING_WITH_SUFFIXES, "q", "s", EXPONENTIAL_HISTOGRAM));
        assertEquals("q", OtlpNames.metricName(UNDERSCORE_ESCAPING_WITH_SUFFIXES, "q", "1", NON_MONOTONIC_COUNTER));
        assertEquals("q_ratio", OtlpNames.metricName(UNDERSCORE_ESCAPING_WITH_SUFFIXES, "q", "1", GAUGE));
        assertEquals("q_total", OtlpNames.metricName(UNDERSCORE_ESCAPING_WITH_SUFFIXES, "total.q", "", MONOTONIC_COUNTER));
    }
}
