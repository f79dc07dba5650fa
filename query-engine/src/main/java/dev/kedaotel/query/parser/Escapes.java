package dev.kedaotel.query.parser;

import dev.kedaotel.query.PromQLException;

/** Go string-literal escapes, as PromQL strings use them. */
final class Escapes {
    private Escapes() {
    }

    /**
     * Decodes the escape starting at the backslash at {@code pos}, appends the character(s) to {@code out}
     * and returns the offset after the escape. Errors are reported at {@code tokenStart}, the string's
     * opening quote, as Prometheus' lexer does.
     */
    static int unescape(String in, int pos, char quote, StringBuilder out, int tokenStart) throws PromQLException {
        if (pos + 1 >= in.length()) {
            throw ParseErrors.at(in, tokenStart, "escape sequence not terminated");
        }
        char c = in.charAt(pos + 1);
        switch (c) {
            case 'a': out.append((char) 7); return pos + 2;
            case 'b': out.append('\b'); return pos + 2;
            case 'f': out.append('\f'); return pos + 2;
            case 'n': out.append('\n'); return pos + 2;
            case 'r': out.append('\r'); return pos + 2;
            case 't': out.append('\t'); return pos + 2;
            case 'v': out.append((char) 11); return pos + 2;
            case '\\': out.append('\\'); return pos + 2;
            case 'x': return hex(in, pos, 2, out, tokenStart);
            case 'u': return hex(in, pos, 4, out, tokenStart);
            case 'U': return hex(in, pos, 8, out, tokenStart);
            default:
                if (c == quote) {
                    out.append(c);
                    return pos + 2;
                }
                if (c >= '0' && c <= '7') {
                    int v = 0;
                    for (int i = 1; i <= 3; i++) {
                        char d = pos + i < in.length() ? in.charAt(pos + i) : 0;
                        if (d < '0' || d > '7') {
                            throw ParseErrors.at(in, tokenStart, "illegal character " + goRune(d) + " in escape sequence");
                        }
                        v = v * 8 + (d - '0');
                    }
                    if (v > 255) {
                        throw ParseErrors.at(in, tokenStart, "octal escape value > 255: " + v);
                    }
                    out.append((char) v);
                    return pos + 4;
                }
                throw ParseErrors.at(in, tokenStart, "unknown escape sequence " + goRune(c));
        }
    }

    /** Go's %#U: {@code U+0071 'q'}, the way Prometheus' lexer names a bad escape character. */
    static String goRune(int c) {
        return String.format(java.util.Locale.ROOT, "U+%04X '%s'", c, new String(Character.toChars(c)));
    }

    private static int hex(String in, int pos, int digits, StringBuilder out, int tokenStart) throws PromQLException {
        long v = 0;
        for (int i = 0; i < digits; i++) {
            int at = pos + 2 + i;
            int d = at < in.length() ? Character.digit(in.charAt(at), 16) : -1;
            if (d < 0) {
                throw ParseErrors.at(in, tokenStart, at < in.length()
                        ? "illegal character " + goRune(in.charAt(at)) + " in escape sequence"
                        : "escape sequence not terminated");
            }
            v = v * 16 + d;
        }
        if (v > Character.MAX_CODE_POINT || (v >= 0xD800 && v < 0xE000)) {
            throw ParseErrors.at(in, tokenStart, "escape sequence is an invalid Unicode code point");
        }
        out.appendCodePoint((int) v);
        return pos + 2 + digits;
    }
}
