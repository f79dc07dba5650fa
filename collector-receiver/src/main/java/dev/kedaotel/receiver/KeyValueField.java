package dev.kedaotel.receiver;

import dev.kedaotel.receiver.OtlpSchema.KeyValue;

/**
 * The key and value byte ranges of one OTLP {@code KeyValue} (a resource or data point attribute), read
 * straight from the wire, so that the two readers of attributes ({@link ResourceLabels} and
 * {@link PointAttributes}) share one loop over its fields. One mutable instance per reader: reading
 * allocates nothing. Not thread-safe.
 */
final class KeyValueField {
    /** The key's bytes (empty when absent: {@code keyLength} 0). */
    int keyOffset;
    int keyLength;
    /** The value's {@code AnyValue} bytes, or -1, -1 when the value is absent. */
    int valueStart;
    int valueEnd;

    /** Reads the length-delimited KeyValue at the cursor (after its tag) and leaves the cursor after it. */
    void read(ProtoCursor c) throws MalformedOtlpException {
        int saved = c.enter();
        int end = c.limit;
        keyOffset = 0;
        keyLength = 0;
        valueStart = -1;
        valueEnd = -1;
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == KeyValue.KEY_TAG) {
                int e = c.readLengthEnd();
                keyOffset = c.pos;
                keyLength = e - c.pos;
                c.pos = e;
            } else if (t == KeyValue.VALUE_TAG) {
                valueEnd = c.readLengthEnd();
                valueStart = c.pos;
                c.pos = valueEnd;
            } else {
                c.skip(OtlpSchema.wireType(t));
            }
        }
        c.leave(saved, end);
    }

    /**
     * The value's symbol: the empty string's when the value is absent, {@link AttributeValues#TOO_LONG}
     * (nothing interned) when it is longer than the sink's label value limit.
     */
    int valueSymbol(byte[] buf, AttributeValues values) throws MalformedOtlpException {
        return valueStart < 0 ? values.emptySymbol() : values.symbol(buf, valueStart, valueEnd);
    }
}
