package dev.kedaotel.receiver;

/**
 * First pass over a request: checks the protobuf structure of every message the mapper will read
 * (lengths inside their parents, terminated varints, the expected wire type for each known field,
 * bounded nesting) without storing anything. Because the second, storing pass reads only what this
 * pass has accepted, a malformed request is rejected whole and stores nothing.
 *
 * <p>The schema is a table of (message, field number) → expected wire type and child message, taken
 * from opentelemetry-proto's {@code metrics_service.proto}, {@code metrics.proto}, {@code common.proto}
 * and {@code resource.proto}. Unknown fields are skipped (forward compatibility), but must still be
 * well-formed. Allocation-free on valid input. Not thread-safe; one per ingest worker.
 */
final class RequestValidator {
    /** Deep enough for any real AnyValue nesting, shallow enough that recursion cannot blow the stack. */
    static final int MAX_DEPTH = 64;

    // Message ids (rows of the schema table).
    private static final int REQUEST = 0;
    private static final int RESOURCE_METRICS = 1;
    private static final int RESOURCE = 2;
    private static final int SCOPE_METRICS = 3;
    private static final int METRIC = 4;
    private static final int GAUGE = 5;
    private static final int SUM = 6;
    private static final int HISTOGRAM = 7;
    private static final int EXP_HISTOGRAM = 8;
    private static final int SUMMARY = 9;
    private static final int NUMBER_POINT = 10;
    private static final int HISTOGRAM_POINT = 11;
    private static final int EXP_HISTOGRAM_POINT = 12;
    private static final int SUMMARY_POINT = 13;
    private static final int VALUE_AT_QUANTILE = 14;
    private static final int KEY_VALUE = 15;
    private static final int ANY_VALUE = 16;
    private static final int ARRAY_VALUE = 17;
    private static final int KEY_VALUE_LIST = 18;
    private static final int MESSAGE_COUNT = 19;
    private static final int MAX_FIELD = 16;

    private static final String[] MESSAGE_NAMES = {
        "ExportMetricsServiceRequest", "ResourceMetrics", "Resource", "ScopeMetrics", "Metric", "Gauge", "Sum",
        "Histogram", "ExponentialHistogram", "Summary", "NumberDataPoint", "HistogramDataPoint",
        "ExponentialHistogramDataPoint", "SummaryDataPoint", "ValueAtQuantile", "KeyValue", "AnyValue",
        "ArrayValue", "KeyValueList"};

    // Expected encodings; 0 means "unknown field, skip".
    private static final int E_VARINT = 1;
    private static final int E_FIXED64 = 2;
    /** Length-delimited and opaque (strings, bytes, messages the mapper never reads). */
    private static final int E_BYTES = 3;
    /** Repeated fixed64/double: packed (length a multiple of 8) or one value per tag. */
    private static final int E_PACKED64 = 4;
    /** Length-delimited message of the type in the upper bits. */
    private static final int E_MESSAGE = 5;

    private static final int[][] SCHEMA = new int[MESSAGE_COUNT][MAX_FIELD + 1];

