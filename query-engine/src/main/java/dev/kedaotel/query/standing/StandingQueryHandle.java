package dev.kedaotel.query.standing;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One reference to a shared {@link StandingQuery}. Each user (a ScaledObject, an open stream) holds
 * its own handle and closes it when done; the query is dropped when the last handle closes.
 * Closing twice is harmless.
 */
public final class StandingQueryHandle implements AutoCloseable {
    private final StandingQueries owner;
    private final StandingQuery query;
    private final AtomicBoolean released = new AtomicBoolean();

    StandingQueryHandle(StandingQueries owner, StandingQuery query) {
        this.owner = owner;
        this.query = query;
    }

    public StandingQuery query() {
        return query;
    }

    /** Shorthand for {@code query().current()}. */
    public Answer current() {
        return query.current();
    }

    /** Shorthand for {@code query().current(notBeforeMs)}. */
    public Answer current(long notBeforeMs) {
        return query.current(notBeforeMs);
    }

    public Subscription subscribe(AnswerListener listener) {
        return query.subscribe(listener);
    }

    /** Another reference to the same query, independent of this one's lifetime. */
    public StandingQueryHandle share() {
        if (released.get()) {
            throw new IllegalStateException("handle of " + query.text() + " already released");
        }
        return owner.acquireExisting(query);
    }

    public boolean isReleased() {
        return released.get();
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            owner.release(query);
        }
    }
}
