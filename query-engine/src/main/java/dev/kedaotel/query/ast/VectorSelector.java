package dev.kedaotel.query.ast;

import dev.kedaotel.model.GoStrings;

import dev.kedaotel.query.ValueType;
import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An instant vector selector such as {@code foo{a="b"} offset 5m @ 100}. {@link #matchers()} holds every
 * matcher including the {@code __name__} equality implied by a written metric name.
 */
public final class VectorSelector implements Expr {
    private final int position;
    private final String name;
    private final List<LabelMatcher> matchers;
    private final long offsetMs;
    private final AtModifier at;

    public VectorSelector(int position, String name, List<LabelMatcher> matchers, long offsetMs, AtModifier at) {
        this.position = position;
        this.name = name;
        this.matchers = List.copyOf(matchers);
        this.offsetMs = offsetMs;
        this.at = at;
    }

    /** The metric name written before the braces (or as a quoted name inside them), or null. */
    public String name() {
        return name;
    }

    public List<LabelMatcher> matchers() {
        return matchers;
    }

    /** Offset in ms; negative offsets look into the future. */
    public long offsetMs() {
        return offsetMs;
    }

    /** The {@code @} modifier, or null. */
    public AtModifier at() {
        return at;
    }

    public VectorSelector withOffset(long ms) {
        return new VectorSelector(position(), name, matchers, ms, at);
    }

    public VectorSelector withAt(AtModifier a) {
        return new VectorSelector(position(), name, matchers, offsetMs, a);
    }

    @Override
    public int position() {
        return position;
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    @Override
    public List<Expr> children() {
        return List.of();
    }

    /** The selector without its modifiers, e.g. {@code foo{a="b"}}. */
    String selectorText() {
        List<String> parts = new ArrayList<>();
        for (LabelMatcher m : matchers) {
            if (name != null && m.name().equals(Labels.METRIC_NAME) && m.type() == LabelMatcher.Type.EQ
                    && m.value().equals(name)) {
                continue;
            }
            parts.add(Formatting.matcher(m));
        }
        Collections.sort(parts);
        if (name != null && !Formatting.isPlainMetricName(name)) {
            // A UTF-8 name can only be written quoted, inside the braces.
            parts.add(0, GoStrings.quote(name));
            return "{" + String.join(",", parts) + "}";
        }
        String n = name == null ? "" : name;
        return parts.isEmpty() ? n : n + "{" + String.join(",", parts) + "}";
    }

    @Override
    public String toString() {
        return selectorText() + Formatting.modifiers(at, offsetMs);
    }
}
