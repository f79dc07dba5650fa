package dev.kedaotel.tsdb;

import java.util.Arrays;

/**
 * Interns {@link LabelShape}s (the name part of series keys) as dense ids. Shapes are never removed:
 * there are few of them (one per distinct set of label names, typically a handful per metric) and a
 * removed series' key may still be read during its ref's quarantine.
 *
 * <p>Concurrency: {@link #intern} is called by the store under its write lock (one writer). {@link #get}
 * is lock-free: the writer stores the shape into the id array before the release store that publishes a
 * key naming the id (see {@link SeriesRegistry}), and a grown array is published through the volatile
 * field after it is filled, so a reader that learnt an id with acquire semantics finds its shape.
 */
final class LabelShapes {
    private final SymbolTable symbols;
    private volatile LabelShape[] byId = new LabelShape[16];
    private int count;
    /** Open addressing by names hash: shape id + 1, 0 = empty (writer only). */
    private int[] index = new int[32];

    LabelShapes(SymbolTable symbols) {
        this.symbols = symbols;
    }

    LabelShape get(int id) {
        return byId[id];
    }

    int count() {
        return count;
    }

    /** The id of the shape of the builder's names (canonical order), interning it when new. */
    int intern(LabelSetBuilder b) {
        int h = 1;
        for (int i = 0; i < b.size(); i++) {
            h = h * 0x9E3779B1 + b.name(i);
        }
        h = SymbolTable.mix(h);
        int mask = index.length - 1;
        int i = h & mask;
        LabelShape[] shapes = byId;
        while (index[i] != 0) {
            LabelShape s = shapes[index[i] - 1];
            if (b.sameNames(s.names)) {
                return s.id;
            }
            i = (i + 1) & mask;
        }
        int id = count;
        int[] names = new int[b.size()];
        String[] strings = new String[names.length];
        for (int k = 0; k < names.length; k++) {
            names[k] = b.name(k);
            strings[k] = symbols.symbol(names[k]);
        }
        if (id == shapes.length) {
            shapes = Arrays.copyOf(shapes, id * 2);
        }
        shapes[id] = LabelShape.of(id, names, strings, symbols);
        byId = shapes;
        count = id + 1;
        index[i] = id + 1;
        if (count * 2 > index.length) {
            rehash(index.length * 2);
        }
        return id;
    }

    private void rehash(int capacity) {
        int[] t = new int[capacity];
        LabelShape[] shapes = byId;
        for (int id = 0; id < count; id++) {
            int h = 1;
            for (int n : shapes[id].names) {
                h = h * 0x9E3779B1 + n;
            }
            int i = SymbolTable.mix(h) & (capacity - 1);
            while (t[i] != 0) {
                i = (i + 1) & (capacity - 1);
            }
            t[i] = id + 1;
        }
        index = t;
    }
}