    static {
        msg(REQUEST, 1, RESOURCE_METRICS);
        msg(RESOURCE_METRICS, 1, RESOURCE);
        msg(RESOURCE_METRICS, 2, SCOPE_METRICS);
        set(RESOURCE_METRICS, 3, E_BYTES);
        msg(RESOURCE, 1, KEY_VALUE);
        set(RESOURCE, 2, E_VARINT);
        set(SCOPE_METRICS, 1, E_BYTES);
        msg(SCOPE_METRICS, 2, METRIC);
        set(SCOPE_METRICS, 3, E_BYTES);
        set(METRIC, 1, E_BYTES);
        set(METRIC, 2, E_BYTES);
        set(METRIC, 3, E_BYTES);
        msg(METRIC, 5, GAUGE);
        msg(METRIC, 7, SUM);
        msg(METRIC, 9, HISTOGRAM);
        msg(METRIC, 10, EXP_HISTOGRAM);
        msg(METRIC, 11, SUMMARY);
        msg(GAUGE, 1, NUMBER_POINT);
        msg(SUM, 1, NUMBER_POINT);
        set(SUM, 2, E_VARINT);
        set(SUM, 3, E_VARINT);
        msg(HISTOGRAM, 1, HISTOGRAM_POINT);
        set(HISTOGRAM, 2, E_VARINT);
        msg(EXP_HISTOGRAM, 1, EXP_HISTOGRAM_POINT);
        set(EXP_HISTOGRAM, 2, E_VARINT);
        msg(SUMMARY, 1, SUMMARY_POINT);

        msg(NUMBER_POINT, 7, KEY_VALUE);
        set(NUMBER_POINT, 2, E_FIXED64);
        set(NUMBER_POINT, 3, E_FIXED64);
        set(NUMBER_POINT, 4, E_FIXED64);
        set(NUMBER_POINT, 6, E_FIXED64);
        set(NUMBER_POINT, 5, E_BYTES);
        set(NUMBER_POINT, 8, E_VARINT);

        msg(HISTOGRAM_POINT, 9, KEY_VALUE);
        for (int f = 2; f <= 5; f++) {
            set(HISTOGRAM_POINT, f, E_FIXED64);
        }
        set(HISTOGRAM_POINT, 6, E_PACKED64);
        set(HISTOGRAM_POINT, 7, E_PACKED64);
        set(HISTOGRAM_POINT, 8, E_BYTES);
        set(HISTOGRAM_POINT, 10, E_VARINT);
        set(HISTOGRAM_POINT, 11, E_FIXED64);
        set(HISTOGRAM_POINT, 12, E_FIXED64);

        msg(EXP_HISTOGRAM_POINT, 1, KEY_VALUE);
        for (int f = 2; f <= 5; f++) {
            set(EXP_HISTOGRAM_POINT, f, E_FIXED64);
        }
        set(EXP_HISTOGRAM_POINT, 6, E_VARINT);
        set(EXP_HISTOGRAM_POINT, 7, E_FIXED64);
        set(EXP_HISTOGRAM_POINT, 8, E_BYTES);
        set(EXP_HISTOGRAM_POINT, 9, E_BYTES);
        set(EXP_HISTOGRAM_POINT, 10, E_VARINT);
        set(EXP_HISTOGRAM_POINT, 11, E_BYTES);
        for (int f = 12; f <= 14; f++) {
            set(EXP_HISTOGRAM_POINT, f, E_FIXED64);
        }

        msg(SUMMARY_POINT, 7, KEY_VALUE);
        for (int f = 2; f <= 5; f++) {
            set(SUMMARY_POINT, f, E_FIXED64);
        }
        msg(SUMMARY_POINT, 6, VALUE_AT_QUANTILE);
        set(SUMMARY_POINT, 8, E_VARINT);
        set(VALUE_AT_QUANTILE, 1, E_FIXED64);
        set(VALUE_AT_QUANTILE, 2, E_FIXED64);

        set(KEY_VALUE, 1, E_BYTES);
        msg(KEY_VALUE, 2, ANY_VALUE);
        set(KEY_VALUE, 3, E_VARINT);
        set(ANY_VALUE, 1, E_BYTES);
        set(ANY_VALUE, 2, E_VARINT);
        set(ANY_VALUE, 3, E_VARINT);
        set(ANY_VALUE, 4, E_FIXED64);
        msg(ANY_VALUE, 5, ARRAY_VALUE);
        msg(ANY_VALUE, 6, KEY_VALUE_LIST);
        set(ANY_VALUE, 7, E_BYTES);
        set(ANY_VALUE, 8, E_VARINT);
        msg(ARRAY_VALUE, 1, ANY_VALUE);
        msg(KEY_VALUE_LIST, 1, KEY_VALUE);
    }

