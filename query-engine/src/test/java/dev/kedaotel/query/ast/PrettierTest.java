package dev.kedaotel.query.ast;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.parser.Parser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Expected texts are Prometheus 2.42's /api/v1/format_query answers for the same input. */
class PrettierTest {
    private static String fmt(String q) throws PromQLException {
        return Prettier.pretty(Parser.parse(q));
    }

    @Test
    void shortExpressionsStayOnOneLine() throws PromQLException {
        assertEquals("sum by (pod) (rate(x[5m]))", fmt("sum(rate(x[5m]))by(pod)"));
        assertEquals("x[1m30s]", fmt("x[90s]"));
        assertEquals("31 + 1000", fmt("0x1F + 1e3"));
        assertEquals("topk by (a) (3, x)", fmt("topk(3, x) by (a)"));
    }

    @Test
    void numberLiteralsPrintAsGoPercentV() throws PromQLException {
        assertEquals("1e+06", fmt("1e6"));
        assertEquals("123456", fmt("123456"));
        assertEquals("0.0001", fmt("0.0001"));
        assertEquals("1e-05", fmt("0.00001"));
        assertEquals("-1e+06", fmt("-1e6"));
        assertEquals("1.5e-07", fmt("1.5e-7"));
        assertEquals("vector(1.7092512e+09)", fmt("vector(1709251200)"));
        assertEquals("x @ 100.000", fmt("x @ 100"));
    }

    @Test
    void longBinaryExpressionsSplitAroundTheOperator() throws PromQLException {
        assertEquals("  vllm:num_requests_running{model=\"llama\"}\n== bool ignoring (model)\n  vllm:num_requests_running{model=\"mistral\"}",
                fmt("vllm:num_requests_running{model=\"llama\"} == bool ignoring(model) vllm:num_requests_running{model=\"mistral\"}"));
        assertEquals("  sum by (namespace, pod) (rate(http_requests_total[5m]))\n/ ignoring (pod) group_left ()\n"
                + "  sum by (namespace) (rate(http_requests_total[5m]))",
                fmt("sum by (namespace, pod) (rate(http_requests_total[5m])) / ignoring(pod) group_left sum by (namespace) (rate(http_requests_total[5m]))"));
    }
}
