package dev.kedaotel.query.parser;

import dev.kedaotel.model.GoStrings;

/** One lexed token: kind, source text, start offset, and for strings the unescaped value. */
final class Token {
    final TokenType type;
    final String text;
    final int pos;
    final String value;

    Token(TokenType type, String text, int pos, String value) {
        this.type = type;
        this.text = text;
        this.pos = pos;
        this.value = value;
    }

    /** How the token is named in "unexpected ..." messages, following Prometheus' wording. */
    String describe() {
        switch (type) {
            case EOF: return "end of input";
            case IDENTIFIER: return "identifier " + GoStrings.quote(text);
            case METRIC_IDENTIFIER: return "metric identifier " + GoStrings.quote(text);
            case NUMBER: return "number " + GoStrings.quote(text);
            case DURATION: return "duration " + GoStrings.quote(text);
            case STRING: return "string " + GoStrings.quote(text.length() > 10 ? text.substring(0, 10) : text)
                    + (text.length() > 10 ? "..." : "");
            case AGGREGATOR: return "<aggr:" + text + ">";
            default:
                if (type.isOperator()) {
                    return "<op:" + text + ">";
                }
                if (type.isKeyword()) {
                    return "<" + text + ">";
                }
                return GoStrings.quote(text);
        }
    }

    @Override
    public String toString() {
        return type + "(" + text + ")@" + pos;
    }
}
