package dev.kedaotel.receiver;

import dev.kedaotel.receiver.OtlpSchema.AnyValue;
import dev.kedaotel.receiver.OtlpSchema.ArrayValue;
import dev.kedaotel.receiver.OtlpSchema.Buckets;
import dev.kedaotel.receiver.OtlpSchema.ExponentialHistogram;
import dev.kedaotel.receiver.OtlpSchema.ExponentialHistogramDataPoint;
import dev.kedaotel.receiver.OtlpSchema.ExportMetricsServiceRequest;
import dev.kedaotel.receiver.OtlpSchema.Gauge;
import dev.kedaotel.receiver.OtlpSchema.Histogram;
import dev.kedaotel.receiver.OtlpSchema.HistogramDataPoint;
import dev.kedaotel.receiver.OtlpSchema.KeyValue;
import dev.kedaotel.receiver.OtlpSchema.KeyValueList;
import dev.kedaotel.receiver.OtlpSchema.Metric;
import dev.kedaotel.receiver.OtlpSchema.NumberDataPoint;
import dev.kedaotel.receiver.OtlpSchema.Resource;
import dev.kedaotel.receiver.OtlpSchema.ResourceMetrics;
import dev.kedaotel.receiver.OtlpSchema.ScopeMetrics;
import dev.kedaotel.receiver.OtlpSchema.Sum;
import dev.kedaotel.receiver.OtlpSchema.Summary;
import dev.kedaotel.receiver.OtlpSchema.SummaryDataPoint;
import dev.kedaotel.receiver.OtlpSchema.ValueAtQuantile;

