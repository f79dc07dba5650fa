package dev.kedaotel.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One label matcher of a selector: {@code name op "value"} with Prometheus semantics. Regexes are
 * fully anchored, and an absent label matches as the empty string (so {@code {a=""}} selects series
 * without {@code a}, and {@code {a!="x"}} selects series without {@code a}).
 *
 * <p>Regexes are Go's, as in Prometheus 2.42, and run in linear time: {@link GoRegexp} (RE2/J) checks
 * and compiles them, with Go's error texts; {@code .} does not match a newline. Matching a value costs
 * time linear in its length, so a selection over many values is bounded by their total length and the
 * query deadline, which the store checks between values, can stop it.
 *
 * <p>Regexes of the common shapes {@code literal}, {@code literal.*} and {@code a|b|c} (literals only;
 * a literal may escape punctuation, {@code 10\.0\.0\.1}) are answered with {@code equals} /
 * {@code startsWith} / a set lookup instead of the regex engine, which creates a {@code Matcher} per
 * call: selecting {@code pod=~"pod-1.*"} over 1,000 values is a loop of {@code startsWith}, not 1,000
 * regex matches. Such regexes are valid by construction and are not compiled at all, so a Grafana
 * multi-value variable of thousands of escaped values never meets RE2/J's limits.
 */
public final class LabelMatcher {
    public enum Type {
        EQ("="), NEQ("!="), RE("=~"), NRE("!~");

        public final String symbol;

        Type(String symbol) {
            this.symbol = symbol;
        }
    }

    private final Type type;
    private final String name;
    private final String value;
    /** The compiled regex, or null for equality matchers and regexes answered by a fast path. */
    private final GoRegexp regex;
    /** Fast path of a regex: the value must start with this (the regex was {@code literal.*}), or null. */
    private final String prefix;
    /** Fast path of a regex: the value must be one of these (the regex was {@code a|b|c} or a literal), or null. */
    private final Set<String> alternatives;

    private LabelMatcher(Type type, String name, String value) {
        this.type = type;
        this.name = name;
        this.value = value;
        String pre = null;
        Set<String> alts = null;
        GoRegexp re = null;
        if (type == Type.RE || type == Type.NRE) {
            if (value.endsWith(".*")) {
                pre = unescapeLiteral(value, 0, value.length() - 2);
            }
            if (pre == null) {
                alts = literalAlternatives(value);
            }
            if (pre == null && alts == null) {
                try {
                    re = GoRegexp.compileAnchored(value);
                } catch (GoRegexp.SyntaxException e) {
                    throw new IllegalArgumentException("invalid regular expression in matcher " + name + type.symbol
                            + "\"" + value + "\": " + e.getMessage(), e);
                }
            }
        }
        this.regex = re;
        this.prefix = pre;
        this.alternatives = alts;
    }

    /**
     * The values this matcher selects when they are a known finite set: an equality matcher's value,
     * or the literals of a regex of the form {@code a|b|c}; null otherwise. Lets a caller (the standing
     * queries' name index) know every metric name a {@code __name__=~"a|b"} selector can read.
     */
    public Set<String> literalValues() {
        if (type == Type.EQ) {
            return Set.of(value);
        }
        return type == Type.RE ? alternatives : null;
    }

    /**
     * The literal that {@code s[from, to)} matches when it has no regex syntax but escaped ASCII
     * punctuation ({@code \.} is '.'), else null.
     */
    private static String unescapeLiteral(String s, int from, int to) {
        StringBuilder sb = null;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 >= to || !isAsciiPunctuation(s.charAt(i + 1))) {
                    return null;
                }
                if (sb == null) {
                    sb = new StringBuilder(to - from).append(s, from, i);
                }
                sb.append(s.charAt(++i));
            } else if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                return null;
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s.substring(from, to) : sb.toString();
    }

    /** Go treats a backslash before ASCII punctuation as that character; before anything else it is syntax. */
    private static boolean isAsciiPunctuation(char c) {
        return c < 0x80 && !Character.isLetterOrDigit(c);
    }

    /** The literals of a regex {@code l1|l2|…} (one or more plain or escaped literals), else null. */
    private static Set<String> literalAlternatives(String v) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= v.length(); i++) {
            if (i == v.length() || v.charAt(i) == '|') {
                String lit = unescapeLiteral(v, start, i);
                if (lit == null) {
                    return null;
                }
                parts.add(lit);
                start = i + 1;
            } else if (v.charAt(i) == '\\') {
                i++; // an escaped character, possibly '|'
            }
        }
        return Set.copyOf(parts);
    }

    private boolean regexMatches(String labelValue) {
        if (prefix != null) {
            // ".*" does not match a newline (Go's default, as in Prometheus 2.42).
            return labelValue.startsWith(prefix) && labelValue.indexOf('\n', prefix.length()) < 0;
        }
        if (alternatives != null) {
            return alternatives.contains(labelValue);
        }
        return regex.matches(labelValue);
    }

    public static LabelMatcher of(Type type, String name, String value) {
        return new LabelMatcher(type, name, value);
    }

    public static LabelMatcher eq(String name, String value) {
        return new LabelMatcher(Type.EQ, name, value);
    }

    public Type type() {
        return type;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    /** Whether a label value ("" for absent) satisfies this matcher. */
    public boolean matches(String labelValue) {
        switch (type) {
            case EQ: return value.equals(labelValue);
            case NEQ: return !value.equals(labelValue);
            case RE: return regexMatches(labelValue);
            case NRE: return !regexMatches(labelValue);
            default: throw new AssertionError(type);
        }
    }

    /** True when the empty string (absent label) matches; such matchers cannot narrow by index alone. */
    public boolean matchesEmpty() {
        return matches("");
    }

    @Override
    public String toString() {
        return name + type.symbol + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LabelMatcher)) {
            return false;
        }
        LabelMatcher m = (LabelMatcher) o;
        return type == m.type && name.equals(m.name) && value.equals(m.value);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + name.hashCode()) * 31 + value.hashCode();
    }
}
