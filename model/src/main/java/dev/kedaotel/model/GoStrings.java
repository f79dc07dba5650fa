package dev.kedaotel.model;

/**
 * Go's {@code strconv.Quote}, the quoting of Prometheus' error messages and of PromQL's canonical text:
 * double quotes, backslash escapes for quotes, backslashes and control characters ({@code \a \b \f \n
 * \r \t \v}, others as {@code \xNN}). Not JSON: for JSON text use {@link GoJson}. Stateless, thread-safe.
 */
public final class GoStrings {
    private GoStrings() {
    }

    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case 7: sb.append("\\a"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case 11: sb.append("\\v"); break;
                default:
                    if (cp < 0x20 || cp == 0x7f) {
                        sb.append("\\x").append(Character.forDigit(cp >> 4, 16)).append(Character.forDigit(cp & 15, 16));
                    } else {
                        sb.appendCodePoint(cp);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
