package dev.kedaotel.query.standing;

/**
 * Told when a subscribed standing query's answer changed. Called on the single evaluator thread:
 * implementations must not block (hand the answer off, e.g. to a gRPC stream that coalesces it).
 * Exceptions are logged and swallowed so one bad subscriber cannot stop the others.
 */
@FunctionalInterface
public interface AnswerListener {
    void onAnswer(Answer answer);
}
