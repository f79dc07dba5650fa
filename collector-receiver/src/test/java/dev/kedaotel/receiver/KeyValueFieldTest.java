package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The key and value ranges of a KeyValue, in either field order, with the value absent, unknown fields skipped. */
class KeyValueFieldTest {
    private final KeyValueField kv = new KeyValueField();
    private final ProtoCursor c = new ProtoCursor();

    /** Reads {@code message} as the payload of a length-delimited field; returns the cursor's end position. */
    private int read(byte[] message) throws MalformedOtlpException {
        byte[] buf = new byte[message.length + 1];
        buf[0] = (byte) message.length;
        System.arraycopy(message, 0, buf, 1, message.length);
        c.reset(buf, 0, buf.length);
        kv.read(c);
        return c.pos;
    }

    private String key() {
        return new String(c.buf, kv.keyOffset, kv.keyLength, StandardCharsets.UTF_8);
    }

    @Test
    void readsKeyAndValueRanges() throws Exception {
        AnyValue v = AnyValue.newBuilder().setStringValue("x").build();
        byte[] m = KeyValue.newBuilder().setKey("pod").setValue(v).build().toByteArray();
        assertEquals(m.length + 1, read(m));
        assertEquals("pod", key());
        assertEquals(v.getSerializedSize(), kv.valueEnd - kv.valueStart);
        assertEquals(v, AnyValue.parseFrom(java.util.Arrays.copyOfRange(c.buf, kv.valueStart, kv.valueEnd)));
    }

    @Test
    void valueFirstAndUnknownFieldsAreFine() throws Exception {
        byte[] value = KeyValue.newBuilder().setValue(AnyValue.newBuilder().setIntValue(3)).setKeyStrindex(9).build()
                .toByteArray();
        byte[] key = KeyValue.newBuilder().setKey("k").build().toByteArray();
        byte[] m = new byte[value.length + key.length];
        System.arraycopy(value, 0, m, 0, value.length);
        System.arraycopy(key, 0, m, value.length, key.length);
        read(m);
        assertEquals("k", key());
        assertEquals(AnyValue.newBuilder().setIntValue(3).build().getSerializedSize(), kv.valueEnd - kv.valueStart);
    }

    @Test
    void anAbsentValueIsMinusOneAndTheEmptySymbol() throws Exception {
        read(KeyValue.newBuilder().setKey("k").build().toByteArray());
        assertEquals(-1, kv.valueStart);
        RecordingSink sink = new RecordingSink();
        AttributeValues values = new AttributeValues(sink);
        assertEquals(values.emptySymbol(), kv.valueSymbol(c.buf, values));
    }
}
