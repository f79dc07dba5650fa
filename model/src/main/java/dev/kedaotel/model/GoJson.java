package dev.kedaotel.model;

/**
 * JSON string text exactly as Go's {@code encoding/json} writes it with {@code json.Marshal}, the one
 * escaper of this service. It matters beyond looks: kedify/otel-add-on and Prometheus' OTLP translator
 * turn an array or map attribute into a label value with {@code json.Marshal}, so the same attribute
 * must become byte-for-byte the same label value here, or queries written against them stop matching.
 *
 * <p>Go's rules: {@code "} and {@code \} are backslash-escaped; {@code \b \f \n \r \t} use their short
 * forms; other control characters below U+0020 are {@code &#92;u00XX} (lower-case hex); {@code <}, {@code >}
 * and {@code &} are {@code &#92;u003c}, {@code &#92;u003e}, {@code &#92;u0026} (HTML-safe by default); U+2028 and
 * U+2029 are {@code &#92;u2028}, {@code &#92;u2029}; an unpaired surrogate (invalid UTF-8 in Go) becomes
 * {@code &#92;ufffd}. Everything else, including non-ASCII, is written as is. Stateless and thread-safe.
 */
public final class GoJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoJson() {
    }

    /** {@code s} as a quoted JSON string. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        appendQuoted(sb, s);
        return sb.toString();
    }

    /** Appends {@code s} as a quoted JSON string. */
    public static void appendQuoted(StringBuilder sb, CharSequence s) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '<': case '>': case '&': case '\u2028': case '\u2029':
                    unicodeEscape(sb, c);
                    break;
                default:
                    if (c < 0x20) {
                        unicodeEscape(sb, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        sb.append("\\ufffd");
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
    }
}
