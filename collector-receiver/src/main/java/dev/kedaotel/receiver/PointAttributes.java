package dev.kedaotel.receiver;

import dev.kedaotel.tsdb.AppendResult;
import java.util.Arrays;

/**
 * The label pairs of one data point's attributes, as (sanitised name symbol, value symbol), read from
 * the point's {@code KeyValue} fields ({@link #read}) and kept with the original key's position in the
 * request so that colliding keys can be ordered. Prometheus' rule is applied: when two keys sanitise
 * to the same label name (e.g. {@code a.b} and {@code a_b}) their values are joined with {@code ;} in
 * the lexicographic order of the original keys. Collisions are rare, so only that path allocates.
 * Not thread-safe; one per ingest worker.
 */
final class PointAttributes {
    private final IngestSink sink;
    private final AttributeValues attributeValues;
    private final NameSymbols labelNames;
    private final KeyValueField kv = new KeyValueField();
    /** The sink's label name limit, checked before the key is interned. */
    private final int maxNameBytes;
    private int[] names = new int[16];
    private int[] values = new int[16];
    private int[] keyOffs = new int[16];
    private int[] keyLens = new int[16];
    private int size;

    PointAttributes(IngestSink sink, AttributeValues attributeValues, NameSymbols labelNames) {
        this.sink = sink;
        this.attributeValues = attributeValues;
        this.labelNames = labelNames;
        this.maxNameBytes = sink.maxLabelNameLength();
    }

    /**
     * Replaces the pairs with the attributes among the fields in the cursor's range: those with tag
     * {@code attributesTag} (the data point type's {@code attributes} field), then joins collisions.
     * Returns 0, or the {@link AppendResult} rejection of a key or value over the sink's length limits:
     * then the pairs are cleared and the rest of the attributes are not interned (the cursor is left
     * anywhere in the range).
     */
    int read(ProtoCursor c, int attributesTag) throws MalformedOtlpException {
        size = 0;
        while (c.hasMore()) {
            int t = c.readTag();
            if (t != attributesTag) {
                c.skip(OtlpSchema.wireType(t));
                continue;
            }
            kv.read(c);
            int rejection = add(c.buf, kv.keyOffset, kv.keyLength, kv.valueStart, kv.valueEnd);
            if (rejection != 0) {
                return rejection;
            }
        }
        joinCollisions(c.buf);
        return 0;
    }

    /**
     * Adds one attribute given by its key and {@code AnyValue} ranges in {@code buf} (value -1, -1:
     * absent), as {@link #read} does for each; call {@link #joinCollisions} after the last. Returns 0, or
     * the rejection of a key or value over the length limits (then the pairs are cleared).
     */
    int add(byte[] buf, int keyOff, int keyLen, int valueStart, int valueEnd) throws MalformedOtlpException {
        if (keyLen == 0) {
            return 0; // no valid label name can come from an empty key
        }
        if (keyLen > maxNameBytes) {
            size = 0;
            return AppendResult.LABEL_NAME_TOO_LONG;
        }
        int value = valueStart < 0 ? attributeValues.emptySymbol() : attributeValues.symbol(buf, valueStart, valueEnd);
        if (value == AttributeValues.TOO_LONG) {
            size = 0;
            return AppendResult.LABEL_VALUE_TOO_LONG;
        }
        add(labelNames.label(buf, keyOff, keyLen), value, keyOff, keyLen);
        return 0;
    }

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    private void add(int nameSym, int valueSym, int keyOff, int keyLen) {
        if (size == names.length) {
            int n = size * 2;
            names = Arrays.copyOf(names, n);
            values = Arrays.copyOf(values, n);
            keyOffs = Arrays.copyOf(keyOffs, n);
            keyLens = Arrays.copyOf(keyLens, n);
        }
        names[size] = nameSym;
        values[size] = valueSym;
        keyOffs[size] = keyOff;
        keyLens[size] = keyLen;
        size++;
    }

    /** Merges pairs whose names collide; {@code buf} holds the original keys. */
    void joinCollisions(byte[] buf) {
        for (int i = 0; i < size; i++) {
            int name = names[i];
            if (name < 0) {
                continue;
            }
            for (int j = i + 1; j < size; j++) {
                if (names[j] == name) {
                    joinGroup(i, buf);
                    break;
                }
            }
        }
    }

    private void joinGroup(int first, byte[] buf) {
        int name = names[first];
        Integer[] group = java.util.stream.IntStream.range(first, size).filter(k -> names[k] == name)
                .boxed().toArray(Integer[]::new);
        Arrays.sort(group, (a, b) -> Arrays.compareUnsigned(buf, keyOffs[a], keyOffs[a] + keyLens[a],
                buf, keyOffs[b], keyOffs[b] + keyLens[b]));
        StringBuilder joined = new StringBuilder();
        for (int k = 0; k < group.length; k++) {
            if (k > 0) {
                joined.append(';');
            }
            joined.append(sink.symbol(values[group[k]]));
        }
        values[first] = sink.intern(joined.toString());
        for (Integer k : group) {
            if (k != first) {
                names[k] = -1;
            }
        }
    }

    void addTo(IngestSink target) {
        for (int i = 0; i < size; i++) {
            if (names[i] >= 0) {
                target.addLabel(names[i], values[i]);
            }
        }
    }
}
