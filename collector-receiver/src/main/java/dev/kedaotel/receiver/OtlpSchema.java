package dev.kedaotel.receiver;

/**
 * The OTLP protobuf fields the receiver reads or validates, named once, so that the passes that walk
 * the wire bytes ({@link RequestValidator}, {@link MetricMapper}, {@link ResourceLabels},
 * {@link AttributeValues}…) say {@code NumberDataPoint.FLAGS_TAG} instead of a number and a wire type.
 *
 * <p>One nested class per message of opentelemetry-proto's {@code metrics_service.proto},
 * {@code metrics.proto}, {@code resource.proto} and {@code common.proto}, named as there. In each, a
 * constant named after a field (upper case) is its field number, and {@code <FIELD>_TAG} is the tag
 * (field number and wire type) the field is sent with; a repeated 64-bit field also has
 * {@code <FIELD>_UNPACKED_TAG}, the tag of one unpacked element. The numbers are checked against the
 * generated classes' {@code *_FIELD_NUMBER} constants and the tags' wire types against the proto
 * descriptors by {@code OtlpSchemaTest}. Tags are compile-time constants, so they can label a
 * {@code switch}; this class is the only place that composes a tag from a number and a wire type.
 * The nested interfaces are namespaces of constants only, never implemented.
 */
final class OtlpSchema {
    static final int VARINT = ProtoCursor.VARINT;
    static final int FIXED64 = ProtoCursor.FIXED64;
    static final int LEN = ProtoCursor.LEN;

    private OtlpSchema() {
    }

    /** The wire type of a tag. */
    static int wireType(int tag) {
        return tag & 7;
    }

    /** The field number of a tag. */
    static int fieldNumber(int tag) {
        return tag >>> 3;
    }

    interface ExportMetricsServiceRequest {
        int RESOURCE_METRICS = 1;
        int RESOURCE_METRICS_TAG = RESOURCE_METRICS << 3 | LEN;
    }

    interface ResourceMetrics {
        int RESOURCE = 1;
        int SCOPE_METRICS = 2;
        int SCHEMA_URL = 3;
        int RESOURCE_TAG = RESOURCE << 3 | LEN;
        int SCOPE_METRICS_TAG = SCOPE_METRICS << 3 | LEN;
    }

    interface Resource {
        int ATTRIBUTES = 1;
        int DROPPED_ATTRIBUTES_COUNT = 2;
        int ATTRIBUTES_TAG = ATTRIBUTES << 3 | LEN;
    }

    interface ScopeMetrics {
        int SCOPE = 1;
        int METRICS = 2;
        int SCHEMA_URL = 3;
        int METRICS_TAG = METRICS << 3 | LEN;
    }

    /** A metric; {@code GAUGE} … {@code SUMMARY} form its {@code data} oneof. */
    interface Metric {
        int NAME = 1;
        int DESCRIPTION = 2;
        int UNIT = 3;
        int GAUGE = 5;
        int SUM = 7;
        int HISTOGRAM = 9;
        int EXPONENTIAL_HISTOGRAM = 10;
        int SUMMARY = 11;
        int NAME_TAG = NAME << 3 | LEN;
        int DESCRIPTION_TAG = DESCRIPTION << 3 | LEN;
        int UNIT_TAG = UNIT << 3 | LEN;
        int GAUGE_TAG = GAUGE << 3 | LEN;
        int SUM_TAG = SUM << 3 | LEN;
        int HISTOGRAM_TAG = HISTOGRAM << 3 | LEN;
        int EXPONENTIAL_HISTOGRAM_TAG = EXPONENTIAL_HISTOGRAM << 3 | LEN;
        int SUMMARY_TAG = SUMMARY << 3 | LEN;
    }

    interface Gauge {
        int DATA_POINTS = 1;
        int DATA_POINTS_TAG = DATA_POINTS << 3 | LEN;
    }

    interface Sum {
        int DATA_POINTS = 1;
        int AGGREGATION_TEMPORALITY = 2;
        int IS_MONOTONIC = 3;
        int DATA_POINTS_TAG = DATA_POINTS << 3 | LEN;
        int AGGREGATION_TEMPORALITY_TAG = AGGREGATION_TEMPORALITY << 3 | VARINT;
        int IS_MONOTONIC_TAG = IS_MONOTONIC << 3 | VARINT;
    }

