package dev.kedaotel.query;

/** The single number a scaling query produced, or "not found" when it selected nothing. */
public final class ScalarOutcome {
    private static final ScalarOutcome NOT_FOUND = new ScalarOutcome(false, Double.NaN);

    private final boolean found;
    private final double value;

    private ScalarOutcome(boolean found, double value) {
        this.found = found;
        this.value = value;
    }

    public static ScalarOutcome of(double value) {
        return new ScalarOutcome(true, value);
    }

    public static ScalarOutcome notFound() {
        return NOT_FOUND;
    }

    public boolean found() {
        return found;
    }

    /** The value; NaN when not found. */
    public double value() {
        return value;
    }

    @Override
    public String toString() {
        return found ? "found(" + value + ")" : "not found";
    }
}
