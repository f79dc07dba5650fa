package dev.kedaotel.query.standing;

import dev.kedaotel.query.PromQLException;

/**
 * One evaluation of a standing query: a scalar value, "no series matched", or the error the
 * evaluation raised. Immutable, so it is published between threads by reference.
 *
 * <p>{@link #dataVersion()} is the query's change counter read just before evaluating, and
 * {@link #evaluatedAtMs()} the store-clock time the query was evaluated at; together they order
 * answers so an evaluation that started earlier never replaces a later one.
 */
public final class Answer {
    private final boolean found;
    private final double value;
    private final Exception error;
    private final long dataVersion;
    private final long evaluatedAtMs;

    private Answer(boolean found, double value, Exception error, long dataVersion, long evaluatedAtMs) {
        this.found = found;
        this.value = value;
        this.error = error;
        this.dataVersion = dataVersion;
        this.evaluatedAtMs = evaluatedAtMs;
    }

    static Answer found(double value, long dataVersion, long evaluatedAtMs) {
        return new Answer(true, value, null, dataVersion, evaluatedAtMs);
    }

    static Answer notFound(long dataVersion, long evaluatedAtMs) {
        return new Answer(false, Double.NaN, null, dataVersion, evaluatedAtMs);
    }

    static Answer failed(Exception error, long dataVersion, long evaluatedAtMs) {
        return new Answer(false, Double.NaN, error, dataVersion, evaluatedAtMs);
    }

    /** True when the query produced a value (at least one fresh series matched). */
    public boolean found() {
        return found;
    }

    /** The value; NaN unless {@link #found()}. */
    public double value() {
        return value;
    }

    public boolean isError() {
        return error != null;
    }

    /** The evaluation error (usually a {@link PromQLException}), or null. */
    public Exception error() {
        return error;
    }

    /** The PromQL error kind name (BAD_DATA, EXECUTION, TIMEOUT, CANCELED), INTERNAL for other failures, or null. */
    public String errorKind() {
        if (error == null) {
            return null;
        }
        return error instanceof PromQLException ? ((PromQLException) error).kind().name() : "INTERNAL";
    }

    public long dataVersion() {
        return dataVersion;
    }

    public long evaluatedAtMs() {
        return evaluatedAtMs;
    }

    /** Whether this answer may replace {@code older}: it saw at least the same data, evaluated no earlier. */
    public boolean supersedes(Answer older) {
        if (older == null) {
            return true;
        }
        if (dataVersion != older.dataVersion) {
            return dataVersion > older.dataVersion;
        }
        return evaluatedAtMs >= older.evaluatedAtMs;
    }

    /** Same outcome (ignoring when it was computed): what decides whether subscribers hear about it. */
    public boolean sameResultAs(Answer other) {
        if (other == null || found != other.found || isError() != other.isError()) {
            return false;
        }
        if (isError()) {
            return String.valueOf(error.getMessage()).equals(String.valueOf(other.error.getMessage()));
        }
        return !found || Double.compare(value, other.value) == 0;
    }

    @Override
    public String toString() {
        if (error != null) {
            return "Answer{error=" + error.getMessage() + ", v" + dataVersion + "}";
        }
        return found ? "Answer{" + value + ", v" + dataVersion + "}" : "Answer{not found, v" + dataVersion + "}";
    }
}
