package dev.kedaotel.server;

/**
 * Escaping of text put into HTML or XML (SVG): the one function the status page, the query explorer and
 * the simulator's SVG chart use for every string that is not their own markup. The result is safe as element
 * text and as a single- or double-quoted attribute value. Control characters other than tab and newline,
 * which XML 1.0 does not allow and HTML treats as parse errors, become spaces.
 */
public final class Markup {
    private Markup() {
    }

    /** {@code s} escaped; null is ""; a string with nothing to escape is returned as it is (no copy). */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String r = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> c < 0x20 && c != '\t' && c != '\n' ? " " : null;
            };
            if (r != null && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (r != null) {
                    b.append(r);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
