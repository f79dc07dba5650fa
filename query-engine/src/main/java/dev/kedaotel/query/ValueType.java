package dev.kedaotel.query;

/** The four PromQL value types. */
public enum ValueType {
    SCALAR("scalar", "scalar"),
    VECTOR("instant vector", "vector"),
    MATRIX("range vector", "matrix"),
    STRING("string", "string");

    private final String documentedName;
    private final String apiName;

    ValueType(String documentedName, String apiName) {
        this.documentedName = documentedName;
        this.apiName = apiName;
    }

    /** The name used in Prometheus' error messages, e.g. "range vector". */
    public String documentedName() {
        return documentedName;
    }

    /** The name used in the HTTP API's {@code resultType}, e.g. "matrix". */
    public String apiName() {
        return apiName;
    }
}
