package dev.kedaotel.tsdb;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher of a selector: {@code name op "value"} with Prometheus semantics. Regexes are
 * fully anchored, and an absent label matches as the empty string (so {@code {a=""}} selects series
 * without {@code a}, and {@code {a!="x"}} selects series without {@code a}).
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
        } else {
            this.pattern = null;
        }
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
            case RE: return pattern.matcher(labelValue).matches();
            case NRE: return !pattern.matcher(labelValue).matches();
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
