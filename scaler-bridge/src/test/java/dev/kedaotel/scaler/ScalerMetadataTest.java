package dev.kedaotel.scaler;

import dev.kedaotel.query.kedify.OperationOverTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalerMetadataTest {
    private static Map<String, String> base() {
        Map<String, String> m = new HashMap<>();
        m.put("metricQuery", "sum(http_requests{app=web})");
        m.put("targetValue", "8");
        m.put("scalerAddress", "keda-otel-scaler.keda.svc:4318");
        return m;
    }

    @Test
    void defaultsWhenOnlyRequiredKeysAreGiven() throws StatusException {
        ScalerMetadata md = ScalerMetadata.parse(base());
        assertEquals("sum(http_requests{app=web})", md.metricQuery());
        assertEquals(8.0, md.targetValue());
        assertEquals(OperationOverTime.LAST_ONE, md.operationOverTime());
        assertFalse(md.operationGiven());
        assertFalse(md.operationFellBack());
        assertEquals(Double.NEGATIVE_INFINITY, md.clampMin());
        assertEquals(Double.POSITIVE_INFINITY, md.clampMax());
        assertEquals(0.0, md.activationTargetValue());
        assertTrue(md.warnings().isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"8, 8", "0.5, 0.5", ".5, 0.5", "500m, 0.5", "1k, 1000", "2Ki, 2048", "1e3, 1000", "200, 200"})
    void targetValueAcceptsFloatsAndQuantities(String text, double expected) throws StatusException {
        Map<String, String> m = base();
        m.put("targetValue", text);
        assertEquals(expected, ScalerMetadata.parse(m).targetValue(), 1e-12);
    }

    @Test
    void missingTargetValueIsInvalidArgumentNamingTheKey() {
        Map<String, String> m = base();
        m.remove("targetValue");
        StatusException e = assertThrows(StatusException.class, () -> ScalerMetadata.parse(m));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("targetValue"), e.getStatus().getDescription());
    }

    @Test
    void badTargetValueNamesKeyAndValue() {
        Map<String, String> m = base();
        m.put("targetValue", "eight");
        StatusException e = assertThrows(StatusException.class, () -> ScalerMetadata.parse(m));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("targetValue"));
        assertTrue(e.getStatus().getDescription().contains("\"eight\""));
    }

    @ParameterizedTest
    @CsvSource({"0", "-1", "0m"})
    void nonPositiveTargetIsRejected(String text) {
        Map<String, String> m = base();
        m.put("targetValue", text);
        StatusException e = assertThrows(StatusException.class, () -> ScalerMetadata.parse(m));
        assertTrue(e.getStatus().getDescription().contains("greater than 0"));
    }

    @Test
    void missingOrBlankMetricQueryIsInvalidArgument() {
        for (String value : new String[] {null, "", "   "}) {
            Map<String, String> m = base();
            m.put("metricQuery", value);
            if (value == null) {
                m.remove("metricQuery");
            }
            StatusException e = assertThrows(StatusException.class, () -> ScalerMetadata.parse(m));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("metricQuery"));
        }
    }

    @Test
    void nullMetadataIsInvalidArgument() {
        StatusException e = assertThrows(StatusException.class, () -> ScalerMetadata.parse(null));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    }

    @ParameterizedTest
    @CsvSource({"last_one, LAST_ONE", "rate, RATE", "count, COUNT", "avg, AVG", "min, MIN", "max, MAX", "' Rate ', RATE"})
    void everyKnownOperation(String text, OperationOverTime expected) throws StatusException {
        Map<String, String> m = base();
        m.put("operationOverTime", text);
        ScalerMetadata md = ScalerMetadata.parse(m);
        assertEquals(expected, md.operationOverTime());
        assertTrue(md.operationGiven());
        assertFalse(md.operationFellBack());
    }

    @Test
    void unknownOperationFallsBackToLastOneWithAWarning() throws StatusException {
        Map<String, String> m = base();
        m.put("operationOverTime", "sum");
        ScalerMetadata md = ScalerMetadata.parse(m);
        assertEquals(OperationOverTime.LAST_ONE, md.operationOverTime());
        assertTrue(md.operationFellBack());
        assertEquals("sum", md.requestedOperation());
        assertEquals(1, md.warnings().size());
        assertTrue(md.warnings().get(0).contains("\"sum\""));
    }

    @Test
    void clampsApplyMinThenMax() throws StatusException {
        Map<String, String> m = base();
        m.put("clampMin", "2");
        m.put("clampMax", "500m");
        ScalerMetadata md = ScalerMetadata.parse(m);
        assertEquals(2.0, md.clampMin());
        assertEquals(0.5, md.clampMax());
        // min above max: kedify applies min first, so max wins
        assertEquals(0.5, md.clamp(1));
        assertEquals(0.5, md.clamp(10));
    }

    @Test
    void unparsableClampIsIgnoredWithAWarning() throws StatusException {
        Map<String, String> m = base();
        m.put("clampMin", "low");
        m.put("clampMax", "7");
        ScalerMetadata md = ScalerMetadata.parse(m);
        assertEquals(Double.NEGATIVE_INFINITY, md.clampMin());
        assertEquals(7.0, md.clampMax());
        assertEquals(1, md.warnings().size());
        assertTrue(md.warnings().get(0).contains("clampMin"));
        assertEquals(-3.0, md.clamp(-3));
        assertEquals(7.0, md.clamp(9));
    }

    @Test
    void activationTargetValue() throws StatusException {
        Map<String, String> m = base();
        m.put("activationTargetValue", "1.5");
        assertEquals(1.5, ScalerMetadata.parse(m).activationTargetValue());
        m.put("activationTargetValue", "lots");
        StatusException e = assertThrows(StatusException.class, () -> ScalerMetadata.parse(m));
        assertTrue(e.getStatus().getDescription().contains("activationTargetValue"));
        assertTrue(e.getStatus().getDescription().contains("\"lots\""));
    }

    @Test
    void emptyOptionalValuesCountAsAbsent() throws StatusException {
        Map<String, String> m = base();
        m.put("operationOverTime", "");
        m.put("clampMin", "");
        m.put("activationTargetValue", " ");
        ScalerMetadata md = ScalerMetadata.parse(m);
        assertFalse(md.operationGiven());
        assertEquals(Double.NEGATIVE_INFINITY, md.clampMin());
        assertEquals(0.0, md.activationTargetValue());
        assertTrue(md.warnings().isEmpty());
    }
}
