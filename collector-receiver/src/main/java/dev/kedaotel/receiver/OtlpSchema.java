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

    static final class ExportMetricsServiceRequest {
        static final int RESOURCE_METRICS = 1;
        static final int RESOURCE_METRICS_TAG = RESOURCE_METRICS << 3 | LEN;

        private ExportMetricsServiceRequest() {
        }
    }

    static final class ResourceMetrics {
        static final int RESOURCE = 1;
        static final int SCOPE_METRICS = 2;
        static final int SCHEMA_URL = 3;
        static final int RESOURCE_TAG = RESOURCE << 3 | LEN;
        static final int SCOPE_METRICS_TAG = SCOPE_METRICS << 3 | LEN;

        private ResourceMetrics() {
        }
    }

    static final class Resource {
        static final int ATTRIBUTES = 1;
        static final int DROPPED_ATTRIBUTES_COUNT = 2;
        static final int ATTRIBUTES_TAG = ATTRIBUTES << 3 | LEN;

        private Resource() {
        }
    }

    static final class ScopeMetrics {
        static final int SCOPE = 1;
        static final int METRICS = 2;
        static final int SCHEMA_URL = 3;
        static final int METRICS_TAG = METRICS << 3 | LEN;

        private ScopeMetrics() {
        }
    }

    /** A metric; {@code GAUGE} … {@code SUMMARY} form its {@code data} oneof. */
    static final class Metric {
        static final int NAME = 1;
        static final int DESCRIPTION = 2;
        static final int UNIT = 3;
        static final int GAUGE = 5;
        static final int SUM = 7;
        static final int HISTOGRAM = 9;
        static final int EXPONENTIAL_HISTOGRAM = 10;
        static final int SUMMARY = 11;
        static final int NAME_TAG = NAME << 3 | LEN;
        static final int GAUGE_TAG = GAUGE << 3 | LEN;
        static final int SUM_TAG = SUM << 3 | LEN;
        static final int HISTOGRAM_TAG = HISTOGRAM << 3 | LEN;
        static final int EXPONENTIAL_HISTOGRAM_TAG = EXPONENTIAL_HISTOGRAM << 3 | LEN;
        static final int SUMMARY_TAG = SUMMARY << 3 | LEN;

        private Metric() {
        }
    }

    static final class Gauge {
        static final int DATA_POINTS = 1;
        static final int DATA_POINTS_TAG = DATA_POINTS << 3 | LEN;

        private Gauge() {
        }
    }

    static final class Sum {
        static final int DATA_POINTS = 1;
        static final int AGGREGATION_TEMPORALITY = 2;
        static final int IS_MONOTONIC = 3;
        static final int DATA_POINTS_TAG = DATA_POINTS << 3 | LEN;
        static final int AGGREGATION_TEMPORALITY_TAG = AGGREGATION_TEMPORALITY << 3 | VARINT;

        private Sum() {
        }
    }

    static final class Histogram {
        static final int DATA_POINTS = 1;
        static final int AGGREGATION_TEMPORALITY = 2;
        static final int DATA_POINTS_TAG = DATA_POINTS << 3 | LEN;
        static final int AGGREGATION_TEMPORALITY_TAG = AGGREGATION_TEMPORALITY << 3 | VARINT;

        private Histogram() {
        }
    }

    static final class ExponentialHistogram {
        static final int DATA_POINTS = 1;
        static final int AGGREGATION_TEMPORALITY = 2;
        static final int DATA_POINTS_TAG = DATA_POINTS << 3 | LEN;
        static final int AGGREGATION_TEMPORALITY_TAG = AGGREGATION_TEMPORALITY << 3 | VARINT;

        private ExponentialHistogram() {
        }
    }

    static final class Summary {
        static final int DATA_POINTS = 1;
        static final int DATA_POINTS_TAG = DATA_POINTS << 3 | LEN;

        private Summary() {
        }
    }

    /** {@code AggregationTemporality} values. */
    static final class AggregationTemporality {
        static final int AGGREGATION_TEMPORALITY_DELTA = 1;

        private AggregationTemporality() {
        }
    }

    /** {@code DataPointFlags} bits. */
    static final class DataPointFlags {
        static final int DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK = 1;

        private DataPointFlags() {
        }
    }

    static final class NumberDataPoint {
        static final int START_TIME_UNIX_NANO = 2;
        static final int TIME_UNIX_NANO = 3;
        static final int AS_DOUBLE = 4;
        static final int EXEMPLARS = 5;
        static final int AS_INT = 6;
        static final int ATTRIBUTES = 7;
        static final int FLAGS = 8;
        static final int START_TIME_UNIX_NANO_TAG = START_TIME_UNIX_NANO << 3 | FIXED64;
        static final int TIME_UNIX_NANO_TAG = TIME_UNIX_NANO << 3 | FIXED64;
        static final int AS_DOUBLE_TAG = AS_DOUBLE << 3 | FIXED64;
        static final int AS_INT_TAG = AS_INT << 3 | FIXED64;
        static final int ATTRIBUTES_TAG = ATTRIBUTES << 3 | LEN;
        static final int FLAGS_TAG = FLAGS << 3 | VARINT;

        private NumberDataPoint() {
        }
    }

    static final class HistogramDataPoint {
        static final int START_TIME_UNIX_NANO = 2;
        static final int TIME_UNIX_NANO = 3;
        static final int COUNT = 4;
        static final int SUM = 5;
        static final int BUCKET_COUNTS = 6;
        static final int EXPLICIT_BOUNDS = 7;
        static final int EXEMPLARS = 8;
        static final int ATTRIBUTES = 9;
        static final int FLAGS = 10;
        static final int MIN = 11;
        static final int MAX = 12;
        static final int START_TIME_UNIX_NANO_TAG = START_TIME_UNIX_NANO << 3 | FIXED64;
        static final int TIME_UNIX_NANO_TAG = TIME_UNIX_NANO << 3 | FIXED64;
        static final int COUNT_TAG = COUNT << 3 | FIXED64;
        static final int SUM_TAG = SUM << 3 | FIXED64;
        static final int BUCKET_COUNTS_TAG = BUCKET_COUNTS << 3 | LEN;
        static final int BUCKET_COUNTS_UNPACKED_TAG = BUCKET_COUNTS << 3 | FIXED64;
        static final int EXPLICIT_BOUNDS_TAG = EXPLICIT_BOUNDS << 3 | LEN;
        static final int EXPLICIT_BOUNDS_UNPACKED_TAG = EXPLICIT_BOUNDS << 3 | FIXED64;
        static final int ATTRIBUTES_TAG = ATTRIBUTES << 3 | LEN;
        static final int FLAGS_TAG = FLAGS << 3 | VARINT;

        private HistogramDataPoint() {
        }
    }

    static final class ExponentialHistogramDataPoint {
        static final int ATTRIBUTES = 1;
        static final int START_TIME_UNIX_NANO = 2;
        static final int TIME_UNIX_NANO = 3;
        static final int COUNT = 4;
        static final int SUM = 5;
        static final int SCALE = 6;
        static final int ZERO_COUNT = 7;
        static final int POSITIVE = 8;
        static final int NEGATIVE = 9;
        static final int FLAGS = 10;
        static final int EXEMPLARS = 11;
        static final int MIN = 12;
        static final int MAX = 13;
        static final int ZERO_THRESHOLD = 14;
        static final int ATTRIBUTES_TAG = ATTRIBUTES << 3 | LEN;
        static final int START_TIME_UNIX_NANO_TAG = START_TIME_UNIX_NANO << 3 | FIXED64;
        static final int TIME_UNIX_NANO_TAG = TIME_UNIX_NANO << 3 | FIXED64;
        static final int COUNT_TAG = COUNT << 3 | FIXED64;
        static final int SUM_TAG = SUM << 3 | FIXED64;
        static final int FLAGS_TAG = FLAGS << 3 | VARINT;

        private ExponentialHistogramDataPoint() {
        }
    }

    static final class SummaryDataPoint {
        static final int START_TIME_UNIX_NANO = 2;
        static final int TIME_UNIX_NANO = 3;
        static final int COUNT = 4;
        static final int SUM = 5;
        static final int QUANTILE_VALUES = 6;
        static final int ATTRIBUTES = 7;
        static final int FLAGS = 8;
        static final int START_TIME_UNIX_NANO_TAG = START_TIME_UNIX_NANO << 3 | FIXED64;
        static final int TIME_UNIX_NANO_TAG = TIME_UNIX_NANO << 3 | FIXED64;
        static final int COUNT_TAG = COUNT << 3 | FIXED64;
        static final int SUM_TAG = SUM << 3 | FIXED64;
        static final int QUANTILE_VALUES_TAG = QUANTILE_VALUES << 3 | LEN;
        static final int ATTRIBUTES_TAG = ATTRIBUTES << 3 | LEN;
        static final int FLAGS_TAG = FLAGS << 3 | VARINT;

        private SummaryDataPoint() {
        }
    }

    /** {@code SummaryDataPoint.ValueAtQuantile}. */
    static final class ValueAtQuantile {
        static final int QUANTILE = 1;
        static final int VALUE = 2;
        static final int QUANTILE_TAG = QUANTILE << 3 | FIXED64;
        static final int VALUE_TAG = VALUE << 3 | FIXED64;

        private ValueAtQuantile() {
        }
    }

    static final class KeyValue {
        static final int KEY = 1;
        static final int VALUE = 2;
        static final int KEY_STRINDEX = 3;
        static final int KEY_TAG = KEY << 3 | LEN;
        static final int VALUE_TAG = VALUE << 3 | LEN;

        private KeyValue() {
        }
    }

    /** An attribute value; every field but {@code STRING_VALUE_STRINDEX} is one kind of its {@code value} oneof. */
    static final class AnyValue {
        static final int STRING_VALUE = 1;
        static final int BOOL_VALUE = 2;
        static final int INT_VALUE = 3;
        static final int DOUBLE_VALUE = 4;
        static final int ARRAY_VALUE = 5;
        static final int KVLIST_VALUE = 6;
        static final int BYTES_VALUE = 7;
        static final int STRING_VALUE_STRINDEX = 8;
        static final int STRING_VALUE_TAG = STRING_VALUE << 3 | LEN;
        static final int BOOL_VALUE_TAG = BOOL_VALUE << 3 | VARINT;
        static final int INT_VALUE_TAG = INT_VALUE << 3 | VARINT;
        static final int DOUBLE_VALUE_TAG = DOUBLE_VALUE << 3 | FIXED64;
        static final int ARRAY_VALUE_TAG = ARRAY_VALUE << 3 | LEN;
        static final int KVLIST_VALUE_TAG = KVLIST_VALUE << 3 | LEN;
        static final int BYTES_VALUE_TAG = BYTES_VALUE << 3 | LEN;

        private AnyValue() {
        }
    }

    static final class ArrayValue {
        static final int VALUES = 1;
        static final int VALUES_TAG = VALUES << 3 | LEN;

        private ArrayValue() {
        }
    }

    static final class KeyValueList {
        static final int VALUES = 1;
        static final int VALUES_TAG = VALUES << 3 | LEN;

        private KeyValueList() {
        }
    }
}
