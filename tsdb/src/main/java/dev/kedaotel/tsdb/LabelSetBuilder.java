package dev.kedaotel.tsdb;

import java.util.Arrays;

/**
 * A mutable, reusable label set of (name symbol, value symbol) pairs used on the ingest path. Adding a
 * name twice replaces the earlier value; empty values (the empty string's symbol,
 * {@link SymbolTable#EMPTY}) are dropped, as in Prometheus. The order of adds does not matter: the store
 * canonicalises.
 *
 * <p>Canonical form (used as the series key): pairs sorted by name <em>symbol id</em>, unique names,
 * no empty values. It is only a key: the {@link Labels} of a series are sorted by name string.
 * Not thread-safe; allocation-free once its arrays have grown to the widest label set seen.
 */
public final class LabelSetBuilder {
    private int[] names = new int[16];
    private int[] values = new int[16];
    private int size;
    private boolean canonical;
    private int hash;

    public void clear() {
        size = 0;
        canonical = false;
    }

    /**
     * Sets {@code nameSymbol} to {@code valueSymbol}, replacing an earlier value of the same name; an
     * empty value removes the name (last one wins).
     */
    public void add(int nameSymbol, int valueSymbol) {
        if (nameSymbol < 0 || valueSymbol < 0) {
            throw new IllegalArgumentException("label symbols must be interned ids, got name=" + nameSymbol
                    + " value=" + valueSymbol);
        }
        canonical = false;
        for (int i = 0; i < size; i++) {
            if (names[i] == nameSymbol) {
                if (valueSymbol == SymbolTable.EMPTY) {
                    removeAt(i);
                } else {
                    values[i] = valueSymbol;
                }
                return;
            }
        }
        if (valueSymbol == SymbolTable.EMPTY) {
            return;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = nameSymbol;
        values[size] = valueSymbol;
        size++;
    }

    /** Number of (non-empty) pairs. */
    public int size() {
        return size;
    }

    private void removeAt(int i) {
        System.arraycopy(names, i + 1, names, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
    }

    /** Sorts by name symbol (insertion sort: label sets are small) and computes the key hash. */
    void canonicalize() {
        if (canonical) {
            return;
        }
        for (int i = 1; i < size; i++) {
            int n = names[i];
            int v = values[i];
            int j = i - 1;
            while (j >= 0 && names[j] > n) {
                names[j + 1] = names[j];
                values[j + 1] = values[j];
                j--;
            }
            names[j + 1] = n;
            values[j + 1] = v;
        }
        hash = hash(names, values, 0, size);
        canonical = true;
    }

    /** The key hash of {@code n} pairs: names {@code names[0..n)}, values {@code values[valuesAt..valuesAt+n)}. */
    static int hash(int[] names, int[] values, int valuesAt, int n) {
        int h = 1;
        for (int i = 0; i < n; i++) {
            h = h * 0x9E3779B1 + names[i];
            h = h * 0x9E3779B1 + values[valuesAt + i];
        }
        return SymbolTable.mix(h);
    }

    /** Hash of the canonical form; valid after {@link #canonicalize()}. */
    int hash() {
        return hash;
    }

    int name(int i) {
        return names[i];
    }

    int value(int i) {
        return values[i];
    }

    /** Whether the canonical names equal a shape's names (key order). */
    boolean sameNames(int[] shapeNames) {
        if (shapeNames.length != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (shapeNames[i] != names[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the canonical form equals a stored key: the shape's names and the value symbols at
     * {@code values[valuesAt ...]} (see {@link SeriesRegistry}'s key layout).
     */
    boolean sameAs(int[] shapeNames, int[] keyValues, int valuesAt) {
        if (shapeNames.length != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (keyValues[valuesAt + i] != values[i] || shapeNames[i] != names[i]) {
                return false;
            }
        }
        return true;
    }

    /** The value symbol of {@code nameSymbol}, or -1 when absent. */
    int valueOf(int nameSymbol) {
        for (int i = 0; i < size; i++) {
            if (names[i] == nameSymbol) {
                return values[i];
            }
        }
        return -1;
    }
}
