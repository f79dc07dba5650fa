package dev.kedaotel.query.standing;

/** Ends one {@link StandingQuery#subscribe(AnswerListener)}; closing twice is harmless. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
