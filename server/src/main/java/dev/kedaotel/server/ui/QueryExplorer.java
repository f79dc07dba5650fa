package dev.kedaotel.server.ui;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryOptions;
import dev.kedaotel.query.QueryResult;
import dev.kedaotel.query.ValueType;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.SelectorScope;
import dev.kedaotel.query.kedify.OperationOverTime;
import dev.kedaotel.scaler.ScalerMetadata;
import dev.kedaotel.scaler.ScalerQuery;
import dev.kedaotel.scaler.ScalerQueryCompiler;
import dev.kedaotel.server.http.HttpRequest;
import dev.kedaotel.server.http.NamespaceParameter;
import io.grpc.StatusException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query explorer ({@code /ui/explore}): a GET form (so a result is a link) that runs one query and shows
 * its value at now, the matching series (at most {@value #MAX_ROWS}, then "N more"), a graph over the window,
 * or the error with its position marked under the query.
 *
 * <p>Two syntaxes. {@code kedify}: the text is read exactly as a ScaledObject's {@code metricQuery} with the
 * chosen {@code operationOverTime} — parsed by {@link ScalerMetadata} and compiled by the scaler's own
 * {@link ScalerQueryCompiler} (kedify syntax first, else PromQL that must yield one number), and the compiled
 * PromQL is shown. {@code promql}: plain PromQL, as {@code /api/v1/query} takes it. With tenancy
 * ({@code SCALED_OBJECT_NAMESPACE_LABEL}) the {@code namespace} field scopes either, as
 * {@link NamespaceParameter} scopes the HTTP API (and as a ScaledObject in that namespace is scoped).
 *
 * <p>Limits: the route runs on the HTTP query lane ({@code QUERY_MAX_CONCURRENCY}, {@code QUERY_MAX_QUEUED}),
 * and the instant query plus the graph's range query (step: a sixtieth of the window, at least 1 s) share one
 * {@code QUERY_TIMEOUT_SECONDS} deadline; the engine's {@code QUERY_MAX_SAMPLES} applies to each. Stateless
 * and thread-safe.
 */
final class QueryExplorer {
    static final int MAX_ROWS = 50;
    static final int GRAPH_SERIES = 10;
    /** Prometheus' parser prefixes its errors with the position: {@code 1:5: parse error: …}. */
    private static final Pattern POSITION = Pattern.compile("(\\d+):(\\d+)(?:-\\d+)?: parse error");

    private final UiSources src;
    private final NamespaceParameter namespaces;
    private final ScalerQueryCompiler compiler;

    QueryExplorer(UiSources src) {
        this.src = src;
        this.namespaces = new NamespaceParameter(src.namespaceLabel());
        // No tenancy in the compiler: the namespace field, when given, scopes the compiled tree below, exactly the
        // rewrite the scaler's compiler applies after compiling (SelectorScope on the expression).
        this.compiler = new ScalerQueryCompiler(src.engine(), src.retentionMs(), "", src.naming());
    }

    String render(HttpRequest r) {
        String q = orEmpty(r.param("q"));
        boolean kedify = !"promql".equals(r.param("syntax"));
        String op = orEmpty(r.param("operationOverTime"));
        String ns = orEmpty(r.param(NamespaceParameter.NAME));
        StringBuilder b = Html.begin("Query explorer", src.version());
        form(b, q, kedify, op, ns);
        if (!q.isBlank()) {
            b.append("<section id=\"result\">");
            run(b, r, q, kedify, op);
            b.append("</section>");
        }
        return Html.end(b, false);
    }

    private void form(StringBuilder b, String q, boolean kedify, String op, String ns) {
        b.append("<section><h2>Query explorer</h2><form method=\"get\" action=\"/ui/explore\">")
                .append("<input type=\"text\" name=\"q\" id=\"q\" value=\"").append(Html.esc(q))
                .append("\" placeholder=\"sum(vllm:num_requests_running{namespace=models})\" autofocus>")
                .append("<div class=\"row\"><label><input type=\"radio\" name=\"syntax\" value=\"kedify\"")
                .append(kedify ? " checked" : "").append("> as a ScaledObject's metricQuery (kedify syntax, or PromQL)</label>")
                .append("<label><input type=\"radio\" name=\"syntax\" value=\"promql\"").append(kedify ? "" : " checked")
                .append("> PromQL</label><label>operationOverTime <select name=\"operationOverTime\">");
        for (OperationOverTime o : OperationOverTime.values()) {
            String w = o.wireName();
            b.append("<option").append(w.equals(op) || (op.isEmpty() && o == OperationOverTime.LAST_ONE) ? " selected" : "")
                    .append('>').append(Html.esc(w)).append("</option>");
        }
        b.append("</select></label><label>namespace <input type=\"text\" name=\"namespace\" style=\"width:14em\" value=\"")
                .append(Html.esc(ns)).append("\"></label><button type=\"submit\">Run</button></div>")
                .append("<div class=\"muted\">").append(src.namespaceLabel().isEmpty()
                        ? "tenancy is off (SCALED_OBJECT_NAMESPACE_LABEL unset): namespace is ignored"
                        : "namespace scopes every selector to " + Html.esc(src.namespaceLabel()) + "=\"…\", as for a ScaledObject there")
                .append("; the window is ").append(src.retentionMs() / 1000).append(" s</div></form></section>");
    }

    private void run(StringBuilder b, HttpRequest r, String q, boolean kedify, String op) {
        long deadlineNanos = src.time().monotonicNanos() + src.queryTimeoutMs() * 1_000_000L;
        Expr expr;
        try {
            SelectorScope scope = namespaces.scope(r);
            if (kedify) {
                Map<String, String> md = op.isEmpty() ? Map.of(ScalerMetadata.METRIC_QUERY, q, ScalerMetadata.TARGET_VALUE, "1")
                        : Map.of(ScalerMetadata.METRIC_QUERY, q, ScalerMetadata.TARGET_VALUE, "1", ScalerMetadata.OPERATION_OVER_TIME, op);
                ScalerMetadata parsed = ScalerMetadata.parse(md);
                ScalerQuery compiled = compiler.compile(parsed);
                expr = scope == null ? compiled.expr() : scope.apply(compiled.expr());
                for (String w : parsed.warnings()) {
                    b.append("<p class=\"inactive\">").append(Html.esc(w)).append("</p>");
                }
                b.append("<p>compiled PromQL (").append(compiled.kedifySyntax() ? "kedify syntax" : "read as PromQL")
                        .append("): <code id=\"compiled\">").append(Html.esc(expr.toString())).append("</code></p>");
            } else {
                expr = src.engine().parse(q);
                if (scope != null) {
                    expr = scope.apply(expr);
                    b.append("<p>scoped: <code id=\"compiled\">").append(Html.esc(expr.toString())).append("</code></p>");
                }
            }
        } catch (PromQLException e) {
            error(b, q, e.getMessage());
            return;
        } catch (StatusException e) {
            error(b, q, e.getStatus().getDescription());
            return;
        } catch (IllegalArgumentException e) {
            error(b, q, e.getMessage()); // an empty namespace parameter
            return;
        }
        long now = src.time().wallMillis();
        QueryResult result;
        try {
            result = src.engine().instant(expr, now, options(deadlineNanos));
        } catch (PromQLException e) {
            error(b, q, e.getMessage());
            return;
        }
        value(b, result, kedify);
        series(b, result);
        graph(b, expr, result, now, deadlineNanos);
    }

    private QueryOptions options(long deadlineNanos) {
        return QueryOptions.builder().timeoutMs(Math.max(1, (deadlineNanos - src.time().monotonicNanos()) / 1_000_000L)).build();
    }

    /** The error text, and when it has Prometheus' {@code line:column} the query's line with a caret under that column. */
    static void error(StringBuilder b, String q, String message) {
        b.append("<p class=\"err\" id=\"error\">").append(Html.esc(message)).append("</p>");
        Matcher m = POSITION.matcher(message == null ? "" : message);
        if (!m.find()) {
            return;
        }
        int line = Integer.parseInt(m.group(1));
        int col = Integer.parseInt(m.group(2));
        String[] lines = q.split("\n", -1);
        if (line < 1 || line > lines.length || col < 1 || col > lines[line - 1].length() + 1) {
            return;
        }
        b.append("<pre id=\"position\">").append(Html.esc(lines[line - 1])).append('\n')
                .append("<span class=\"caret\">").append(" ".repeat(col - 1)).append("^ line ").append(line).append(", column ")
                .append(col).append("</span></pre>");
    }

    private static void value(StringBuilder b, QueryResult r, boolean kedify) {
        b.append("<p>value at now: <b id=\"value\">");
        switch (r.type()) {
            case SCALAR -> b.append(Html.esc(Html.num(r.scalar()))).append("</b>");
            case STRING -> b.append(Html.esc(r.string())).append("</b>");
            case VECTOR -> {
                if (r.size() == 1) {
                    b.append(Html.esc(Html.num(r.value(0)))).append("</b>");
                } else if (r.size() == 0) {
                    b.append("no series</b> <span class=\"muted\">(a ScaledObject gets METRIC_STORE_VALUE_IF_NOT_FOUND, or NOT_FOUND"
                            + " with METRIC_STORE_ERROR_IF_NOT_FOUND)</span>");
                } else {
                    b.append(r.size()).append(" series</b>").append(kedify ? " <span class=\"err\">a ScaledObject's query must return"
                            + " one value: wrap it in an aggregation such as sum(…)</span>" : "");
                }
            }
            case MATRIX -> b.append("a range vector of ").append(r.series().size()).append(" series</b>");
            default -> b.append("</b>");
        }
        b.append("</p>");
    }

    private static void series(StringBuilder b, QueryResult r) {
        boolean matrix = r.type() == ValueType.MATRIX;
        int n = matrix ? r.series().size() : r.type() == ValueType.VECTOR ? r.size() : 0;
        if (n == 0) {
            return;
        }
        b.append("<table id=\"series\"><tr><th>series</th><th>").append(matrix ? "samples, last value" : "value").append("</th></tr>");
        for (int i = 0; i < Math.min(n, MAX_ROWS); i++) {
            b.append("<tr><td><code>");
            if (matrix) {
                QueryResult.Series s = r.series().get(i);
                b.append(Html.esc(s.labels().toString())).append("</code></td><td>").append(s.size()).append(", ")
                        .append(s.size() == 0 ? "—" : Html.esc(Html.num(s.values()[s.size() - 1])));
            } else {
                b.append(Html.esc(r.labels(i).toString())).append("</code></td><td>").append(Html.esc(Html.num(r.value(i))));
            }
            b.append("</td></tr>");
        }
        b.append("</table>");
        if (n > MAX_ROWS) {
            b.append("<p class=\"muted\" id=\"more\">").append(n - MAX_ROWS).append(" more series not listed</p>");
        }
    }

    private void graph(StringBuilder b, Expr expr, QueryResult instant, long now, long deadlineNanos) {
        long start = now - src.retentionMs();
        List<QueryResult.Series> series;
        if (instant.type() == ValueType.MATRIX) {
            series = instant.series(); // a range vector is its own graph
        } else if (instant.type() == ValueType.STRING) {
            return;
        } else {
            long step = Math.max(1_000, src.retentionMs() / 60);
            try {
                series = src.engine().range(expr, start, now, step, options(deadlineNanos)).series();
            } catch (PromQLException e) {
                b.append("<p class=\"err\">graph query failed: ").append(Html.esc(e.getMessage())).append("</p>");
                return;
            }
        }
        b.append("<div id=\"graph\">").append(Charts.svg(series, GRAPH_SERIES, start, now, 900, 240, true,
                "the query over the last " + src.retentionMs() / 1000 + " s")).append("</div><ul class=\"legend\">");
        List<String> legend = new ArrayList<>();
        for (int i = 0; i < Math.min(series.size(), GRAPH_SERIES); i++) {
            legend.add("<li><span style=\"color:" + Charts.COLORS[i % Charts.COLORS.length] + "\">■</span> <code>"
                    + Html.esc(series.get(i).labels().toString()) + "</code></li>");
        }
        b.append(String.join("", legend)).append("</ul>");
        if (series.size() > GRAPH_SERIES) {
            b.append("<p class=\"muted\">").append(series.size() - GRAPH_SERIES).append(" more series not drawn</p>");
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
