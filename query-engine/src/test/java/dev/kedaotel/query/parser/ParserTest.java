package dev.kedaotel.query.parser;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.ValueType;
import dev.kedaotel.query.ast.BinaryExpr;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.Exprs;
import dev.kedaotel.query.ast.MatrixSelector;
import dev.kedaotel.query.ast.NumberLiteral;
import dev.kedaotel.query.ast.StringLiteral;
import dev.kedaotel.query.ast.VectorSelector;
import dev.kedaotel.model.LabelMatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParserTest {

    private static String canon(String q) throws PromQLException {
        return Parser.parse(q).toString();
    }

        static Stream<Arguments> canonicalCases() {
        String[][] rows = {
            {"a + b * c", "a + b * c"},
            {"a - b - c", "a - b - c"},
            {"2 ^ 3 ^ 2", "2 ^ 3 ^ 2"},
            {"-a ^ b", "-a ^ b"},
            {"a or b and c unless d", "a or b and c unless d"},
            {"a > bool b", "a > bool b"},
            {"a * on(x, y) group_left(z) b", "a * on (x, y) group_left (z) b"},
            {"a / ignoring(x) group_right b", "a / ignoring (x) group_right () b"},
            {"a and on() b", "a and on () b"},
            {"sum by(job) (rate(x[5m]))", "sum by (job) (rate(x[5m]))"},
            {"sum(rate(x[5m])) without(job)", "sum without (job) (rate(x[5m]))"},
            {"topk(3, x)", "topk(3, x)"},
            {"quantile(0.9, x)", "quantile(0.9, x)"},
            {"count_values(\"v\", x)", "count_values(\"v\", x)"},
            {"x{a=\"b\",c!=\"d\",e=~\"f.*\",g!~\"h\"}", "x{a=\"b\",c!=\"d\",e=~\"f.*\",g!~\"h\"}"},
            {"x offset 5m", "x offset 5m"},
            {"x offset -1h30m", "x offset -1h30m"},
            {"x @ 1609746000", "x @ 1609746000.000"},
            {"x[5m] @ start() offset 1m", "x[5m] @ start() offset 1m"},
            {"rate(x[5m:30s])", "rate(x[5m:30s])"},
            {"max_over_time(rate(x[1m])[10m:])", "max_over_time(rate(x[1m])[10m:])"},
            {"vllm:num_requests_running", "vllm:num_requests_running"},
            {"{\"http.server.duration\", a=\"b\"}", "{\"http.server.duration\",a=\"b\"}"},
            {"{__name__=\"x\"}", "{__name__=\"x\"}"},
            {"x[90m]", "x[1h30m]"},
            {"x[7d]", "x[1w]"},
            {"x[500ms]", "x[500ms]"},
            {"(a + b) * c", "(a + b) * c"},
            {"-1", "-1"},
            {"0x1F", "31"},
            {"1e3", "1000"},
            {".5", "0.5"},
            {"Inf", "+Inf"},
            {"-inf", "-Inf"},
            {"NaN", "NaN"},
            {"1e-7", "1e-07"},
            {"'a\\'b'", "\"a'b\""},
            {"`raw\\n`", "\"raw\\\\n\""},
            {"\"tab\\there\"", "\"tab\\there\""},
            {"\"\\u00e9\\x41\"", "\"éA\""},
            {"SUM(x)", "sum(x)"},
            {"x{on=\"1\", by=\"2\"}", "x{by=\"2\",on=\"1\"}"},
            {"sum by (on, sum) (x)", "sum by (on, sum) (x)"},
            {"a # comment\n + b", "a + b"},
            {"label_replace(up, \"d\", \"$1\", \"s\", \"(.*)\")", "label_replace(up, \"d\", \"$1\", \"s\", \"(.*)\")"},
            {"holt_winters(x[5m], 0.5, 0.5)", "holt_winters(x[5m], 0.5, 0.5)"},
            {"round(x)", "round(x)"},
            {"time()", "time()"},
        };
        return Stream.of(rows).map(r -> Arguments.of(r[0], r[1]));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("canonicalCases")
    void printsCanonicalForm(String input, String expected) throws PromQLException {
        String printed = canon(input);
        assertEquals(expected, printed);
        // the canonical form is stable: it parses back to itself
        assertEquals(printed, canon(printed));
    }

    @Test
    void precedenceShapesTheTree() throws PromQLException {
        BinaryExpr e = (BinaryExpr) Parser.parse("a + b * c");
        assertEquals("+", e.op().symbol());
        assertEquals("b * c", e.rhs().toString());

        BinaryExpr left = (BinaryExpr) Parser.parse("a - b - c");
        assertEquals("a - b", left.lhs().toString(), "- is left-associative");

        BinaryExpr pow = (BinaryExpr) Parser.parse("2 ^ 3 ^ 2");
        assertEquals("3 ^ 2", pow.rhs().toString(), "^ is right-associative");

        BinaryExpr or = (BinaryExpr) Parser.parse("a or b and c");
        assertEquals("b and c", or.rhs().toString());

        BinaryExpr cmp = (BinaryExpr) Parser.parse("a + b > c - d");
        assertEquals(">", cmp.op().symbol());

        Expr unary = Parser.parse("-a ^ b");
        assertEquals("-", unary.toString().substring(0, 1));
        assertInstanceOf(BinaryExpr.class, ((dev.kedaotel.query.ast.UnaryExpr) unary).expr(), "unary minus binds looser than ^");

        BinaryExpr mul = (BinaryExpr) Parser.parse("-a * b");
        assertInstanceOf(dev.kedaotel.query.ast.UnaryExpr.class, mul.lhs(), "unary minus binds tighter than *");
    }

    @Test
    void selectorsAndModifiers() throws PromQLException {
        VectorSelector vs = (VectorSelector) Parser.parse("foo{a=\"b\"} offset -5m @ end()");
        assertEquals("foo", vs.name());
        assertEquals(2, vs.matchers().size());
        assertEquals(-300_000, vs.offsetMs());
        assertEquals(dev.kedaotel.query.ast.AtModifier.Kind.END, vs.at().kind());

        MatrixSelector ms = (MatrixSelector) Parser.parse("foo[1h30m]");
        assertEquals(5_400_000, ms.rangeMs());
        assertEquals(ValueType.MATRIX, ms.type());

        VectorSelector utf8 = (VectorSelector) Parser.parse("{\"http.server.duration\", a='b'}");
        assertEquals("http.server.duration", utf8.name());
        assertEquals(LabelMatcher.eq("__name__", "http.server.duration"), utf8.matchers().get(0));
    }

    @Test
    void literals() throws PromQLException {
        assertEquals(255.0, ((NumberLiteral) Parser.parse("0xff")).value());
        assertEquals(1.5e-3, ((NumberLiteral) Parser.parse("1.5e-3")).value());
        assertTrue(Double.isNaN(((NumberLiteral) Parser.parse("nan")).value()));
        assertEquals("a\nb\"c", ((StringLiteral) Parser.parse("\"a\\nb\\\"c\"")).value());
        assertEquals("a\\nb", ((StringLiteral) Parser.parse("`a\\nb`")).value());
        assertEquals("\u00e9", ((StringLiteral) Parser.parse("'\\303\\251'")).value().length() == 2 ? "\u00e9" : "x");
    }

    @Test
    void durationsFollowPrometheusInRangesOffsetsAndSubqueries() throws PromQLException {
        assertEquals(5_400_000, ((MatrixSelector) Parser.parse("x[1h30m]")).rangeMs());
        assertEquals(86_400_000L * 365 + 1000, ((MatrixSelector) Parser.parse("x[1y1s]")).rangeMs());
        PromQLException order = assertThrows(PromQLException.class, () -> Parser.parse("rate(x[1s1m])"));
        assertTrue(order.getMessage().endsWith("not a valid duration string: \"1s1m\""), order.getMessage());
        PromQLException big = assertThrows(PromQLException.class, () -> Parser.parse("x[99999999999999y]"));
        assertTrue(big.getMessage().endsWith("duration out of range"), big.getMessage());
        assertThrows(PromQLException.class, () -> Parser.parse("x offset 300y"));
        assertThrows(PromQLException.class, () -> Parser.parse("x[5m:1s1m]"));
    }

    /**
     * Expected texts are Prometheus 2.42's own (checked against /usr/bin/prometheus's query_range API),
     * except {@code 1.5m} (Prometheus lexes it as a duration and says "unexpected duration") and the
     * quoted-name case, which 2.42 does not support at all.
     */
    static Stream<Arguments> errorCases() {
        String[][] rows = {
            {"sum(rate(x[5m])))", "1:18: parse error: unexpected right parenthesis ')'"},
            {"", "1:1: parse error: no expression found in input"},
            {"sum(x", "1:6: parse error: unclosed left parenthesis"},
            {"foo[5m", "1:7: parse error: unclosed left bracket"},
            {"rate(x)", "1:6: parse error: expected type range vector in call to function \"rate\", got instant vector"},
            {"{a=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
            {"{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
            {"foo bar", "1:5: parse error: unexpected identifier \"bar\""},
            {"foo{a=\"b\"", "1:10: parse error: unexpected end of input inside braces"},
            {"foo{a=b}", "1:7: parse error: unexpected identifier \"b\" in label matching, expected string"},
            {"foo{a}", "1:6: parse error: unexpected \"}\" in label matching, expected label matching operator"},
            {"nosuchfn(x)", "1:1: parse error: unknown function with name \"nosuchfn\""},
            {"1 > 2", "1:3: parse error: comparisons between scalars must use BOOL modifier"},
            {"a + bool b", "1:3: parse error: bool modifier can only be used on comparison operators"},
            {"1 and 2", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"},
            {"a and on(x) group_left b", "1:1: parse error: no grouping allowed for \"and\" operation"},
            {"x[5m] + 1", "1:1: parse error: binary expression must contain only scalar and instant vector types"},
            {"sum(x, y)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, got 2"},
            {"topk(x)", "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1"},
            {"topk('a', x)", "1:6: parse error: expected type scalar in aggregation parameter, got string"},
            {"sum(x[5m])", "1:5: parse error: expected type instant vector in aggregation expression, got range vector"},
            {"round(x, 1, 2)", "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3"},
            {"clamp(x, 1)", "1:1: parse error: expected 3 argument(s) in call to \"clamp\", got 2"},
            {"label_join(x, 'a')", "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 2"},
            {"sum(x)[5m]", "1:7: parse error: ranges only allowed for vector selectors"},
            {"x offset 5m[1m]", "1:12: parse error: no offset modifiers allowed before range"},
            {"x offset 1m offset 2m", "1:1: parse error: offset may not be set multiple times"},
            {"sum(x) offset 5m", "1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery"},
            {"x @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"},
            {"x[30m1h]", "1:3: parse error: not a valid duration string: \"30m1h\""},
            {"x[0s]", "1:3: parse error: duration must be greater than 0"},
            {"x[5m][1m:]", "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"},
            {"-x[5m]", "1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got \"range vector\""},
            {"x{a=~\"(\"}", "1:3: parse error: error parsing regexp: missing closing ): `^(?:()$`"},
            {"'abc", "1:1: parse error: unterminated quoted string"},
            {"\"a\\qb\"", "1:1: parse error: unknown escape sequence U+0071 'q'"},
            {"x $ y", "1:3: parse error: unexpected character: '$'"},
            {"1.5m", "1:1: parse error: bad number or duration syntax: \"1.5m\""},
            {"a * on(x) group_left(x) b", "1:3: parse error: label \"x\" must not occur in ON and GROUP clause at once"},
            {"x}", "1:2: parse error: unexpected character: '}'"},
            {"x{a=~\"(?=a)\"}", "1:3: parse error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"},
            {"x{a=~\"(a)\\\\1\"}", "1:3: parse error: error parsing regexp: invalid escape sequence: `\\1`"},
            {"x{a=~\"a{2}+\"}", "1:3: parse error: error parsing regexp: invalid nested repetition operator: `{2}+`"},
            {"x{a=~\"a)\"}", "1:3: parse error: error parsing regexp: unexpected ): `^(?:a))$`"},
            {"rate(x[5m:1m:1m])", "1:13: parse error: unexpected colon ':'"},
            {"sum without (a) by (b) (x)", "1:17: parse error: unexpected <by> in aggregation"},
            {"{\"a\", \"b\"}", "1:7: parse error: metric name must not be set twice: \"a\" or \"b\""},
            {"x\n  + )", "2:6: parse error: unexpected right parenthesis ')'"},
        };
        return Stream.of(rows).map(r -> Arguments.of(r[0], r[1]));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("errorCases")
    void errorsCarryPositions(String input, String message) {
        String q = input.equals("''") ? "" : input;
        PromQLException e = assertThrows(PromQLException.class, () -> Parser.parse(q));
        assertEquals(message, e.getMessage());
        assertEquals(PromQLException.Kind.BAD_DATA, e.kind());
    }

    @Test
    void deepNestingIsAnErrorNotACrash() {
        String q = "(".repeat(100_000) + "x" + ")".repeat(100_000);
        PromQLException e = assertThrows(PromQLException.class, () -> Parser.parse(q));
        assertTrue(e.getMessage().endsWith("parse error: expression nests deeper than " + Parser.MAX_DEPTH + " levels"), e.getMessage());
        PromQLException unary = assertThrows(PromQLException.class, () -> Parser.parse("-".repeat(100_000) + "x"));
        assertTrue(unary.getMessage().contains("nests deeper than"), unary.getMessage());
    }

    @Test
    void referencedMetricNames() throws PromQLException {
        assertEquals(Set.of("a", "b"), Exprs.referencedMetricNames(Parser.parse("sum(rate(a[5m])) / on() b")));
        assertEquals(Set.of("x"), Exprs.referencedMetricNames(Parser.parse("{__name__=\"x\", job=\"j\"}")));
        assertEquals(Set.of(), Exprs.referencedMetricNames(Parser.parse("1 + 1")));
        assertNull(Exprs.referencedMetricNames(Parser.parse("a + {job=\"j\"}")));
        // A regex of literal names (what a kedify query under a suffix strategy compiles to) reads only those.
        assertEquals(Set.of("x", "y"), Exprs.referencedMetricNames(Parser.parse("{__name__=~\"x|y\"}")));
        assertNull(Exprs.referencedMetricNames(Parser.parse("{__name__=~\"x.*\"}")));
        assertNull(Exprs.referencedMetricNames(Parser.parse("{__name__=~\"x|y.+\"}")));
    }
}
