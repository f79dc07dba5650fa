package dev.kedaotel.query.parser;

import dev.kedaotel.model.GoStrings;

import dev.kedaotel.query.PromQLException;

import java.util.Locale;
import java.util.Map;

/**
 * Hand-written PromQL lexer, pulled one token at a time by the {@link Parser} so that an earlier parse
 * error is reported before a later lexical one (as in Prometheus). Tracks parenthesis depth and whether a
 * brace or bracket is open, because the lexical rules differ there: inside braces only label names,
 * strings, commas and matcher operators exist; inside brackets {@code :} separates a subquery's range and
 * step instead of being part of an identifier.
 */
final class Lexer {
    private static final Map<String, TokenType> KEYWORDS = Map.ofEntries(
            Map.entry("and", TokenType.LAND), Map.entry("or", TokenType.LOR), Map.entry("unless", TokenType.LUNLESS),
            Map.entry("atan2", TokenType.ATAN2), Map.entry("bool", TokenType.BOOL), Map.entry("by", TokenType.BY),
            Map.entry("group_left", TokenType.GROUP_LEFT), Map.entry("group_right", TokenType.GROUP_RIGHT),
            Map.entry("ignoring", TokenType.IGNORING), Map.entry("offset", TokenType.OFFSET),
            Map.entry("on", TokenType.ON), Map.entry("without", TokenType.WITHOUT));

    private final String in;
    private int pos;
    private int parenDepth;
    private boolean braceOpen;
    private boolean bracketOpen;

    Lexer(String input) {
        this.in = input;
    }

    String input() {
        return in;
    }

    Token next() throws PromQLException {
        return braceOpen ? insideBraces() : statement();
    }

    private Token statement() throws PromQLException {
        skipSpaceAndComments();
        if (pos >= in.length()) {
            if (parenDepth > 0) {
                throw ParseErrors.at(in, pos, "unclosed left parenthesis");
            }
            if (bracketOpen) {
                throw ParseErrors.at(in, pos, "unclosed left bracket");
            }
            return new Token(TokenType.EOF, "", pos, null);
        }
        int start = pos;
        char c = in.charAt(pos);
        switch (c) {
            case ',': return single(TokenType.COMMA);
            case '*': return single(TokenType.MUL);
            case '/': return single(TokenType.DIV);
            case '%': return single(TokenType.MOD);
            case '+': return single(TokenType.ADD);
            case '-': return single(TokenType.SUB);
            case '^': return single(TokenType.POW);
            case '@': return single(TokenType.AT);
            case '=':
                if (peekAt(1) == '=') {
                    return fixed(TokenType.EQLC, 2);
                }
                if (peekAt(1) == '~') {
                    throw ParseErrors.at(in, pos + 1, "unexpected character after '=': '~'");
                }
                return single(TokenType.EQL);
            case '!':
                if (peekAt(1) == '=') {
                    return fixed(TokenType.NEQ, 2);
                }
                throw ParseErrors.at(in, pos, "unexpected character after '!': " + runeQuote(peekAt(1)));
            case '<': return peekAt(1) == '=' ? fixed(TokenType.LTE, 2) : single(TokenType.LSS);
            case '>': return peekAt(1) == '=' ? fixed(TokenType.GTE, 2) : single(TokenType.GTR);
            case '(':
                parenDepth++;
                return single(TokenType.LEFT_PAREN);
            case ')':
                parenDepth--;
                if (parenDepth < 0) {
                    // Prometheus' lexer reports this one after the parenthesis.
                    throw ParseErrors.at(in, pos + 1, "unexpected right parenthesis ')'");
                }
                return single(TokenType.RIGHT_PAREN);
            case '{':
                braceOpen = true;
                return single(TokenType.LEFT_BRACE);
            case '}':
                throw ParseErrors.at(in, pos, "unexpected character: '}'");
            case '[':
                if (bracketOpen) {
                    throw ParseErrors.at(in, pos, "unexpected left bracket '['");
                }
                bracketOpen = true;
                return single(TokenType.LEFT_BRACKET);
            case ']':
                if (!bracketOpen) {
                    throw ParseErrors.at(in, pos, "unexpected right bracket ']'");
                }
                bracketOpen = false;
                return single(TokenType.RIGHT_BRACKET);
            case '"':
            case '\'':
            case '`':
                return string(c);
            case ':':
                if (bracketOpen) {
                    return single(TokenType.COLON);
                }
                return identifier(start);
            default:
                if (isDigit(c) || (c == '.' && isDigit(peekAt(1)))) {
                    return numberOrDuration();
                }
                if (isAlpha(c) || c == '_') {
                    return identifier(start);
                }
                throw ParseErrors.at(in, pos, "unexpected character: " + runeQuote(in.codePointAt(pos)));
        }
    }

