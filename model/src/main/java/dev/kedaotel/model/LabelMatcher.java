package dev.kedaotel.model;

import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher of a selector: {@code name op "value"} with Prometheus semantics. Regexes are
 * fully anchored, and an absent label matches as the empty string (so {@code {a=""}} selects series
 * without {@code a}, and {@code {a!="x"}} selects series without {@code a}).
 *
 * <p>Regexes of the common shapes {@code literal}, {@code literal.*} and {@code a|b|c} (literals only)
 * are answered with {@code equals} / {@code startsWith} / a set lookup instead of the regex engine,
 * which creates a {@code Matcher} per call: selecting {@code pod=~"pod-1.*"} over 1,000 values is a
 * loop of {@code startsWith}, not 1,000 regex matches.
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
    private final Pattern pattern;
    /** Fast path of a regex: the value must start with this (the regex was {@code literal.*}), or null. */
    private final String prefix;
    /** Fast path of a regex: the value must be one of these (the regex was {@code a|b|c} or a literal), or null. */
    private final Set<String> alternatives;

    private LabelMatcher(Type type, String name, String value) {
        this.type = type;
        this.name = name;
        this.value = value;
        if (type == Type.RE || type == Type.NRE) {
            try {
                // (?s): Prometheus' RE2 matchers let '.' match newlines.
                this.pattern = Pattern.compile("(?s)^(?:" + value + ")$");
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression in matcher " + name + type.symbol + "\""
                        + value + "\": " + e.getDescription(), e);
            }
            String v = value;
            if (v.endsWith(".*") && isLiteral(v.substring(0, v.length() - 2))) {
                this.prefix = v.substring(0, v.length() - 2);
                this.alternatives = null;
            } else if (isLiteral(v.replace("|", ""))) {
                this.prefix = null;
                this.alternatives = Set.of(dedupe(v.split("\\|", -1)));
            } else {
                this.prefix = null;
                this.alternatives = null;
            }
        } else {
            this.pattern = null;
            this.prefix = null;
            this.alternatives = null;
        }
    }

    /** True when {@code s} has no regex syntax at all, so it only matches itself. */
    private static boolean isLiteral(String s) {
        for (int i = 0; i < s.length(); i++) {
            if ("\\.+*?()|[]{}^$".indexOf(s.charAt(i)) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static String[] dedupe(String[] parts) {
        return new java.util.LinkedHashSet<>(java.util.Arrays.asList(parts)).toArray(new String[0]);
    }

    private boolean regexMatches(String labelValue) {
        if (prefix != null) {
            return labelValue.startsWith(prefix);
        }
        if (alternatives != null) {
            return alternatives.contains(labelValue);
        }
        return pattern.matcher(labelValue).matches();
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