    interface Histogram {
        int DATA_POINTS = 1;
        int AGGREGATION_TEMPORALITY = 2;
        int DATA_POINTS_TAG = DATA_POINTS << 3 | LEN;
        int AGGREGATION_TEMPORALITY_TAG = AGGREGATION_TEMPORALITY << 3 | VARINT;
    }

    interface ExponentialHistogram {
        int DATA_POINTS = 1;
        int AGGREGATION_TEMPORALITY = 2;
        int DATA_POINTS_TAG = DATA_POINTS << 3 | LEN;
        int AGGREGATION_TEMPORALITY_TAG = AGGREGATION_TEMPORALITY << 3 | VARINT;
    }

    interface Summary {
        int DATA_POINTS = 1;
        int DATA_POINTS_TAG = DATA_POINTS << 3 | LEN;
    }

    /** {@code AggregationTemporality} values. */
    interface AggregationTemporality {
        int AGGREGATION_TEMPORALITY_DELTA = 1;
    }

    /** {@code DataPointFlags} bits. */
    interface DataPointFlags {
        int DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK = 1;
    }

    interface NumberDataPoint {
        int START_TIME_UNIX_NANO = 2;
        int TIME_UNIX_NANO = 3;
        int AS_DOUBLE = 4;
        int EXEMPLARS = 5;
        int AS_INT = 6;
        int ATTRIBUTES = 7;
        int FLAGS = 8;
        int START_TIME_UNIX_NANO_TAG = START_TIME_UNIX_NANO << 3 | FIXED64;
        int TIME_UNIX_NANO_TAG = TIME_UNIX_NANO << 3 | FIXED64;
        int AS_DOUBLE_TAG = AS_DOUBLE << 3 | FIXED64;
        int AS_INT_TAG = AS_INT << 3 | FIXED64;
        int ATTRIBUTES_TAG = ATTRIBUTES << 3 | LEN;
        int FLAGS_TAG = FLAGS << 3 | VARINT;
    }

    interface HistogramDataPoint {
        int START_TIME_UNIX_NANO = 2;
        int TIME_UNIX_NANO = 3;
        int COUNT = 4;
        int SUM = 5;
        int BUCKET_COUNTS = 6;
        int EXPLICIT_BOUNDS = 7;
        int EXEMPLARS = 8;
        int ATTRIBUTES = 9;
        int FLAGS = 10;
        int MIN = 11;
        int MAX = 12;
        int START_TIME_UNIX_NANO_TAG = START_TIME_UNIX_NANO << 3 | FIXED64;
        int TIME_UNIX_NANO_TAG = TIME_UNIX_NANO << 3 | FIXED64;
        int COUNT_TAG = COUNT << 3 | FIXED64;
        int SUM_TAG = SUM << 3 | FIXED64;
        int BUCKET_COUNTS_TAG = BUCKET_COUNTS << 3 | LEN;
        int BUCKET_COUNTS_UNPACKED_TAG = BUCKET_COUNTS << 3 | FIXED64;
        int EXPLICIT_BOUNDS_TAG = EXPLICIT_BOUNDS << 3 | LEN;
        int EXPLICIT_BOUNDS_UNPACKED_TAG = EXPLICIT_BOUNDS << 3 | FIXED64;
        int ATTRIBUTES_TAG = ATTRIBUTES << 3 | LEN;
        int FLAGS_TAG = FLAGS << 3 | VARINT;
    }