    private Token insideBraces() throws PromQLException {
        while (pos < in.length() && Character.isWhitespace(in.charAt(pos))) {
            pos++;
        }
        if (pos >= in.length()) {
            throw ParseErrors.at(in, pos, "unexpected end of input inside braces");
        }
        char c = in.charAt(pos);
        int start = pos;
        switch (c) {
            case ',': return single(TokenType.COMMA);
            case '"':
            case '\'':
            case '`':
                return string(c);
            case '=':
                return peekAt(1) == '~' ? fixed(TokenType.EQL_REGEX, 2) : single(TokenType.EQL);
            case '!':
                if (peekAt(1) == '~') {
                    return fixed(TokenType.NEQ_REGEX, 2);
                }
                if (peekAt(1) == '=') {
                    return fixed(TokenType.NEQ, 2);
                }
                throw ParseErrors.at(in, pos, "unexpected character after '!' inside braces: " + runeQuote(peekAt(1)));
            case '{':
                throw ParseErrors.at(in, pos, "unexpected left brace '{'");
            case '}':
                braceOpen = false;
                return single(TokenType.RIGHT_BRACE);
            default:
                if (isAlpha(c) || c == '_') {
                    pos++;
                    while (pos < in.length() && (isAlnum(in.charAt(pos)))) {
                        pos++;
                    }
                    String word = in.substring(start, pos);
                    return new Token(keywordOr(word, TokenType.IDENTIFIER), word, start, null);
                }
                throw ParseErrors.at(in, pos, "unexpected character inside braces: " + runeQuote(in.codePointAt(pos)));
        }
    }

    private Token identifier(int start) {
        while (pos < in.length() && (isAlnum(in.charAt(pos)) || in.charAt(pos) == ':')) {
            pos++;
        }
        String word = in.substring(start, pos);
        String lower = word.toLowerCase(Locale.ROOT);
        if (lower.equals("inf") || lower.equals("nan")) {
            return new Token(TokenType.NUMBER, word, start, null);
        }
        if (word.indexOf(':') >= 0) {
            return new Token(TokenType.METRIC_IDENTIFIER, word, start, null);
        }
        return new Token(keywordOr(word, TokenType.IDENTIFIER), word, start, null);
    }

    private static TokenType keywordOr(String word, TokenType fallback) {
        String lower = word.toLowerCase(Locale.ROOT);
        TokenType kw = KEYWORDS.get(lower);
        if (kw != null) {
            return kw;
        }
        if (dev.kedaotel.query.ast.AggregateOp.byKeyword(lower) != null) {
            return TokenType.AGGREGATOR;
        }
        return fallback;
    }

    private Token numberOrDuration() throws PromQLException {
        int start = pos;
        if (scanNumber()) {
            return new Token(TokenType.NUMBER, in.substring(start, pos), start, null);
        }
        pos = start;
        if (scanDuration()) {
            return new Token(TokenType.DURATION, in.substring(start, pos), start, null);
        }
        int end = start;
        while (end < in.length() && (isAlnum(in.charAt(end)) || in.charAt(end) == '.')) {
            end++;
        }
        throw ParseErrors.at(in, start, "bad number or duration syntax: " + GoStrings.quote(in.substring(start, end)));
    }

    /** Numbers as Prometheus lexes them: decimal, hex, fraction, exponent; never followed by a letter or digit. */
    private boolean scanNumber() {
        String digits = "0123456789";
        if (accept("0") && accept("xX")) {
            digits = "0123456789abcdefABCDEF";
        }
        acceptRun(digits);
        if (accept(".")) {
            acceptRun(digits);
        }
        if (accept("eE")) {
            accept("+-");
            acceptRun("0123456789");
        }
        return !(pos < in.length() && (isAlnum(in.charAt(pos))));
    }

    /** A run of (digits unit) groups; the order of units is validated by the parser. */
    private boolean scanDuration() {
        boolean any = false;
        while (pos < in.length() && isDigit(in.charAt(pos))) {
            acceptRun("0123456789");
            if (in.startsWith("ms", pos)) {
                pos += 2;
            } else if (accept("smhdwy")) {
                // one-letter unit
            } else {
                return false;
            }
            any = true;
        }
        return any && !(pos < in.length() && isAlnum(in.charAt(pos)));
    }

    private Token string(char quote) throws PromQLException {
        int start = pos;
        pos++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= in.length()) {
                throw ParseErrors.at(in, start, quote == '`' ? "unterminated raw string" : "unterminated quoted string");
            }
            char c = in.charAt(pos);
            if (c == quote) {
                pos++;
                break;
            }
            if (quote != '`' && c == '\n') {
                throw ParseErrors.at(in, start, "unterminated quoted string");
            }
            if (quote != '`' && c == '\\') {
                pos = Escapes.unescape(in, pos, quote, value, start);
                continue;
            }
            value.append(c);
            pos++;
        }
        return new Token(TokenType.STRING, in.substring(start, pos), start, value.toString());
    }

    private void skipSpaceAndComments() {
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#') {
                while (pos < in.length() && in.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token single(TokenType t) {
        return fixed(t, 1);
    }

    private Token fixed(TokenType t, int len) {
        Token tok = new Token(t, in.substring(pos, pos + len), pos, null);
        pos += len;
        return tok;
    }

    private int peekAt(int ahead) {
        return pos + ahead < in.length() ? in.charAt(pos + ahead) : -1;
    }

    private boolean accept(String chars) {
        if (pos < in.length() && chars.indexOf(in.charAt(pos)) >= 0) {
            pos++;
            return true;
        }
        return false;
    }

    private void acceptRun(String chars) {
        while (accept(chars)) {
            // keep going
        }
    }

    static String runeQuote(int cp) {
        if (cp < 0) {
            return "EOF";
        }
        if (cp == '\'') {
            return "'\\''";
        }
        String q = dev.kedaotel.model.GoStrings.quote(new String(Character.toChars(cp)));
        return "'" + q.substring(1, q.length() - 1) + "'";
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlpha(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isAlnum(int c) {
        return isAlpha(c) || isDigit(c) || c == '_';
    }
}
