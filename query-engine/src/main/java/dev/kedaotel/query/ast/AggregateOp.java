package dev.kedaotel.query.ast;

import dev.kedaotel.query.ValueType;

/** Aggregation operators; those with a parameter name its type. */
public enum AggregateOp {
    SUM(null), AVG(null), MIN(null), MAX(null), COUNT(null), GROUP(null), STDDEV(null), STDVAR(null),
    TOPK(ValueType.SCALAR), BOTTOMK(ValueType.SCALAR), QUANTILE(ValueType.SCALAR), COUNT_VALUES(ValueType.STRING);

    private final ValueType paramType;

    AggregateOp(ValueType paramType) {
        this.paramType = paramType;
    }

    /** The type of the leading parameter, or null when the operator takes none. */
    public ValueType paramType() {
        return paramType;
    }

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Case-insensitive lookup, as PromQL keywords are; null when not an aggregator. */
    public static AggregateOp byKeyword(String word) {
        for (AggregateOp op : values()) {
            if (op.keyword().equalsIgnoreCase(word)) {
                return op;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return keyword();
    }
}
