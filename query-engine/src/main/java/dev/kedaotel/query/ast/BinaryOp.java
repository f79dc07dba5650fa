package dev.kedaotel.query.ast;

/** Binary operators with Prometheus' precedence (higher binds tighter). */
public enum BinaryOp {
    OR("or", 1), AND("and", 2), UNLESS("unless", 2),
    EQLC("==", 3), NEQ("!=", 3), LTE("<=", 3), LSS("<", 3), GTE(">=", 3), GTR(">", 3),
    ADD("+", 4), SUB("-", 4),
    MUL("*", 5), DIV("/", 5), MOD("%", 5), ATAN2("atan2", 5),
    POW("^", 6);

    private final String symbol;
    private final int precedence;

    BinaryOp(String symbol, int precedence) {
        this.symbol = symbol;
        this.precedence = precedence;
    }

    public String symbol() {
        return symbol;
    }

    public int precedence() {
        return precedence;
    }

    public boolean rightAssociative() {
        return this == POW;
    }

    public boolean isComparison() {
        return precedence == 3;
    }

    public boolean isSetOperator() {
        return this == OR || this == AND || this == UNLESS;
    }

    /**
     * Arithmetic results no longer measure the named metric, so Prometheus drops {@code __name__}: for
     * {@code + - * / % ^} only. {@code atan2} keeps the left operand's name, as in Prometheus 2.42
     * ({@code shouldDropMetricName}); comparisons drop it only with {@code bool}.
     */
    public boolean dropsMetricName() {
        return this == ADD || this == SUB || this == MUL || this == DIV || this == MOD || this == POW;
    }

    @Override
    public String toString() {
        return symbol;
    }
}
