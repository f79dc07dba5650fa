package dev.kedaotel.receiver;

import dev.kedaotel.model.GoJson;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns an OTLP {@code AnyValue} (already validated) into a label value symbol: strings are interned
 * straight from the request bytes, ints are written as decimal digits into a scratch buffer (both
 * allocation-free once the symbol exists), booleans are {@code true}/{@code false}. The rare kinds take
 * a slower path that builds a String: doubles (shortest decimal), bytes (base64) and arrays / key-value
 * lists (compact JSON, map keys sorted as Go's encoding/json does). An unset value gives the empty
 * string, which the store drops like Prometheus does. Not thread-safe; one per ingest worker.
 */
final class AttributeValues {
    private static final int STRING = OtlpSchema.AnyValue.STRING_VALUE_TAG;
    private static final int BOOL = OtlpSchema.AnyValue.BOOL_VALUE_TAG;
    private static final int INT = OtlpSchema.AnyValue.INT_VALUE_TAG;
    private static final int DOUBLE = OtlpSchema.AnyValue.DOUBLE_VALUE_TAG;
    private static final int ARRAY = OtlpSchema.AnyValue.ARRAY_VALUE_TAG;
    private static final int KVLIST = OtlpSchema.AnyValue.KVLIST_VALUE_TAG;
    private static final int BYTES = OtlpSchema.AnyValue.BYTES_VALUE_TAG;

    /** Returned by {@link #symbol} for a value longer than the sink's label value limit (nothing interned). */
    static final int TOO_LONG = -3;

    private final ProtoCursor c = new ProtoCursor();
    private final int maxValueBytes;
    private final byte[] digits = new byte[20];
    private final IngestSink sink;
    private final int emptySym;
    private final int trueSym;
    private final int falseSym;

    AttributeValues(IngestSink sink) {
        this.sink = sink;
        this.maxValueBytes = sink.maxLabelValueLength();
        this.emptySym = sink.internPermanent("");
        this.trueSym = sink.internPermanent("true");
        this.falseSym = sink.internPermanent("false");
    }

    void release() {
        c.release();
    }

    int emptySymbol() {
        return emptySym;
    }

    /** Symbol of the AnyValue encoded in {@code buf[start, end)}, or {@link #TOO_LONG}. */
    int symbol(byte[] buf, int start, int end) throws MalformedOtlpException {
        c.reset(buf, start, end - start);
        // The value is a oneof: the last kind on the wire wins.
        int kindTag = 0;
        int kindPos = 0;
        while (c.hasMore()) {
            int tag = c.readTag();
            switch (tag) {
                case STRING: case BOOL: case INT: case DOUBLE: case ARRAY: case KVLIST: case BYTES:
                    kindTag = tag;
                    kindPos = c.pos;
                    break;
                default:
                    break;
            }
            c.skip(tag & 7);
        }
        if (kindTag == 0) {
            return emptySym;
        }
        c.pos = kindPos;
        switch (kindTag) {
            case STRING: {
                int e = c.readLengthEnd();
                return e - c.pos > maxValueBytes ? TOO_LONG : sink.internUtf8(buf, c.pos, e - c.pos);
            }
            case BOOL:
                return c.readVarint() != 0 ? trueSym : falseSym;
            case INT:
                return internDecimal(c.readVarint());
            default: {
                // Rare kinds: build the text with the cursor positioned at the value's tag payload.
                StringBuilder sb = new StringBuilder();
                appendValue(kindTag, sb);
                String text = sb.toString();
                // Characters bound the UTF-8 length from below: most texts are decided without encoding.
                if (text.length() > maxValueBytes
                        || text.length() * 3L > maxValueBytes && text.getBytes(StandardCharsets.UTF_8).length > maxValueBytes) {
                    return TOO_LONG;
                }
                return sink.intern(text);
            }
        }
    }

    /**
     * A double attribute as the collector's pdata stringifies it (ES6 number style): shortest digits,
     * plain notation for 1e-6 <= |v| < 1e21, otherwise an exponent such as {@code 1e-7} or {@code 1e+21};
     * non-finite values as {@code NaN}, {@code +Inf}, {@code -Inf}.
     */
    static String formatDouble(double v) {
        double abs = Math.abs(v);
        if (!Double.isFinite(v) || abs == 0 || (abs >= 1e-6 && abs < 1e21)) {
            return FloatLabels.format(v);
        }
        BigDecimal d = new BigDecimal(Double.toString(abs)).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale();
        StringBuilder sb = new StringBuilder(digits.length() + 8);
        if (v < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e < 10 && exponent > 0) {
            sb.append('0'); // Go pads positive exponents to two digits and strips the pad of negative ones
        }
        return sb.append(e).toString();
    }

    private int internDecimal(long v) {
        if (v == Long.MIN_VALUE) {
            return sink.intern(Long.toString(v));
        }
        int p = digits.length;
        long x = Math.abs(v);
        do {
            digits[--p] = (byte) ('0' + x % 10);
            x /= 10;
        } while (x != 0);
        if (v < 0) {
            digits[--p] = '-';
        }
        return sink.internUtf8(digits, p, digits.length - p);
    }

    /** Appends the plain (top-level) text of the value whose payload starts at the cursor. */
    private void appendValue(int kindTag, StringBuilder sb) throws MalformedOtlpException {
        switch (kindTag) {
            case DOUBLE:
                sb.append(formatDouble(c.readDouble()));
                break;
            case BYTES: {
                int e = c.readLengthEnd();
                byte[] raw = java.util.Arrays.copyOfRange(c.buf, c.pos, e);
                sb.append(Base64.getEncoder().encodeToString(raw));
                c.pos = e;
                break;
            }
            case ARRAY:
            case KVLIST: {
                int saved = c.enter();
                int e = c.limit;
                Object json = kindTag == ARRAY ? readArray() : readKvList();
                c.leave(saved, e);
                Json.write(json, sb);
                break;
            }
            default:
                throw new AssertionError(kindTag);
        }
    }

    private List<Object> readArray() throws MalformedOtlpException {
        List<Object> out = new ArrayList<>();
        while (c.hasMore()) {
            int tag = c.readTag();
            if (tag == OtlpSchema.ArrayValue.VALUES_TAG) {
                int saved = c.enter();
                int e = c.limit;
                out.add(readAny());
                c.leave(saved, e);
            } else {
                c.skip(tag & 7);
            }
        }
        return out;
    }

    private Map<String, Object> readKvList() throws MalformedOtlpException {
        Map<String, Object> out = new TreeMap<>();
        while (c.hasMore()) {
            int tag = c.readTag();
            if (tag != OtlpSchema.KeyValueList.VALUES_TAG) {
                c.skip(tag & 7);
                continue;
            }
            int saved = c.enter();
            int e = c.limit;
            String key = "";
            Object value = null;
            while (c.hasMore()) {
                int t = c.readTag();
                if (t == OtlpSchema.KeyValue.KEY_TAG) {
                    int ke = c.readLengthEnd();
                    key = new String(c.buf, c.pos, ke - c.pos, StandardCharsets.UTF_8);
                    c.pos = ke;
                } else if (t == OtlpSchema.KeyValue.VALUE_TAG) {
                    int s2 = c.enter();
                    int e2 = c.limit;
                    value = readAny();
                    c.leave(s2, e2);
                } else {
                    c.skip(t & 7);
                }
            }
            c.leave(saved, e);
            out.put(key, value);
        }
        return out;
    }

    /** Reads an AnyValue filling the cursor's current limit as a JSON-able object (null when unset). */
    private Object readAny() throws MalformedOtlpException {
        Object result = null;
        while (c.hasMore()) {
            int tag = c.readTag();
            switch (tag) {
                case STRING: {
                    int e = c.readLengthEnd();
                    result = new String(c.buf, c.pos, e - c.pos, StandardCharsets.UTF_8);
                    c.pos = e;
                    break;
                }
                case BOOL:
                    result = c.readVarint() != 0;
                    break;
                case INT:
                    result = c.readVarint();
                    break;
                case DOUBLE:
                    result = c.readDouble();
                    break;
                case BYTES: {
                    int e = c.readLengthEnd();
                    result = Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(c.buf, c.pos, e));
                    c.pos = e;
                    break;
                }
                case ARRAY: {
                    int saved = c.enter();
                    int e = c.limit;
                    result = readArray();
                    c.leave(saved, e);
                    break;
                }
                case KVLIST: {
                    int saved = c.enter();
                    int e = c.limit;
                    result = readKvList();
                    c.leave(saved, e);
                    break;
                }
                default:
                    c.skip(tag & 7);
            }
        }
        return result;
    }

    /** Compact JSON of the decoded array / map structures (strings escaped, doubles shortest). */
    static final class Json {
        private Json() {
        }

        static void write(Object v, StringBuilder sb) {
            if (v == null) {
                sb.append("null");
            } else if (v instanceof String) {
                quote((String) v, sb);
            } else if (v instanceof Double) {
                double d = (Double) v;
                if (Double.isFinite(d)) {
                    sb.append(formatDouble(d));
                } else {
                    quote(formatDouble(d), sb);
                }
            } else if (v instanceof List) {
                sb.append('[');
                boolean first = true;
                for (Object o : (List<?>) v) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    write(o, sb);
                }
                sb.append(']');
            } else if (v instanceof Map) {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> en : ((Map<?, ?>) v).entrySet()) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    quote((String) en.getKey(), sb);
                    sb.append(':');
                    write(en.getValue(), sb);
                }
                sb.append('}');
            } else {
                sb.append(v); // Long, Boolean
            }
        }

        /** Go's json.Marshal text, which kedify and Prometheus' OTLP translator produce for the same attribute. */
        private static void quote(String s, StringBuilder sb) {
            GoJson.appendQuoted(sb, s);
        }
    }
}
