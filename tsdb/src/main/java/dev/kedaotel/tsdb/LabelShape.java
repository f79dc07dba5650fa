package dev.kedaotel.tsdb;

import dev.kedaotel.model.LabelNames;

/**
 * The name part of a series key, shared by every series with the same label names: a metric's series
 * usually differ only in their values, so a series stores a shape id and its value symbols, and the
 * names live here once.
 *
 * <p>Two orders matter. Series keys are sorted by name <em>symbol id</em> ({@link #names}, the canonical
 * order of {@link LabelSetBuilder}); value symbols are stored in that order. {@code Labels} are sorted by
 * name <em>string</em>: {@link #labelNames} (the model's shared names of lazily decoded label sets)
 * knows that order and where each value sits. Immutable, so instances may be shared between threads.
 */
final class LabelShape {
    /** Id in {@link LabelShapes}. */
    final int id;
    /** Name symbols in key order (ascending id). */
    final int[] names;
    /** The names as strings in label order, with the symbol table that decodes this shape's values. */
    final LabelNames labelNames;

    private LabelShape(int id, int[] names, LabelNames labelNames) {
        this.id = id;
        this.names = names;
        this.labelNames = labelNames;
    }

    /** A key shape: {@code names} ascending by id, {@code strings[i]} the string of {@code names[i]}. */
    static LabelShape of(int id, int[] names, String[] strings, SymbolTable symbols) {
        return new LabelShape(id, names, LabelNames.inValueOrder(strings, symbols));
    }

    int size() {
        return names.length;
    }
}
