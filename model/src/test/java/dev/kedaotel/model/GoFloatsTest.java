package dev.kedaotel.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expected texts are what Prometheus 2.42's API printed for the same doubles (conformance suite). */
class GoFloatsTest {
    @Test
    void sampleValuesAsPrometheusWritesThem() {
        assertEquals("-0", GoFloats.formatSample(-0.0));
        assertEquals("0", GoFloats.formatSample(0.0));
        assertEquals("NaN", GoFloats.formatSample(Double.NaN));
        assertEquals("+Inf", GoFloats.formatSample(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", GoFloats.formatSample(Double.NEGATIVE_INFINITY));
        assertEquals("1.8260876715900511", GoFloats.formatSample(1.8260876715900511));
        assertEquals("70896679940719430", GoFloats.formatSample(7.0896679940719432E16), "Java 17 prints a 17th digit Go does not");
        assertEquals("1.7763568394002505e-15", GoFloats.formatSample(1.7763568394002505e-15));
        assertEquals("7.8245e+21", GoFloats.formatSample(7.8245e21));
        assertEquals("1.3574618069889182e+30", GoFloats.formatSample(1.3574618069889182e30));
        assertEquals("1e-07", GoFloats.formatSample(1e-7));
        assertEquals("0.000001", GoFloats.formatSample(1e-6));
        assertEquals("-2.5e-12", GoFloats.formatSample(-2.5e-12));
        assertEquals("100000000000000000000", GoFloats.formatSample(1e20));
        assertEquals("1e+21", GoFloats.formatSample(1e21));
        assertEquals("0.1", GoFloats.formatSample(0.1));
        assertEquals("6.483618076376552e+178", GoFloats.formatSample(6.4836180763765515e178), "the rounding-up neighbour reads back");
        assertEquals("-3.5", GoFloats.formatSample(-3.5));
    }

    @Test
    void fFormatNeverUsesAnExponent() {
        assertEquals("10000000000000000000000", GoFloats.formatF(1e22));
        assertEquals("0.0000001", GoFloats.formatF(1e-7));
        assertEquals("70896679940719430", GoFloats.formatF(7.0896679940719432E16));
        assertEquals("0.25", GoFloats.formatF(0.25));
        // Histogram bounds as Prometheus' OTLP translation writes them in le labels.
        assertEquals("1", GoFloats.formatF(1.0));
        assertEquals("0.005", GoFloats.formatF(0.005));
        assertEquals("2.5", GoFloats.formatF(2.5));
        assertEquals("1000000", GoFloats.formatF(1e6));
        assertEquals("0.000000001", GoFloats.formatF(1e-9));
        assertEquals("1000000000000000000000", GoFloats.formatF(1e21));
        assertEquals("-3.75", GoFloats.formatF(-3.75));
        assertEquals("0", GoFloats.formatF(0.0));
        assertEquals("-0", GoFloats.formatF(-0.0));
        assertEquals("+Inf", GoFloats.formatF(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", GoFloats.formatF(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", GoFloats.formatF(Double.NaN));
    }

    @Test
    void parsesWhatGoParseFloatParses() {
        assertEquals(1.0, GoFloats.parseFloat("1"));
        assertEquals(-0.5, GoFloats.parseFloat("-.5"));
        assertEquals(1500.0, GoFloats.parseFloat("1.5e3"));
        assertEquals(1.0, GoFloats.parseFloat("1."));
        assertEquals(3.0, GoFloats.parseFloat("0x1.8p1"));
        assertEquals(Double.POSITIVE_INFINITY, GoFloats.parseFloat("+Inf"));
        assertEquals(Double.NEGATIVE_INFINITY, GoFloats.parseFloat("-infinity"));
        org.junit.jupiter.api.Assertions.assertTrue(Double.isNaN(GoFloats.parseFloat("NaN")));
        for (String notGo : new String[] {"1d", "1f", "1D", " 1", "1 ", "", "+", "0x1", "1e", "1_0", "1e400", "Infinit", "٣"}) {
            org.junit.jupiter.api.Assertions.assertThrows(NumberFormatException.class, () -> GoFloats.parseFloat(notGo), notGo);
        }
    }
}
