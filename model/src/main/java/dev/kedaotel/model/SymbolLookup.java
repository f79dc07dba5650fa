package dev.kedaotel.model;

/**
 * Resolves a value symbol id to its string. A store that keeps label values as interned ids (the tsdb's
 * symbol table) implements it, so that {@link Labels} handed out by the store can decode their values on
 * demand without this module knowing how symbols are stored. Implementations must be safe to call from
 * any thread for every id that a published label set holds.
 */
@FunctionalInterface
public interface SymbolLookup {
    /** The string of {@code id}; ids come from a label set the store published. */
    String symbol(int id);
}
