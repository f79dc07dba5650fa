package dev.kedaotel.server.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the Prometheus HTTP API's parameter parsing: {@link PromFormat#parseTime} ({@code time},
 * {@code start}, {@code end}: unix seconds or RFC 3339) and {@link PromFormat#parseDuration} ({@code step},
 * {@code timeout}, {@code lookback_delta}) return or throw {@link IllegalArgumentException} whose message names
 * the parameter, which the API turns into a 400 {@code bad_data} reply; any other exception, a hang or
 * running out of memory is a finding. The input is the parameter value (UTF-8). Seeds:
 * {@code src/test/resources/dev/kedaotel/server/http/PromFormatFuzzTestInputs/timeAndDuration/};
 * see docs/fuzzing.md.
 */
class PromFormatFuzzTest {
    @FuzzTest
    void timeAndDuration(byte[] data) {
        String value = new String(data, StandardCharsets.UTF_8);
        try {
            PromFormat.parseTime("time", value);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && e.getMessage().contains("\"time\""), () -> "message does not name the parameter: " + e);
        }
        try {
            PromFormat.parseDuration("step", value);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage() != null && e.getMessage().contains("\"step\""), () -> "message does not name the parameter: " + e);
        }
    }
}
