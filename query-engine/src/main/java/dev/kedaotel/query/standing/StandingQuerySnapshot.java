package dev.kedaotel.query.standing;

/**
 * A read-only view of one standing query at one moment, for status pages and debug endpoints: taking
 * it never evaluates and never holds a lock for longer than reading a counter.
 *
 * @param promql the canonical PromQL text (the key queries are shared by)
 * @param users handles currently held (one per ScaledObject using it)
 * @param subscribers open subscriptions (StreamIsActive streams)
 * @param latest the last computed answer, or null if it was never evaluated
 */
public record StandingQuerySnapshot(String promql, int users, int subscribers, Answer latest) {
}