    interface ExponentialHistogramDataPoint {
        int ATTRIBUTES = 1;
        int START_TIME_UNIX_NANO = 2;
        int TIME_UNIX_NANO = 3;
        int COUNT = 4;
        int SUM = 5;
        int SCALE = 6;
        int ZERO_COUNT = 7;
        int POSITIVE = 8;
        int NEGATIVE = 9;
        int FLAGS = 10;
        int EXEMPLARS = 11;
        int MIN = 12;
        int MAX = 13;
        int ZERO_THRESHOLD = 14;
        int ATTRIBUTES_TAG = ATTRIBUTES << 3 | LEN;
        int START_TIME_UNIX_NANO_TAG = START_TIME_UNIX_NANO << 3 | FIXED64;
        int TIME_UNIX_NANO_TAG = TIME_UNIX_NANO << 3 | FIXED64;
        int COUNT_TAG = COUNT << 3 | FIXED64;
        int SUM_TAG = SUM << 3 | FIXED64;
        int FLAGS_TAG = FLAGS << 3 | VARINT;
        int SCALE_TAG = SCALE << 3 | VARINT;
        int ZERO_COUNT_TAG = ZERO_COUNT << 3 | FIXED64;
        int POSITIVE_TAG = POSITIVE << 3 | LEN;
        int NEGATIVE_TAG = NEGATIVE << 3 | LEN;
        int ZERO_THRESHOLD_TAG = ZERO_THRESHOLD << 3 | FIXED64;
    }

    /** {@code ExponentialHistogramDataPoint.Buckets}: {@code offset} is a zigzag {@code sint32}, the counts varints. */
    interface Buckets {
        int OFFSET = 1;
        int BUCKET_COUNTS = 2;
        int OFFSET_TAG = OFFSET << 3 | VARINT;
        int BUCKET_COUNTS_TAG = BUCKET_COUNTS << 3 | LEN;
        int BUCKET_COUNTS_UNPACKED_TAG = BUCKET_COUNTS << 3 | VARINT;
    }

    interface SummaryDataPoint {
        int START_TIME_UNIX_NANO = 2;
        int TIME_UNIX_NANO = 3;
        int COUNT = 4;
        int SUM = 5;
        int QUANTILE_VALUES = 6;
        int ATTRIBUTES = 7;
        int FLAGS = 8;
        int START_TIME_UNIX_NANO_TAG = START_TIME_UNIX_NANO << 3 | FIXED64;
        int TIME_UNIX_NANO_TAG = TIME_UNIX_NANO << 3 | FIXED64;
        int COUNT_TAG = COUNT << 3 | FIXED64;
        int SUM_TAG = SUM << 3 | FIXED64;
        int QUANTILE_VALUES_TAG = QUANTILE_VALUES << 3 | LEN;
        int ATTRIBUTES_TAG = ATTRIBUTES << 3 | LEN;
        int FLAGS_TAG = FLAGS << 3 | VARINT;
    }

    /** {@code SummaryDataPoint.ValueAtQuantile}. */
    interface ValueAtQuantile {
        int QUANTILE = 1;
        int VALUE = 2;
        int QUANTILE_TAG = QUANTILE << 3 | FIXED64;
        int VALUE_TAG = VALUE << 3 | FIXED64;
    }

    interface KeyValue {
        int KEY = 1;
        int VALUE = 2;
        int KEY_STRINDEX = 3;
        int KEY_TAG = KEY << 3 | LEN;
        int VALUE_TAG = VALUE << 3 | LEN;
    }

    /** An attribute value; every field but {@code STRING_VALUE_STRINDEX} is one kind of its {@code value} oneof. */
    interface AnyValue {
        int STRING_VALUE = 1;
        int BOOL_VALUE = 2;
        int INT_VALUE = 3;
        int DOUBLE_VALUE = 4;
        int ARRAY_VALUE = 5;
        int KVLIST_VALUE = 6;
        int BYTES_VALUE = 7;
        int STRING_VALUE_STRINDEX = 8;
        int STRING_VALUE_TAG = STRING_VALUE << 3 | LEN;
        int BOOL_VALUE_TAG = BOOL_VALUE << 3 | VARINT;
        int INT_VALUE_TAG = INT_VALUE << 3 | VARINT;
        int DOUBLE_VALUE_TAG = DOUBLE_VALUE << 3 | FIXED64;
        int ARRAY_VALUE_TAG = ARRAY_VALUE << 3 | LEN;
        int KVLIST_VALUE_TAG = KVLIST_VALUE << 3 | LEN;
        int BYTES_VALUE_TAG = BYTES_VALUE << 3 | LEN;
    }

    interface ArrayValue {
        int VALUES = 1;
        int VALUES_TAG = VALUES << 3 | LEN;
    }

    interface KeyValueList {
        int VALUES = 1;
        int VALUES_TAG = VALUES << 3 | LEN;
    }
}
