package dev.kedaotel.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expected texts are what Go's json.Marshal writes for the same strings. */
class GoJsonTest {
    @Test
    void htmlCharactersAndLineSeparatorsAreEscapedAsGoDoes() {
        assertEquals("\"\\u003ca\\u003e\"", GoJson.quote("<a>"));
        assertEquals("\"\\u0026b\"", GoJson.quote("&b"));
        assertEquals("\"x\\u2028y\\u2029z\"", GoJson.quote("x\u2028y\u2029z"));
    }

    @Test
    void controlCharactersUseShortFormsWhereGoHasThem() {
        String in = "\"\\\b\f\n\r\t" + (char) 0 + (char) 0x1b + (char) 0x7f;
        String want = "\"" + "\\\"" + "\\\\" + "\\b\\f\\n\\r\\t" + "\\" + "u0000" + "\\" + "u001b" + (char) 0x7f + "\"";
        assertEquals(want, GoJson.quote(in));
    }

    @Test
    void nonAsciiIsKeptAndBrokenSurrogatesBecomeReplacementCharacters() {
        assertEquals("\"é☃😀\"", GoJson.quote("é☃😀"));
        assertEquals("\"a\\ufffdb\\ufffd\"", GoJson.quote("a\ud800b\udc00"));
    }
}