/**
 * First pass over a request: checks the protobuf structure of every message the mapper will read
 * (lengths inside their parents, terminated varints, the expected wire type for each known field,
 * bounded nesting) without storing anything. Because the second, storing pass reads only what this
 * pass has accepted, a malformed request is rejected whole and stores nothing.
 *
 * <p>The schema is a table of (message, field number) → expected wire type and child message, over the
 * fields {@link OtlpSchema} names (opentelemetry-proto's {@code metrics_service.proto}, {@code metrics.proto},
 * {@code common.proto} and {@code resource.proto}). Unknown fields are skipped (forward compatibility), but must still be
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
    private static final int BUCKETS = 19;
    private static final int MESSAGE_COUNT = 20;
    private static final int MAX_FIELD = 16;

    private static final String[] MESSAGE_NAMES = {
        "ExportMetricsServiceRequest", "ResourceMetrics", "Resource", "ScopeMetrics", "Metric", "Gauge", "Sum",
        "Histogram", "ExponentialHistogram", "Summary", "NumberDataPoint", "HistogramDataPoint",
        "ExponentialHistogramDataPoint", "SummaryDataPoint", "ValueAtQuantile", "KeyValue", "AnyValue",
        "ArrayValue", "KeyValueList", "ExponentialHistogramDataPoint.Buckets"};

    // Expected encodings; 0 means "unknown field, skip".
    private static final int E_VARINT = 1;
    private static final int E_FIXED64 = 2;
    /** Length-delimited and opaque (strings, bytes, messages the mapper never reads). */
    private static final int E_BYTES = 3;
    /** Repeated fixed64/double: packed (length a multiple of 8) or one value per tag. */
    private static final int E_PACKED64 = 4;
    /** Length-delimited message of the type in the upper bits. */
    private static final int E_MESSAGE = 5;
    /** Repeated varint: packed (a run of terminated varints) or one value per tag. */
    private static final int E_PACKED_VARINT = 6;

    private static final int[][] SCHEMA = new int[MESSAGE_COUNT][MAX_FIELD + 1];

    static {
        msg(REQUEST, ExportMetricsServiceRequest.RESOURCE_METRICS, RESOURCE_METRICS);

        msg(RESOURCE_METRICS, ResourceMetrics.RESOURCE, RESOURCE);
        msg(RESOURCE_METRICS, ResourceMetrics.SCOPE_METRICS, SCOPE_METRICS);
        fields(RESOURCE_METRICS, E_BYTES, ResourceMetrics.SCHEMA_URL);
        msg(RESOURCE, Resource.ATTRIBUTES, KEY_VALUE);
        fields(RESOURCE, E_VARINT, Resource.DROPPED_ATTRIBUTES_COUNT);
        msg(SCOPE_METRICS, ScopeMetrics.METRICS, METRIC);
        fields(SCOPE_METRICS, E_BYTES, ScopeMetrics.SCOPE, ScopeMetrics.SCHEMA_URL);

        fields(METRIC, E_BYTES, Metric.NAME, Metric.DESCRIPTION, Metric.UNIT);
        msg(METRIC, Metric.GAUGE, GAUGE);
        msg(METRIC, Metric.SUM, SUM);
        msg(METRIC, Metric.HISTOGRAM, HISTOGRAM);
        msg(METRIC, Metric.EXPONENTIAL_HISTOGRAM, EXP_HISTOGRAM);
        msg(METRIC, Metric.SUMMARY, SUMMARY);
        msg(GAUGE, Gauge.DATA_POINTS, NUMBER_POINT);
        msg(SUM, Sum.DATA_POINTS, NUMBER_POINT);
        fields(SUM, E_VARINT, Sum.AGGREGATION_TEMPORALITY, Sum.IS_MONOTONIC);
        msg(HISTOGRAM, Histogram.DATA_POINTS, HISTOGRAM_POINT);
        fields(HISTOGRAM, E_VARINT, Histogram.AGGREGATION_TEMPORALITY);
        msg(EXP_HISTOGRAM, ExponentialHistogram.DATA_POINTS, EXP_HISTOGRAM_POINT);
        fields(EXP_HISTOGRAM, E_VARINT, ExponentialHistogram.AGGREGATION_TEMPORALITY);
        msg(SUMMARY, Summary.DATA_POINTS, SUMMARY_POINT);

        msg(NUMBER_POINT, NumberDataPoint.ATTRIBUTES, KEY_VALUE);
        fields(NUMBER_POINT, E_FIXED64, NumberDataPoint.START_TIME_UNIX_NANO, NumberDataPoint.TIME_UNIX_NANO,
                NumberDataPoint.AS_DOUBLE, NumberDataPoint.AS_INT);
        fields(NUMBER_POINT, E_BYTES, NumberDataPoint.EXEMPLARS);
        fields(NUMBER_POINT, E_VARINT, NumberDataPoint.FLAGS);

        msg(HISTOGRAM_POINT, HistogramDataPoint.ATTRIBUTES, KEY_VALUE);
        fields(HISTOGRAM_POINT, E_FIXED64, HistogramDataPoint.START_TIME_UNIX_NANO, HistogramDataPoint.TIME_UNIX_NANO,
                HistogramDataPoint.COUNT, HistogramDataPoint.SUM, HistogramDataPoint.MIN, HistogramDataPoint.MAX);
        fields(HISTOGRAM_POINT, E_PACKED64, HistogramDataPoint.BUCKET_COUNTS, HistogramDataPoint.EXPLICIT_BOUNDS);
        fields(HISTOGRAM_POINT, E_BYTES, HistogramDataPoint.EXEMPLARS);
        fields(HISTOGRAM_POINT, E_VARINT, HistogramDataPoint.FLAGS);

        msg(EXP_HISTOGRAM_POINT, ExponentialHistogramDataPoint.ATTRIBUTES, KEY_VALUE);
        fields(EXP_HISTOGRAM_POINT, E_FIXED64, ExponentialHistogramDataPoint.START_TIME_UNIX_NANO,
                ExponentialHistogramDataPoint.TIME_UNIX_NANO, ExponentialHistogramDataPoint.COUNT,
                ExponentialHistogramDataPoint.SUM, ExponentialHistogramDataPoint.ZERO_COUNT,
                ExponentialHistogramDataPoint.MIN, ExponentialHistogramDataPoint.MAX,
                ExponentialHistogramDataPoint.ZERO_THRESHOLD);
        msg(EXP_HISTOGRAM_POINT, ExponentialHistogramDataPoint.POSITIVE, BUCKETS);
        msg(EXP_HISTOGRAM_POINT, ExponentialHistogramDataPoint.NEGATIVE, BUCKETS);
        fields(EXP_HISTOGRAM_POINT, E_BYTES, ExponentialHistogramDataPoint.EXEMPLARS);
        fields(BUCKETS, E_VARINT, Buckets.OFFSET);
        fields(BUCKETS, E_PACKED_VARINT, Buckets.BUCKET_COUNTS);
        fields(EXP_HISTOGRAM_POINT, E_VARINT, ExponentialHistogramDataPoint.SCALE, ExponentialHistogramDataPoint.FLAGS);

        msg(SUMMARY_POINT, SummaryDataPoint.ATTRIBUTES, KEY_VALUE);
        fields(SUMMARY_POINT, E_FIXED64, SummaryDataPoint.START_TIME_UNIX_NANO, SummaryDataPoint.TIME_UNIX_NANO,
                SummaryDataPoint.COUNT, SummaryDataPoint.SUM);
        msg(SUMMARY_POINT, SummaryDataPoint.QUANTILE_VALUES, VALUE_AT_QUANTILE);
        fields(SUMMARY_POINT, E_VARINT, SummaryDataPoint.FLAGS);
        fields(VALUE_AT_QUANTILE, E_FIXED64, ValueAtQuantile.QUANTILE, ValueAtQuantile.VALUE);

        fields(KEY_VALUE, E_BYTES, KeyValue.KEY);
        msg(KEY_VALUE, KeyValue.VALUE, ANY_VALUE);
        fields(KEY_VALUE, E_VARINT, KeyValue.KEY_STRINDEX);
        fields(ANY_VALUE, E_BYTES, AnyValue.STRING_VALUE, AnyValue.BYTES_VALUE);
        fields(ANY_VALUE, E_VARINT, AnyValue.BOOL_VALUE, AnyValue.INT_VALUE, AnyValue.STRING_VALUE_STRINDEX);
        fields(ANY_VALUE, E_FIXED64, AnyValue.DOUBLE_VALUE);
        msg(ANY_VALUE, AnyValue.ARRAY_VALUE, ARRAY_VALUE);
        msg(ANY_VALUE, AnyValue.KVLIST_VALUE, KEY_VALUE_LIST);
        msg(ARRAY_VALUE, ArrayValue.VALUES, ANY_VALUE);
        msg(KEY_VALUE_LIST, KeyValueList.VALUES, KEY_VALUE);
    }

    private static void fields(int message, int expected, int... fieldNumbers) {
        for (int field : fieldNumbers) {
            SCHEMA[message][field] = expected;
        }
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
            int field = OtlpSchema.fieldNumber(tag);
            int wireType = OtlpSchema.wireType(tag);
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
                case E_PACKED_VARINT:
                    if (wireType == ProtoCursor.VARINT) {
                        c.readVarint();
                    } else {
                        require(type, field, wireType, ProtoCursor.LEN, at);
                        int end = c.readLengthEnd();
                        int saved = c.limit;
                        c.limit = end;
                        while (c.hasMore()) {
                            c.readVarint(); // throws on a varint cut off by the field's end
                        }
                        c.limit = saved;
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
     * {@code key} then {@code value} holding only a {@code string_value}, each length
     * under 128 (one-byte varints), filling {@code [p, end)} exactly. Such bytes are valid by the schema
     * (the generic walk would accept them), so true skips that walk; false means "not this shape" and the
     * generic walk decides (and reports any error with its offset as before).
     */
    private static boolean isShortStringKeyValue(byte[] b, int p, int end) {
        if (end - p < 2 || b[p] != KeyValue.KEY_TAG || b[p + 1] < 0) {
            return false;
        }
        p += 2 + b[p + 1];
        if (end - p < 2 || b[p] != KeyValue.VALUE_TAG || b[p + 1] < 0 || p + 2 + b[p + 1] != end) {
            return false;
        }
        p += 2;
        return end - p >= 2 && b[p] == AnyValue.STRING_VALUE_TAG && b[p + 1] >= 0 && p + 2 + b[p + 1] == end;
    }

    private void require(int type, int field, int actual, int wanted, int at) throws MalformedOtlpException {
        if (actual != wanted) {
            throw c.error("field " + MESSAGE_NAMES[type] + "." + field + " has wire type " + actual + ", expected "
                    + wanted, at);
        }
    }
}