    private static void set(int message, int field, int expected) {
        SCHEMA[message][field] = expected;
    }

    private static void msg(int message, int field, int child) {
        SCHEMA[message][field] = E_MESSAGE | child << 8;
    }

    private final ProtoCursor c = new ProtoCursor();

    /** Throws when {@code buf[off, off+len)} is not a structurally valid ExportMetricsServiceRequest. */
    void validate(byte[] buf, int off, int len) throws MalformedOtlpException {
        c.reset(buf, off, len);
        try {
            message(REQUEST, 0);
        } finally {
            c.release();
        }
    }

    private void message(int type, int depth) throws MalformedOtlpException {
        if (depth > MAX_DEPTH) {
            throw c.error("messages nested deeper than " + MAX_DEPTH + " levels", c.pos);
        }
        int[] fields = SCHEMA[type];
        while (c.hasMore()) {
            int at = c.pos;
            int tag = c.readTag();
            int field = tag >>> 3;
            int wireType = tag & 7;
            int expected = field <= MAX_FIELD ? fields[field] : 0;
            switch (expected & 0xff) {
                case 0:
                    c.skip(wireType);
                    break;
                case E_VARINT:
                    require(type, field, wireType, ProtoCursor.VARINT, at);
                    c.readVarint();
                    break;
                case E_FIXED64:
                    require(type, field, wireType, ProtoCursor.FIXED64, at);
                    c.readFixed64();
                    break;
                case E_BYTES:
                    require(type, field, wireType, ProtoCursor.LEN, at);
                    c.skip(wireType);
                    break;
                case E_PACKED64:
                    if (wireType == ProtoCursor.FIXED64) {
                        c.readFixed64();
                    } else {
                        require(type, field, wireType, ProtoCursor.LEN, at);
                        int lenAt = c.pos;
                        int end = c.readLengthEnd();
                        if (((end - c.pos) & 7) != 0) {
                            throw c.error("packed 64-bit field " + MESSAGE_NAMES[type] + "." + field + " has length "
                                    + (end - c.pos) + ", not a multiple of 8", lenAt);
                        }
                        c.pos = end;
                    }
                    break;
                case E_MESSAGE:
                    require(type, field, wireType, ProtoCursor.LEN, at);
                    int saved = c.enter();
                    int end = c.limit;
                    int child = expected >>> 8;
                    if (child != KEY_VALUE || !isShortStringKeyValue(c.buf, c.pos, end)) {
                        message(child, depth + 1);
                    }
                    c.leave(saved, end);
                    break;
                default:
                    throw new AssertionError("schema entry " + expected);
            }
        }
    }

    /**
     * Fast path for the attribute almost every data point carries: a KeyValue that is exactly
     * {@code key} (field 1) then {@code value} (field 2) holding only a {@code string_value}, each length
     * under 128 (one-byte varints), filling {@code [p, end)} exactly. Such bytes are valid by the schema
     * (the generic walk would accept them), so true skips that walk; false means "not this shape" and the
     * generic walk decides (and reports any error with its offset as before).
     */
    private static boolean isShortStringKeyValue(byte[] b, int p, int end) {
        if (end - p < 2 || b[p] != (1 << 3 | ProtoCursor.LEN) || b[p + 1] < 0) {
            return false;
        }
        p += 2 + b[p + 1];
        if (end - p < 2 || b[p] != (2 << 3 | ProtoCursor.LEN) || b[p + 1] < 0 || p + 2 + b[p + 1] != end) {
            return false;
        }
        p += 2;
        return end - p >= 2 && b[p] == (1 << 3 | ProtoCursor.LEN) && b[p + 1] >= 0 && p + 2 + b[p + 1] == end;
    }

    private void require(int type, int field, int actual, int wanted, int at) throws MalformedOtlpException {
        if (actual != wanted) {
            throw c.error("field " + MESSAGE_NAMES[type] + "." + field + " has wire type " + actual + ", expected "
                    + wanted, at);
        }
    }
}
