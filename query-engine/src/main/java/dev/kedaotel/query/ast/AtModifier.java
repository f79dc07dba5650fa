package dev.kedaotel.query.ast;

/** The {@code @} modifier of a selector or subquery: a fixed time, or the query's start or end. */
public final class AtModifier {
    public enum Kind { TIMESTAMP, START, END }

    public static final AtModifier START = new AtModifier(Kind.START, 0);
    public static final AtModifier END = new AtModifier(Kind.END, 0);

    private final Kind kind;
    private final long timestampMs;

    private AtModifier(Kind kind, long timestampMs) {
        this.kind = kind;
        this.timestampMs = timestampMs;
    }

    public static AtModifier at(long timestampMs) {
        return new AtModifier(Kind.TIMESTAMP, timestampMs);
    }

    public Kind kind() {
        return kind;
    }

    /** Only for {@link Kind#TIMESTAMP}. */
    public long timestampMs() {
        return timestampMs;
    }

    /** The evaluation time this modifier pins, given the query's start and end. */
    public long resolve(long queryStartMs, long queryEndMs) {
        switch (kind) {
            case START: return queryStartMs;
            case END: return queryEndMs;
            default: return timestampMs;
        }
    }

    @Override
    public String toString() {
        switch (kind) {
            case START: return " @ start()";
            case END: return " @ end()";
            default: return " @ " + String.format(java.util.Locale.ROOT, "%.3f", timestampMs / 1000.0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AtModifier && ((AtModifier) o).kind == kind && ((AtModifier) o).timestampMs == timestampMs;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Long.hashCode(timestampMs);
    }
}
