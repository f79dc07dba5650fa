package dev.kedaotel.scaler;

import dev.kedaotel.query.kedify.OperationOverTime;

import io.grpc.Status;
import io.grpc.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trigger metadata of one ScaledObject ({@code ScaledObjectRef.scalerMetadata}), parsed.
 *
 * <p>Keys (other keys, such as KEDA's {@code scalerAddress}, are ignored):
 * <ul>
 *   <li>{@code metricQuery} (required): kedify {@code metricQuery} syntax, or PromQL (see
 *       {@link ScalerQueryCompiler}).</li>
 *   <li>{@code targetValue} (required): a float or a Kubernetes quantity ({@code "8"}, {@code ".5"},
 *       {@code "500m"}, {@code "2Ki"}, {@code "1e3"}); must be finite and greater than 0 because KEDA
 *       cannot build an HPA target from anything else.</li>
 *   <li>{@code operationOverTime}: one of last_one, rate, count, avg, min, max (default last_one). An
 *       unknown value falls back to last_one with a warning, as kedify does (KServe sends "sum").</li>
 *   <li>{@code clampMin}, {@code clampMax}: bounds applied to a found value, min first. Like kedify, a
 *       value that does not parse is ignored with a warning rather than rejected.</li>
 *   <li>{@code activationTargetValue} (default 0): the scaler is active when the value is greater than
 *       it. kedify has no such key (active ⇔ value > 0, which is the default here).</li>
 * </ul>
 * A missing or unparsable required key, or a bad {@code activationTargetValue}, is an
 * {@link Status#INVALID_ARGUMENT} naming the key and the bad value. Empty strings count as absent.
 */
public final class ScalerMetadata {
    public static final String METRIC_QUERY = "metricQuery";
    public static final String TARGET_VALUE = "targetValue";
    public static final String OPERATION_OVER_TIME = "operationOverTime";
    public static final String CLAMP_MIN = "clampMin";
    public static final String CLAMP_MAX = "clampMax";
    public static final String ACTIVATION_TARGET_VALUE = "activationTargetValue";

    private static final Status MISSING = Status.INVALID_ARGUMENT.withDescription(
            "scalerMetadata is missing; '" + METRIC_QUERY + "' and '" + TARGET_VALUE + "' are required");

    private final String metricQuery;
    private final double targetValue;
    private final OperationOverTime operationOverTime;
    private final boolean operationGiven;
    private final boolean operationFellBack;
    private final String requestedOperation;
    private final double clampMin;
    private final double clampMax;
    private final double activationTargetValue;
    private final List<String> warnings;

    private ScalerMetadata(String metricQuery, double targetValue, OperationOverTime operationOverTime,
            boolean operationGiven, boolean operationFellBack, String requestedOperation, double clampMin, double clampMax,
            double activationTargetValue, List<String> warnings) {
        this.metricQuery = metricQuery;
        this.targetValue = targetValue;
        this.operationOverTime = operationOverTime;
        this.operationGiven = operationGiven;
        this.operationFellBack = operationFellBack;
        this.requestedOperation = requestedOperation;
        this.clampMin = clampMin;
        this.clampMax = clampMax;
        this.activationTargetValue = activationTargetValue;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Parses the metadata map.
     *
     * @throws StatusException {@code INVALID_ARGUMENT} naming the missing or bad key and its value
     */
    public static ScalerMetadata parse(Map<String, String> metadata) throws StatusException {
        if (metadata == null) {
            throw MISSING.asException();
        }
        List<String> warnings = new ArrayList<>();
        String metricQuery = present(metadata.get(METRIC_QUERY));
        if (metricQuery == null) {
            throw invalid("metadata key '" + METRIC_QUERY + "' is required");
        }
        double target = targetValue(metadata);

        String rawOp = present(metadata.get(OPERATION_OVER_TIME));
        OperationOverTime op = OperationOverTime.LAST_ONE;
        boolean fellBack = false;
        if (rawOp != null) {
            OperationOverTime named = OperationOverTime.fromWireName(rawOp);
            if (named == null) {
                fellBack = true;
                warnings.add("unknown " + OPERATION_OVER_TIME + " \"" + rawOp
                        + "\" (expected " + OperationOverTime.SUPPORTED + "); using last_one");
            } else {
                op = named;
            }
        }

        double clampMin = lenientBound(metadata, CLAMP_MIN, Double.NEGATIVE_INFINITY, warnings);
        double clampMax = lenientBound(metadata, CLAMP_MAX, Double.POSITIVE_INFINITY, warnings);

        double activation = 0;
        String rawActivation = present(metadata.get(ACTIVATION_TARGET_VALUE));
        if (rawActivation != null) {
            activation = requiredQuantity(metadata, ACTIVATION_TARGET_VALUE);
            if (Double.isNaN(activation)) {
                throw invalid("metadata key '" + ACTIVATION_TARGET_VALUE + "' has invalid value \"" + rawActivation + "\"");
            }
        }
        return new ScalerMetadata(metricQuery, target, op, rawOp != null, fellBack, rawOp, clampMin, clampMax,
                activation, warnings);
    }

    /**
     * Only {@code targetValue}, the one key GetMetricSpec needs: the spec is given whenever it is valid,
     * whatever the other keys say (KEDA builds no HPA, so no fallback, while GetMetricSpec fails).
     *
     * @throws StatusException {@code INVALID_ARGUMENT} naming the key when it is missing, unparsable,
     *     not finite or not greater than 0
     */
    public static double targetValue(Map<String, String> metadata) throws StatusException {
        if (metadata == null) {
            throw MISSING.asException();
        }
        double target = requiredQuantity(metadata, TARGET_VALUE);
        if (!(target > 0) || Double.isInfinite(target)) {
            throw invalid("metadata key '" + TARGET_VALUE + "' has invalid value \"" + metadata.get(TARGET_VALUE)
                    + "\": must be a finite number greater than 0");
        }
        return target;
    }

    private static double requiredQuantity(Map<String, String> metadata, String key) throws StatusException {
        String raw = present(metadata.get(key));
        if (raw == null) {
            throw invalid("metadata key '" + key + "' is required");
        }
        try {
            return KubernetesQuantity.parse(raw);
        } catch (NumberFormatException e) {
            throw invalid("metadata key '" + key + "' has invalid value \"" + raw + "\": " + e.getMessage());
        }
    }

    private static double lenientBound(Map<String, String> metadata, String key, double absent, List<String> warnings) {
        String raw = present(metadata.get(key));
        if (raw == null) {
            return absent;
        }
        try {
            double value = KubernetesQuantity.parse(raw);
            if (!Double.isNaN(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // kedify ignores an unparsable bound; so do we, loudly.
        }
        warnings.add("ignoring metadata key '" + key + "': invalid value \"" + raw + "\"");
        return absent;
    }

    private static String present(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static StatusException invalid(String description) {
        return Status.INVALID_ARGUMENT.withDescription(description).asException();
    }

    public String metricQuery() {
        return metricQuery;
    }

    public double targetValue() {
        return targetValue;
    }

    /** The operation in effect (last_one when absent or unknown). */
    public OperationOverTime operationOverTime() {
        return operationOverTime;
    }

    /** Whether the metadata named an operation at all (even an unknown one). */
    public boolean operationGiven() {
        return operationGiven;
    }

    /** Whether an unknown operation was replaced by last_one. */
    public boolean operationFellBack() {
        return operationFellBack;
    }

    /** The operationOverTime text as given, or null when absent. */
    public String requestedOperation() {
        return requestedOperation;
    }

    /** Lower bound; -Infinity when absent. */
    public double clampMin() {
        return clampMin;
    }

    /** Upper bound; +Infinity when absent. */
    public double clampMax() {
        return clampMax;
    }

    public double activationTargetValue() {
        return activationTargetValue;
    }

    /** Problems that did not prevent parsing (unknown operation, ignored clamps), for logs and counters. */
    public List<String> warnings() {
        return warnings;
    }

    /** Applies clampMin then clampMax (kedify's order: with min > max the result is max). */
    public double clamp(double value) {
        double v = value < clampMin ? clampMin : value;
        return v > clampMax ? clampMax : v;
    }
}
