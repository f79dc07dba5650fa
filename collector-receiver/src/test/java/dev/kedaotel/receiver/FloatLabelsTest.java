package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FloatLabelsTest {
    @Test
    void leAndQuantileValuesUseGoFixedPointFormatting() {
        // The formatting itself is GoFloatsTest's; this pins that le/quantile labels use the 'f' form.
        assertEquals("1", FloatLabels.format(1.0));
        assertEquals("0.000000001", FloatLabels.format(1e-9));
        assertEquals("+Inf", FloatLabels.format(Double.POSITIVE_INFINITY));
    }

    @Test
    void doubleAttributesUseEs6NumberStyle() {
        assertEquals("0.25", AttributeValues.formatDouble(0.25));
        assertEquals("3", AttributeValues.formatDouble(3.0));
        assertEquals("0.000001", AttributeValues.formatDouble(1e-6));
        assertEquals("1e-7", AttributeValues.formatDouble(1e-7));
        assertEquals("-1.5e-10", AttributeValues.formatDouble(-1.5e-10));
        assertEquals("1e+21", AttributeValues.formatDouble(1e21));
        assertEquals("123456789012345680000", AttributeValues.formatDouble(1.2345678901234568e20));
    }

    @Test
    void symbolsAreCachedPerValue() {
        RecordingSink sink = new RecordingSink();
        FloatLabels f = new FloatLabels();
        int a = f.symbol(0.25, sink);
        assertEquals(a, f.symbol(0.25, sink));
        assertEquals("0.25", sink.symbol(a));
    }
}
