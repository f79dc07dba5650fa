package dev.kedaotel.server.http;

import dev.kedaotel.query.ast.SelectorScope;

/**
 * The HTTP API's side of tenancy ({@code SCALED_OBJECT_NAMESPACE_LABEL}): the scope of one request,
 * taken from its {@code namespace} parameter. KEDA's prometheus trigger appends
 * {@code &namespace=<ns>} to every query when its {@code namespace} metadata is set (the convention of
 * namespaced Prometheus front ends such as Thanos' and prom-label-proxy's), so with tenancy on a trigger
 * that names its namespace sees only that namespace's series, like an {@code external} trigger does.
 *
 * <p>This scopes answers; it does not authenticate. The parameter is whatever the caller sends, and a
 * request without it is unscoped (Grafana, promtool and the operator need the whole store). Limiting
 * who may call the API is the bearer token's job. The enforced boundary is the KEDA scaler port, where
 * the namespace comes from KEDA's {@code ScaledObjectRef}.
 *
 * <p>Immutable and thread-safe.
 */
public final class NamespaceParameter {
    public static final String NAME = "namespace";

    /** The tenancy label, or "" when tenancy is off. */
    private final String label;

    /** @param label {@code SCALED_OBJECT_NAMESPACE_LABEL}: a valid label name, or "" for off */
    public NamespaceParameter(String label) {
        if (!label.isEmpty()) {
            SelectorScope.checkLabelName(label);
        }
        this.label = label;
    }

    /**
     * The scope of {@code r}: null when tenancy is off (the parameter is then ignored, as Prometheus
     * ignores it) or the request has no {@code namespace} parameter.
     *
     * @throws IllegalArgumentException (Prometheus' "invalid parameter" wording) when the parameter is
     *     present but empty, which would otherwise select the series that have no namespace at all
     */
    public SelectorScope scope(HttpRequest r) {
        if (label.isEmpty()) {
            return null;
        }
        String ns = r.param(NAME);
        if (ns == null) {
            return null;
        }
        if (ns.isEmpty()) {
            throw new IllegalArgumentException("invalid parameter \"" + NAME + "\": must not be empty (SCALED_OBJECT_NAMESPACE_LABEL="
                    + label + " scopes the request to the series whose " + label + " label equals it)");
        }
        return SelectorScope.of(label, ns);
    }
}
