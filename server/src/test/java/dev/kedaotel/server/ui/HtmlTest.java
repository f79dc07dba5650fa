package dev.kedaotel.server.ui;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class HtmlTest {
    @Test
    void escapesTheFiveCharactersThatEndTextOrAnAttribute() {
        assertEquals("&lt;script&gt;a(&quot;x&quot;, &#39;y&#39;) &amp;&amp; b&lt;/script&gt;", Html.esc("<script>a(\"x\", 'y') && b</script>"));
        assertEquals("", Html.esc(null));
        String plain = "sum(rate(x[1m]))";
        assertSame(plain, Html.esc(plain), "nothing to escape: no copy");
        assertEquals("&amp;lt;", Html.esc("&lt;"), "already-escaped text is text too");
    }

    @Test
    void theParseErrorPositionIsMarkedUnderItsColumnOnItsLine() {
        StringBuilder b = new StringBuilder();
        QueryExplorer.error(b, "sum(\nrate(x[5m]", "2:11: parse error: unclosed left parenthesis");
        assertEquals("<p class=\"err\" id=\"error\">2:11: parse error: unclosed left parenthesis</p><pre id=\"position\">rate(x[5m]\n"
                + "<span class=\"caret\">          ^ line 2, column 11</span></pre>", b.toString());
        StringBuilder none = new StringBuilder();
        QueryExplorer.error(none, "x", "9:1: parse error: beyond the text");
        assertEquals("<p class=\"err\" id=\"error\">9:1: parse error: beyond the text</p>", none.toString(), "no caret outside the query");
    }
}
