package dev.kedaotel.query.eval;

import dev.kedaotel.model.Labels;

/**
 * The series a selector picked: refs and their label sets in ref order, and the store's series epoch read
 * before the selection ran (see {@link SelectionCache}). Immutable.
 */
final class Selection {
    final long epoch;
    final int[] refs;
    final Labels[] labels;

    Selection(long epoch, int[] refs, Labels[] labels) {
        this.epoch = epoch;
        this.refs = refs;
        this.labels = labels;
    }
}
