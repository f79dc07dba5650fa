package dev.kedaotel.query.ast;

import java.util.List;

/** How a binary operation between two instant vectors pairs elements: {@code on/ignoring}, {@code group_x}. */
public final class VectorMatching {
    public enum Cardinality { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }

    private final Cardinality cardinality;
    private final List<String> matchingLabels;
    private final boolean on;
    private final List<String> include;

    public VectorMatching(Cardinality cardinality, List<String> matchingLabels, boolean on, List<String> include) {
        this.cardinality = cardinality;
        this.matchingLabels = List.copyOf(matchingLabels);
        this.on = on;
        this.include = List.copyOf(include);
    }

    public Cardinality cardinality() {
        return cardinality;
    }

    /** Labels listed in {@code on(...)} or {@code ignoring(...)}. */
    public List<String> matchingLabels() {
        return matchingLabels;
    }

    /** True for {@code on}, false for {@code ignoring} (or no clause). */
    public boolean on() {
        return on;
    }

    /** Labels listed in {@code group_left(...)}/{@code group_right(...)}, copied from the "one" side. */
    public List<String> include() {
        return include;
    }

    public VectorMatching withCardinality(Cardinality c) {
        return new VectorMatching(c, matchingLabels, on, include);
    }

    String render() {
        if (matchingLabels.isEmpty() && !on) {
            return "";
        }
        StringBuilder sb = new StringBuilder(on ? " on (" : " ignoring (").append(String.join(", ", matchingLabels)).append(')');
        if (cardinality == Cardinality.MANY_TO_ONE || cardinality == Cardinality.ONE_TO_MANY) {
            sb.append(cardinality == Cardinality.MANY_TO_ONE ? " group_left (" : " group_right (")
                    .append(String.join(", ", include)).append(')');
        }
        return sb.toString();
    }
}
