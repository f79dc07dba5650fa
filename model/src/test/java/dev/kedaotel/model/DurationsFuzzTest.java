package dev.kedaotel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the duration and number grammars behind the HTTP API's parameters and the settings:
 * {@link Durations#parse}, {@link Durations#parseParameter}, {@link Durations#parseGo} and
 * {@link GoFloats#parseFloat} each return or throw {@link IllegalArgumentException} (of which
 * {@link NumberFormatException} is one) with a message; anything else is a finding. A duration that
 * parses is formatted and parsed again to the same value. The input is the parameter text (UTF-8).
 * Seeds: {@code src/test/resources/dev/kedaotel/model/DurationsFuzzTestInputs/durationsAndFloats/};
 * see docs/fuzzing.md.
 */
class DurationsFuzzTest {
    @FuzzTest
    void durationsAndFloats(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            long ms = Durations.parse(text);
            assertTrue(ms >= 0 && ms <= Durations.MAX_MS, () -> "parse(" + GoStrings.quote(text) + ") = " + ms);
            String formatted = Durations.format(ms);
            assertEquals(ms, Durations.parse(formatted),
                    () -> "format(parse(" + GoStrings.quote(text) + ")) = " + GoStrings.quote(formatted) + " reads back differently");
        } catch (IllegalArgumentException expected) {
            hasMessage(expected);
        }
        try {
            Durations.parseParameter(text);
        } catch (IllegalArgumentException expected) {
            hasMessage(expected);
        }
        try {
            Durations.parseGo(text);
        } catch (IllegalArgumentException expected) {
            hasMessage(expected);
        }
        try {
            GoFloats.parseFloat(text);
        } catch (NumberFormatException expected) {
            hasMessage(expected);
        }
    }

    private static void hasMessage(Exception e) {
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), () -> "error without a message: " + e);
    }
}
