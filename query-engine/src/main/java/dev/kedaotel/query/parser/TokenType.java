package dev.kedaotel.query.parser;

/** Lexical token kinds of PromQL. */
enum TokenType {
    EOF, IDENTIFIER, METRIC_IDENTIFIER, NUMBER, DURATION, STRING,
    LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE, LEFT_BRACKET, RIGHT_BRACKET, COMMA, COLON, AT, EQL,
    // operators
    ADD, SUB, MUL, DIV, MOD, POW, EQLC, NEQ, LTE, LSS, GTE, GTR, EQL_REGEX, NEQ_REGEX, LAND, LOR, LUNLESS, ATAN2,
    // aggregators (the aggregate op is recovered from the text)
    AGGREGATOR,
    // keywords
    BOOL, BY, GROUP_LEFT, GROUP_RIGHT, IGNORING, OFFSET, ON, WITHOUT;

    boolean isOperator() {
        return ordinal() >= ADD.ordinal() && ordinal() <= ATAN2.ordinal();
    }

    boolean isKeyword() {
        return ordinal() >= BOOL.ordinal();
    }
}
