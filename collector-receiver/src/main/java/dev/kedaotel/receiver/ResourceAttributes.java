package dev.kedaotel.receiver;

import java.util.Arrays;

/**
 * Where the attributes of the current {@code ResourceMetrics}' resource are in the request bytes: for
 * each {@code KeyValue} its field (tag included), key and value ranges, and whether its key is one of
 * the identifying {@code service.*} attributes. Noted once while {@link ResourceLabels} reads the
 * resource, so that promote-all and {@link TargetInfo} can interpret the attributes later (after the
 * count is known, or after the resource's points) without parsing them again, and so that the
 * attributes' contiguous bytes can key {@code target_info} in the series cache. Valid while the request
 * bytes are. Arrays grow once to the largest resource seen; no garbage per resource. Not thread-safe.
 */
final class ResourceAttributes {
    private int[] fieldStart = new int[16];
    private int[] fieldEnd = new int[16];
    private int[] keyOff = new int[16];
    private int[] keyLen = new int[16];
    /** The AnyValue's bytes, or -1, -1 when the value is absent. */
    private int[] valueStart = new int[16];
    private int[] valueEnd = new int[16];
    private boolean[] identifying = new boolean[16];
    private int count;
    private int identifyingCount;
    private boolean contiguous;

    void clear() {
        count = 0;
        identifyingCount = 0;
        contiguous = true;
    }

    /** Notes the attribute just read into {@code kv}, whose field spans {@code [start, end)}. */
    void add(int start, int end, KeyValueField kv, boolean isIdentifying) {
        if (count == keyOff.length) {
            int n = count * 2;
            fieldStart = Arrays.copyOf(fieldStart, n);
            fieldEnd = Arrays.copyOf(fieldEnd, n);
            keyOff = Arrays.copyOf(keyOff, n);
            keyLen = Arrays.copyOf(keyLen, n);
            valueStart = Arrays.copyOf(valueStart, n);
            valueEnd = Arrays.copyOf(valueEnd, n);
            identifying = Arrays.copyOf(identifying, n);
        }
        if (count > 0 && fieldEnd[count - 1] != start) {
            contiguous = false; // other fields (or another Resource message) in between
        }
        fieldStart[count] = start;
        fieldEnd[count] = end;
        keyOff[count] = kv.keyOffset;
        keyLen[count] = kv.keyLength;
        valueStart[count] = kv.valueStart;
        valueEnd[count] = kv.valueEnd;
        identifying[count] = isIdentifying;
        if (isIdentifying) {
            identifyingCount++;
        }
        count++;
    }

    int count() {
        return count;
    }

    /** Attributes other than {@code service.name}, {@code service.namespace}, {@code service.instance.id}. */
    int nonIdentifyingCount() {
        return count - identifyingCount;
    }

    int keyOffset(int i) {
        return keyOff[i];
    }

    int keyLength(int i) {
        return keyLen[i];
    }

    int valueStart(int i) {
        return valueStart[i];
    }

    int valueEnd(int i) {
        return valueEnd[i];
    }

    boolean identifying(int i) {
        return identifying[i];
    }

    /** Whether the attribute fields follow each other with nothing in between (then {@link #start()}..{@link #end()} is all of them). */
    boolean contiguous() {
        return contiguous && count > 0;
    }

    int start() {
        return fieldStart[0];
    }

    int end() {
        return fieldEnd[count - 1];
    }
}
