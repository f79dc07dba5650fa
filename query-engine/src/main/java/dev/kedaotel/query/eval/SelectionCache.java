package dev.kedaotel.query.eval;

import dev.kedaotel.query.ast.VectorSelector;
import dev.kedaotel.tsdb.TimeSeriesStore;
import java.util.IdentityHashMap;

/**
 * The series each selector of one long-lived expression picked, kept across evaluations while the store's
 * set of series is unchanged, so a standing query re-evaluated after every Export does not run the label
 * index and build the selected label sets each time (for a 10k-series selector that is most of the
 * evaluation's allocation).
 *
 * <p>Validity: an entry remembers the {@link TimeSeriesStore#seriesEpoch()} read <em>before</em> its
 * selection ran. The store increments the epoch after every creation or removal of a series (after the
 * label index changed), so an entry whose epoch still equals the current one cannot miss a series created
 * since or hold the ref of one removed since: a change racing the selection leaves the entry with an older
 * epoch, and the next evaluation selects again.
 *
 * <p>Thread-safety: evaluations of one standing query may run concurrently (the evaluator thread and a
 * caller re-evaluating synchronously), so access is synchronised; entries are immutable once published.
 * Keys are AST nodes by identity: one cache serves exactly one parsed expression.
 */
public final class SelectionCache {
    private final IdentityHashMap<VectorSelector, Selection> entries = new IdentityHashMap<>();

    /** The cached selection of {@code selector} if it was taken at {@code epoch}, else null. */
    synchronized Selection get(VectorSelector selector, long epoch) {
        Selection s = entries.get(selector);
        return s != null && s.epoch == epoch ? s : null;
    }

    synchronized void put(VectorSelector selector, Selection selection) {
        Selection old = entries.get(selector);
        if (old == null || old.epoch <= selection.epoch) {
            entries.put(selector, selection);
        }
    }
}
