package dev.kedaotel.query.parser;

/**
 * Rejects the java.util.regex constructs RE2 (Prometheus' regex engine) does not have, with RE2's
 * words, so that a matcher Prometheus refuses is refused here too instead of silently matching:
 * lookaround and atomic groups ({@code (?=} {@code (?!} {@code (?<} {@code (?>}), backreferences
 * ({@code \1}…{@code \9}) and possessive quantifiers ({@code *+} {@code ++} {@code ?+} <code>}+</code>).
 */
final class Re2Syntax {
    private Re2Syntax() {
    }

    /** RE2's error text for the first unsupported construct in {@code re}, or null when there is none. */
    static String unsupported(String re) {
        boolean inClass = false;
        for (int i = 0; i < re.length(); i++) {
            char c = re.charAt(i);
            if (c == '\\') {
                if (i + 1 < re.length() && !inClass && re.charAt(i + 1) >= '1' && re.charAt(i + 1) <= '9') {
                    return "invalid escape sequence: `" + re.substring(i, i + 2) + "`";
                }
                i++;
                continue;
            }
            if (inClass) {
                inClass = c != ']';
                continue;
            }
            if (c == '[') {
                inClass = true;
                // A ']' right after '[' or '[^' is a literal member, not the end of the class.
                if (i + 1 < re.length() && re.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < re.length() && re.charAt(i + 1) == ']') {
                    i++;
                }
                continue;
            }
            if (c == '(' && re.startsWith("(?", i) && i + 2 < re.length() && "=!<>".indexOf(re.charAt(i + 2)) >= 0) {
                return "invalid or unsupported Perl syntax: `" + re.substring(i, i + 3) + "`";
            }
            if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < re.length() && re.charAt(i + 1) == '+') {
                int from = c == '}' ? Math.max(0, re.lastIndexOf('{', i)) : i;
                return "invalid nested repetition operator: `" + re.substring(from, i + 2) + "`";
            }
        }
        return null;
    }
}
