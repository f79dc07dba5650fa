package dev.kedaotel.tsdb;

/**
 * How a caller stops a long store operation: the store calls {@link #check()} between units of work (in
 * {@link TimeSeriesStore#select(java.util.List, IntList, Cancellation)}, every
 * {@value LabelIndex#CHECK_EVERY_VALUES} label values it tests against a matcher), and whatever the check
 * throws (the query engine throws its timeout or cancellation error) leaves the store unchanged, with its
 * locks released, and reaches the caller as thrown. The store knows nothing of deadlines or clocks: the
 * caller's check owns them.
 *
 * @param <E> what {@link #check()} throws
 */
@FunctionalInterface
public interface Cancellation<E extends Exception> {
    /** Never stops anything. */
    Cancellation<RuntimeException> NONE = () -> { };

    /** Returns normally to go on; throws to stop the operation. */
    void check() throws E;
}
