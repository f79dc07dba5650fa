package dev.kedaotel.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every constant of {@link OtlpSchema} against the classes generated from opentelemetry-proto: field
 * numbers equal the generated {@code *_FIELD_NUMBER} constants (enum values the {@code *_VALUE} ones),
 * and each tag is that number with the wire type the field is encoded with.
 */
class OtlpSchemaTest {
    private static final String[] PACKAGES = {
        "io.opentelemetry.proto.collector.metrics.v1.", "io.opentelemetry.proto.metrics.v1.",
        "io.opentelemetry.proto.resource.v1.", "io.opentelemetry.proto.common.v1.",
        "io.opentelemetry.proto.metrics.v1.SummaryDataPoint$", "io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint$"};

    private static Class<?> generated(Class<?> schemaClass) {
        for (String p : PACKAGES) {
            try {
                return Class.forName(p + schemaClass.getSimpleName());
            } catch (ClassNotFoundException e) {
                // try the next package
            }
        }
        throw new AssertionError("no generated class for OtlpSchema." + schemaClass.getSimpleName());
    }

    private static int intConstant(Class<?> c, String name) throws ReflectiveOperationException {
        return c.getField(name).getInt(null);
    }

    private static List<Field> constants(Class<?> c) {
        List<Field> out = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                f.setAccessible(true);
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void everyFieldNumberEqualsTheGeneratedOne() throws Exception {
        int checked = 0;
        for (Class<?> message : OtlpSchema.class.getDeclaredClasses()) {
            Class<?> gen = generated(message);
            for (Field f : constants(message)) {
                if (f.getName().endsWith("_TAG")) {
                    continue;
                }
                String generatedName = f.getName() + (gen.isEnum() ? "_VALUE" : "_FIELD_NUMBER");
                assertEquals(intConstant(gen, generatedName), f.getInt(null), message.getSimpleName() + "." + f.getName());
                checked++;
            }
        }
        assertTrue(checked > 80, "checked " + checked);
    }

    @Test
    void everyTagIsItsFieldNumberWithTheFieldsWireType() throws Exception {
        int checked = 0;
        for (Class<?> message : OtlpSchema.class.getDeclaredClasses()) {
            Class<?> gen = generated(message);
            if (gen.isEnum()) {
                continue;
            }
            Descriptor descriptor = (Descriptor) gen.getMethod("getDescriptor").invoke(null);
            for (Field f : constants(message)) {
                String name = f.getName();
                if (!name.endsWith("_TAG")) {
                    continue;
                }
                boolean unpacked = name.endsWith("_UNPACKED_TAG");
                String fieldName = name.substring(0, name.length() - (unpacked ? "_UNPACKED_TAG" : "_TAG").length());
                FieldDescriptor field = descriptor.findFieldByName(fieldName.toLowerCase(java.util.Locale.ROOT));
                assertNotNull(field, message.getSimpleName() + "." + name);
                int wireType = field.isPacked() && !unpacked ? WireFormat.WIRETYPE_LENGTH_DELIMITED
                        : field.getLiteType().getWireType();
                assertTrue(!unpacked || field.isPacked(), name + " names an unpacked element of a packed field");
                String where = message.getSimpleName() + "." + name;
                assertEquals(field.getNumber(), OtlpSchema.fieldNumber(f.getInt(null)), where);
                assertEquals(wireType, OtlpSchema.wireType(f.getInt(null)), where);
                checked++;
            }
        }
        assertTrue(checked > 40, "checked " + checked);
    }

    @Test
    void spotChecksAgainstTheGeneratedConstants() {
        assertEquals(NumberDataPoint.ATTRIBUTES_FIELD_NUMBER, OtlpSchema.NumberDataPoint.ATTRIBUTES);
        assertEquals(NumberDataPoint.FLAGS_FIELD_NUMBER, OtlpSchema.NumberDataPoint.FLAGS);
        assertEquals(HistogramDataPoint.ATTRIBUTES_FIELD_NUMBER, OtlpSchema.HistogramDataPoint.ATTRIBUTES);
        assertEquals(HistogramDataPoint.BUCKET_COUNTS_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED,
                OtlpSchema.HistogramDataPoint.BUCKET_COUNTS_TAG);
        assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA_VALUE,
                OtlpSchema.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
        assertEquals(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE,
                OtlpSchema.DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK);
    }
}
