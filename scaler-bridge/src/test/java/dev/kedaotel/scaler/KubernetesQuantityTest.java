package dev.kedaotel.scaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesQuantityTest {
    @ParameterizedTest
    @CsvSource({
        "8, 8",
        "0.5, 0.5",
        ".5, 0.5",
        "5., 5",
        "+3, 3",
        "-2.5, -2.5",
        "500m, 0.5",
        "250u, 0.00025",
        "1k, 1000",
        "1.5M, 1500000",
        "2G, 2e9",
        "1E, 1e18",
        "2Ki, 2048",
        "1Mi, 1048576",
        "1Gi, 1073741824",
        "1e3, 1000",
        "1E3, 1000",
        "25e-2, 0.25",
        "' 40 ', 40",
    })
    void parsesFloatsAndQuantities(String text, double expected) {
        assertEquals(expected, KubernetesQuantity.parse(text), Math.abs(expected) * 1e-12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1x", "1KiB", "k", "1e", "NaN", "Infinity", "1..2", "0x10"})
    void rejectsOtherText(String text) {
        NumberFormatException e = assertThrows(NumberFormatException.class, () -> KubernetesQuantity.parse(text));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
}
