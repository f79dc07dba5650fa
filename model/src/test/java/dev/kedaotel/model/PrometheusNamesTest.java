package dev.kedaotel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The receiver sanitises bytes, the query engine strings: both paths must agree. */
class PrometheusNamesTest {
    private static final String[] NAMES = {
        "http.server.duration", "already_valid:total", "9lives", "größe", "a-b/c", "__name__", "x..y", "",
    };

    @Test
    void byteAndStringSanitisingAgree() {
        for (String n : NAMES) {
            assertEquals(PrometheusNames.metricName(n), viaBytes(n, true), "metric " + n);
            assertEquals(PrometheusNames.labelName(n), viaBytes(n, false), "label " + n);
        }
    }

    @Test
    void knownExamples() {
        assertEquals("http_server_duration", PrometheusNames.metricName("http.server.duration"));
        assertEquals("_9lives", PrometheusNames.metricName("9lives"));
        assertEquals("key_9lives", PrometheusNames.labelName("9lives"));
        assertEquals("gr__e", PrometheusNames.metricName("größe"));
        assertEquals("a_b", PrometheusNames.labelName("a:b"));
        assertEquals("a:b", PrometheusNames.metricName("a:b"));
    }

    private static String viaBytes(String name, boolean metric) {
        byte[] src = ("##" + name).getBytes(StandardCharsets.UTF_8);
        int len = src.length - 2;
        if (PrometheusNames.isValidUtf8(src, 2, len, metric)) {
            return name;
        }
        byte[] dst = new byte[len + 4];
        int n = PrometheusNames.sanitizeUtf8(src, 2, len, dst, metric);
        return new String(dst, 0, n, StandardCharsets.UTF_8);
    }
}
