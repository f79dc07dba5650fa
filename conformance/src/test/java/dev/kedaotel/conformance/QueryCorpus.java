package dev.kedaotel.conformance;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The generated query corpus: templates expanded over the dataset's metrics, ranges and parameters,
 * each query tagged with the feature of the issue it exercises. {@code ordered} marks queries whose
 * result order is defined (sort, sort_desc at the top).
 */
final class QueryCorpus {
    record Query(String feature, String text, boolean ordered) {
    }

    private final List<Query> queries = new ArrayList<>();
    private final Set<String> seen = new LinkedHashSet<>();

    static List<Query> build(Dataset data) {
        QueryCorpus c = new QueryCorpus();
        c.selectors(data);
        c.rangeFunctions();
        c.instantFunctions();
        c.aggregations();
        c.binaryOps();
        c.metricNames(data);
        c.literalsAndPrecedence();
        c.histograms();
        c.labelsAndAbsent();
        c.clientShapes();
        c.unsupported();
        c.oddValues();
        c.longQueries();
        c.regexes();
        c.errors();
        return c.queries;
    }

    private void add(String feature, String q) {
        if (seen.add(q)) {
            queries.add(new Query(feature, q, q.startsWith("sort(") || q.startsWith("sort_desc(")));
        }
    }

    static final String[] COUNTERS = {"http_requests_total", "http_requests_total{namespace=\"x\"}",
        "vllm:e2e_request_latency_seconds_count"};
    static final String[] GAUGES = {"node_temperature_celsius", "vllm:num_requests_running", "gappy_metric"};

    private void selectors(Dataset data) {
        for (String s : new String[] {"http_requests_total", "node_temperature_celsius", "vllm:num_requests_running",
            "vllm:e2e_request_latency_seconds_bucket", "vllm:e2e_request_latency_seconds_sum", "nonexistent_metric",
            "http_requests_total{namespace=\"x\"}", "http_requests_total{namespace!=\"x\"}", "http_requests_total{code=~\"5..\"}",
            "http_requests_total{pod!~\"a|b\"}", "http_requests_total{pod=~\"a|b\",code=\"200\",method=\"GET\"}",
            "http_requests_total{method=~\"post\"}", "http_requests_total{method=~\"(?i)post\"}", "http_requests_total{pod=~\".*\"}",
            "http_requests_total{pod=~\"a.*|c\"}", "http_requests_total{nonexistent=\"\"}", "http_requests_total{namespace=~\"x|\"}",
            "vllm:e2e_request_latency_seconds_bucket{le=\"+Inf\"}", "vllm:e2e_request_latency_seconds_bucket{le=~\"0.*\"}",
            "{namespace=\"y\",pod=\"b\"}", "{pod=\"p1\"}", "{__name__=~\"vllm:.*\"}", "{__name__=\"vllm:num_requests_running\",model=\"llama\"}",
            "{__name__=~\"http_.*|node_.*\",zone=\"eu\"}", "{__name__!~\".*_bucket|.*_count|.*_sum\",pod=\"p2\"}",
            "{__name__=~\"gappy_.*\"}"}) {
            add("selectors and matchers", s);
        }
        for (String s : new String[] {"gappy_metric", "gappy_metric{job=\"ended\"}", "count(gappy_metric)",
            "gappy_metric offset 10m", "gappy_metric offset 3m", "last_over_time(gappy_metric[10m])"}) {
            add("lookback and staleness", s);
        }
        for (String s : new String[] {"http_requests_total offset 1m", "node_temperature_celsius offset 5m",
            "node_temperature_celsius offset 1m30s", "rate(http_requests_total[2m] offset 3m)", "node_temperature_celsius offset -1m",
            "sum(vllm:num_requests_running offset 7m) by (model)", "node_temperature_celsius - node_temperature_celsius offset 1m"}) {
            add("offset", s);
        }
        long at = data.sampleTime("node_temperature_celsius", 20);
        String atS = at / 1000 + "." + String.format("%03d", at % 1000);
        long at2 = data.endMs - 10 * 60_000L;
        for (String s : new String[] {"node_temperature_celsius @ " + atS, "node_temperature_celsius @ " + (at2 / 1000),
            "rate(http_requests_total[5m] @ " + (at2 / 1000) + ")", "node_temperature_celsius @ start()", "node_temperature_celsius @ end()",
            "rate(http_requests_total[1m] @ end())", "max_over_time(node_temperature_celsius[5m] @ start())",
            "node_temperature_celsius @ " + (at2 / 1000) + " offset 1m", "sum(vllm:num_requests_running @ end()) by (pod)",
            "node_temperature_celsius - node_temperature_celsius @ start()"}) {
            add("@ modifier", s);
        }
        for (String s : new String[] {"max_over_time(rate(http_requests_total[1m])[5m:30s])", "avg_over_time(node_temperature_celsius[10m:1m])",
            "rate(http_requests_total[5m:])", "min_over_time(sum by (pod) (vllm:num_requests_running)[3m:20s])",
            "node_temperature_celsius[3m:1m]", "max_over_time(node_temperature_celsius[4m:45s] offset 2m)",
            "sum_over_time(gappy_metric[15m:1m])", "deriv(sum(node_temperature_celsius)[5m:30s])",
            "max_over_time(deriv(node_temperature_celsius[2m])[6m:1m])", "count_over_time(vllm:num_requests_running[5m:17s])",
            "avg_over_time(node_temperature_celsius[5m:1m] @ end())", "max_over_time(node_temperature_celsius @ start()[5m:1m])",
            "sum_over_time(rate(http_requests_total[1m] @ end())[3m:30s])", "avg_over_time(max_over_time(node_temperature_celsius[1m])[4m:20s])[5m:1m]",
            "max_over_time(avg_over_time(node_temperature_celsius[2m:15s])[4m:1m])", "last_over_time(vllm:num_requests_running[3m:7s] offset 30s)",
            "rate(http_requests_total[2m:10s] offset -1m)", "timestamp(max_over_time(node_temperature_celsius[2m:1m]))",
            "quantile_over_time(0.5, rate(http_requests_total[1m])[5m:1m])", "changes(round(node_temperature_celsius)[10m:30s])"}) {
            add("subqueries", s);
        }
        for (String s : new String[] {"node_temperature_celsius[1m]", "http_requests_total{pod=\"a\"}[2m]",
            "gappy_metric[6m]", "node_temperature_celsius[1m] offset 1m"}) {
            add("range selectors", s);
        }
    }

    private void rangeFunctions() {
        String[] fns = {"rate", "irate", "increase", "delta", "idelta", "deriv", "resets", "changes", "avg_over_time",
            "min_over_time", "max_over_time", "sum_over_time", "count_over_time", "last_over_time", "present_over_time",
            "stddev_over_time", "stdvar_over_time"};
        String[] ranges = {"1m", "5m"};
        for (String f : fns) {
            String[] metrics = isCounterFn(f) ? COUNTERS : GAUGES;
            String[] others = isCounterFn(f) ? GAUGES : COUNTERS;
            for (String m : metrics) {
                for (String r : ranges) {
                    add(f, f + "(" + m + "[" + r + "])");
                }
            }
            add(f, f + "(" + others[0] + "[2m])");
            add(f, f + "(" + metrics[0] + "[30s])");
            add(f, f + "(" + metrics[0] + "[17s])");
        }
        for (String m : GAUGES) {
            add("quantile_over_time", "quantile_over_time(0.9, " + m + "[5m])");
            add("predict_linear", "predict_linear(" + m + "[5m], 600)");
            add("holt_winters", "holt_winters(" + m + "[5m], 0.5, 0.3)");
        }
        add("quantile_over_time", "quantile_over_time(0, node_temperature_celsius[3m])");
        add("quantile_over_time", "quantile_over_time(1, node_temperature_celsius[3m])");
        add("quantile_over_time", "quantile_over_time(1.5, node_temperature_celsius[3m])");
        add("quantile_over_time", "quantile_over_time(-1, node_temperature_celsius[3m])");
        add("predict_linear", "predict_linear(http_requests_total[2m], 60)");
        add("predict_linear", "predict_linear(node_temperature_celsius[10m] offset 1m, -120)");
        add("holt_winters", "holt_winters(http_requests_total[10m], 0.1, 0.9)");
        add("holt_winters", "holt_winters(node_temperature_celsius[1m], 0.8, 0.2)");
        add("holt_winters", "holt_winters(node_temperature_celsius[5m], 1, 0.5)");
        add("absent_over_time", "absent_over_time(nonexistent_metric[5m])");
        add("absent_over_time", "absent_over_time(nonexistent_metric{job=\"a\",pod=~\"b\"}[5m])");
        add("absent_over_time", "absent_over_time(gappy_metric{job=\"ended\"}[5m])");
        add("absent_over_time", "absent_over_time(node_temperature_celsius[1m])");
        add("rate", "rate(http_requests_total[1h])");
        add("rate", "rate(http_requests_total[90s])");
        add("increase", "increase(vllm:e2e_request_latency_seconds_bucket[3m])");
    }

    private static boolean isCounterFn(String f) {
        return f.equals("rate") || f.equals("irate") || f.equals("increase") || f.equals("resets");
    }

    private void instantFunctions() {
        for (String f : new String[] {"abs", "ceil", "floor", "round", "sqrt", "exp", "ln", "log2", "log10"}) {
            add(f, f + "(node_temperature_celsius)");
            add(f, f + "(vllm:gpu_cache_usage_perc)");
            add(f, f + "(-vllm:num_requests_running)");
        }
        for (String f : new String[] {"sgn", "acos", "asin", "atan", "asinh", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh", "deg", "rad"}) {
            add("other math functions", f + "(vllm:gpu_cache_usage_perc)");
        }
        add("other math functions", "sgn(node_temperature_celsius)");
        add("other math functions", "acosh(node_temperature_celsius)");
        add("other math functions", "atanh(node_temperature_celsius / 40)");
        add("other math functions", "pi()");
        add("other math functions", "deg(vector(pi()))");
        for (String f : new String[] {"minute", "hour", "day_of_week", "day_of_month", "day_of_year", "days_in_month", "month", "year"}) {
            add("date functions", f + "()");
            add("date functions", f + "(timestamp(node_temperature_celsius))");
            add("date functions", f + "(vector(1709251200))");
        }
        add("round", "round(node_temperature_celsius, 0.5)");
        add("round", "round(node_temperature_celsius, 5)");
        add("round", "round(vllm:gpu_cache_usage_perc, 0.01)");
        add("clamp", "clamp(node_temperature_celsius, 0, 20)");
        add("clamp", "clamp(node_temperature_celsius, 20, 0)");
        add("clamp", "clamp(node_temperature_celsius, -Inf, 10)");
        add("clamp_min", "clamp_min(node_temperature_celsius, 0)");
        add("clamp_min", "clamp_min(vllm:num_requests_running, 5)");
        add("clamp_max", "clamp_max(node_temperature_celsius, 10)");
        add("clamp_max", "clamp_max(vllm:num_requests_running, 5)");
        add("scalar", "scalar(sum(vllm:num_requests_running))");
        add("scalar", "scalar(vllm:num_requests_running)");
        add("scalar", "scalar(nonexistent_metric)");
        add("scalar", "node_temperature_celsius - scalar(avg(node_temperature_celsius))");
        add("vector", "vector(1)");
        add("vector", "vector(time())");
        add("vector", "vector(scalar(count(node_temperature_celsius)))");
        add("time", "time()");
        add("time", "time() - 60");
        add("timestamp", "timestamp(node_temperature_celsius)");
        add("timestamp", "timestamp(gappy_metric)");
        add("timestamp", "time() - timestamp(vllm:num_requests_running)");
        add("timestamp", "timestamp(node_temperature_celsius offset 2m)");
        add("sort", "sort(node_temperature_celsius)");
        add("sort", "sort(rate(http_requests_total[5m]))");
        add("sort", "sort(ln(node_temperature_celsius))");
        add("sort", "sort(vllm:gpu_cache_usage_perc)");
        add("sort_desc", "sort_desc(node_temperature_celsius)");
        add("sort_desc", "sort_desc(rate(http_requests_total[5m]))");
        add("sort_desc", "sort_desc(ln(node_temperature_celsius))");
        add("sort_desc", "sort_desc(sum by (pod) (vllm:num_requests_running))");
    }

    private void aggregations() {
        String[] ops = {"sum", "avg", "min", "max", "count", "group", "stddev", "stdvar"};
        String[] inputs = {"rate(http_requests_total[5m])", "node_temperature_celsius", "vllm:num_requests_running"};
        String[] groupings = {"", " by (namespace)", " without (code, method)", " by (zone)", " by ()", " by (pod, model)"};
        for (String op : ops) {
            for (String in : inputs) {
                add(op, op + "(" + in + ")");
            }
            add(op, op + " by (namespace) (rate(http_requests_total[5m]))");
            add(op, op + "(http_requests_total) without (code, method)");
            add(op, op + " by (zone) (node_temperature_celsius)");
            add(op, op + " by (model) (vllm:num_requests_running)");
            add(op, op + "(nonexistent_metric)");
        }
        add("sum", "sum by (__name__) ({__name__=~\"vllm:.*\",model=\"llama\"})");
        add("sum", "sum without (instance) (node_temperature_celsius)");
        add("sum", "sum by (nonexistent) (node_temperature_celsius)");
        for (String k : new String[] {"1", "2", "5"}) {
            add("topk", "topk(" + k + ", node_temperature_celsius)");
            add("bottomk", "bottomk(" + k + ", node_temperature_celsius)");
        }
        add("topk", "topk(2, rate(http_requests_total[5m])) by (namespace)");
        add("topk", "topk by (model) (1, vllm:num_requests_running)");
        add("topk", "topk(0, node_temperature_celsius)");
        // Not topk/bottomk over NaN-containing input from a function: which NaNs survive depends on input
        // order, and Prometheus 2.42 feeds function results to aggregations in Go map order (random).
        add("bottomk", "bottomk(2, rate(http_requests_total[5m])) by (namespace)");
        add("bottomk", "bottomk by (zone) (1, node_temperature_celsius)");
        for (String p : new String[] {"0", "0.25", "0.5", "0.9", "1", "1.5", "-0.5"}) {
            add("quantile", "quantile(" + p + ", node_temperature_celsius)");
        }
        add("quantile", "quantile by (namespace) (0.75, rate(http_requests_total[5m]))");
        add("quantile", "quantile without (pod) (0.5, vllm:num_requests_running)");
        add("count_values", "count_values(\"value\", vllm:num_requests_running)");
        add("count_values", "count_values by (model) (\"v\", vllm:num_requests_running)");
        add("count_values", "count_values(\"pod\", vllm:num_requests_running)");
        add("count_values", "count_values(\"v\", round(node_temperature_celsius))");
    }

    /**
     * Where results drop {@code __name__} and where they keep it: {@code _count} and {@code _sum} of one
     * histogram differ only in their name, so dropping it must fail with Prometheus' same-labelset error
     * (per step for functions and operators, over the whole range for negation and range functions);
     * {@code atan2} keeps the left-hand name; {@code predict_linear} under {@code @} reads its line at the
     * evaluation time (and, in range queries, its window's start moves with the step).
     */
    private void metricNames(Dataset data) {
        String pair = "{__name__=~\"vllm:e2e_request_latency_seconds_(count|sum)\"}";
        for (String q : new String[] {"ceil(" + pair + ")", "-" + pair, "changes(" + pair + "[1m])", "rate(" + pair + "[5m])",
            pair + " * 2", "2 - " + pair, pair + " > bool 1", pair + " > 1", "sort_desc(timestamp(" + pair + "))",
            "last_over_time(" + pair + "[1m])", "sort(" + pair + ")", "label_replace(" + pair + ", \"__name__\", \"x\", \"\", \"\")",
            "histogram_quantile(0.9, sum by (__name__, le) ({__name__=~\"vllm:e2e_request_latency_seconds_bucket|http_request_duration_seconds_bucket\"}))",
            "-ceil(" + pair + ")", "max_over_time((-" + pair + ")[2m:30s])", "-" + pair + " @ end()"}) {
            add("same labelset after dropping the name", q);
        }
        for (String q : new String[] {"node_temperature_celsius atan2 10", "10 atan2 node_temperature_celsius",
            "node_temperature_celsius atan2 node_temperature_celsius offset 1m",
            "vllm:num_requests_running{model=\"llama\"} atan2 on(pod) vllm:num_requests_running{model=\"mistral\"}"}) {
            add("atan2", q);
        }
        long at2 = data.endMs - 10 * 60_000L;
        for (String q : new String[] {"predict_linear(node_temperature_celsius[5m] @ " + (at2 / 1000) + ", 60)",
            "predict_linear(node_temperature_celsius[5m] @ " + (at2 / 1000) + " offset 1m, 0)",
            "predict_linear(http_requests_total[2m] @ start(), 120)", "predict_linear(node_temperature_celsius[3m] @ end(), -60)"}) {
            add("predict_linear @", q);
        }
    }

    private void binaryOps() {
        for (String op : new String[] {"+", "-", "*", "/", "%", "^"}) {
            add("arithmetic", "node_temperature_celsius " + op + " 3");
            add("arithmetic", "2 " + op + " vllm:num_requests_running");
            add("arithmetic", "http_requests_total{code=\"500\"} " + op + " ignoring(code) http_requests_total{code=\"200\"}");
            add("arithmetic", "vllm:num_requests_running{model=\"llama\"} " + op + " on(pod) vllm:num_requests_running{model=\"mistral\"}");
        }
        add("arithmetic", "-node_temperature_celsius");
        add("arithmetic", "node_temperature_celsius / 0");
        add("arithmetic", "node_temperature_celsius % -3");
        add("arithmetic", "vllm:num_requests_running / vllm:num_requests_running");
        add("arithmetic", "node_temperature_celsius + node_temperature_celsius offset 1m");
        add("arithmetic", "rate(http_requests_total[5m]) * 60");
        for (String op : new String[] {"==", "!=", ">", "<", ">=", "<="}) {
            add("comparison", "node_temperature_celsius " + op + " 20");
            add("comparison bool", "node_temperature_celsius " + op + " bool 20");
            add("comparison", "5 " + op + " vllm:num_requests_running");
            add("comparison bool", "vllm:num_requests_running{model=\"llama\"} " + op + " bool ignoring(model) vllm:num_requests_running{model=\"mistral\"}");
            add("comparison bool", "1 " + op + " bool 2");
        }
        add("comparison", "vllm:num_requests_running{model=\"llama\"} > on(pod) vllm:num_requests_running{model=\"mistral\"}");
        add("comparison", "node_temperature_celsius > 10 < 30");
        add("comparison", "1 > 2");
        add("vector matching", "sum by (pod) (vllm:num_requests_running) * on(pod) group_left(team) pod_info");
        add("vector matching", "vllm:num_requests_running * on(pod) group_left(team) pod_info");
        add("vector matching", "vllm:num_requests_running * on(pod) group_left pod_info");
        add("vector matching", "pod_info * on(pod) group_right(team) vllm:num_requests_running");
        add("vector matching", "pod_info * on(pod) group_right vllm:num_requests_running");
        add("vector matching", "vllm:num_requests_running + on(pod) pod_info");
        add("vector matching", "vllm:num_requests_running > on(pod) group_left(team) pod_info");
        add("vector matching", "vllm:num_requests_running / ignoring(model) group_left sum without (model) (vllm:num_requests_running)");
        add("vector matching", "sum by (namespace, pod) (rate(http_requests_total[5m])) / ignoring(pod) group_left sum by (namespace) (rate(http_requests_total[5m]))");
        add("vector matching", "http_requests_total + on(namespace) http_requests_total");
        add("vector matching", "node_temperature_celsius - on() group_left avg(node_temperature_celsius)");
        add("vector matching", "vllm:num_requests_running * on(pod, model) vllm:num_requests_running");
        add("vector matching", "vllm:num_requests_running{model=\"llama\"} == bool on(pod) group_left(team) pod_info");
        add("set operators", "vllm:num_requests_running and on(pod) pod_info{team=\"red\"}");
        add("set operators", "node_temperature_celsius{zone=\"eu\"} or node_temperature_celsius{instance=\"n1\"}");
        add("set operators", "node_temperature_celsius unless node_temperature_celsius{instance=\"n2\"}");
        add("set operators", "node_temperature_celsius unless on(zone) node_temperature_celsius{zone=\"us\",instance=\"n3\"}");
        add("set operators", "vllm:num_requests_running > 6 or vllm:num_requests_running < 2");
        add("set operators", "vllm:num_requests_running and vllm:num_requests_running > 4");
        add("set operators", "vllm:num_requests_running and ignoring(model) pod_info");
        add("set operators", "sum by (pod) (vllm:num_requests_running) or pod_info");
        add("set operators", "nonexistent_metric or vector(0)");
        add("set operators", "gappy_metric or on() vector(-1)");
        add("set operators", "rate(http_requests_total[5m]) unless ignoring(code) http_requests_total{code=\"500\"} > 100");
    }

    private void literalsAndPrecedence() {
        for (String s : new String[] {"1", "-1", "+5", "1.5e-2", "1e3", ".5", "5.", "0x1F", "0X1f * 2", "Inf", "-Inf", "inf", "NaN",
            "nan", "-NaN", "1 / 0", "-1 / 0", "0 / 0", "0x10 + 1e1", "1E+2", "007", "2 % 0", "-5 % 3", "5.5 % -2"}) {
            add("number literals", s);
        }
        for (String s : new String[] {"1 + 2 * 3", "(1 + 2) * 3", "2 ^ 3 ^ 2", "(2 ^ 3) ^ 2", "-2 ^ 2", "10 - 2 - 3", "100 / 10 / 5",
            "2 * 3 % 4", "2 ^ -1", "1 + 2 > bool 2 + 0", "1 == bool 1 + 0", "-1 ^ 0.5", "4 ^ 0.5 * 2", "10 % 3 ^ 2",
            "node_temperature_celsius + 1 * 2 > bool 30", "vector(1) or vector(2) and vector(3)",
            "vector(1) and vector(2) or vector(3)", "vector(1) unless vector(2) or vector(3)", "- - 1", "-(1 + 2)",
            "2 * -vllm:num_requests_running ^ 2", "1 > bool 0 == bool 1", "sum(vllm:num_requests_running) by (pod) * 2 + 1",
            "-node_temperature_celsius ^ 2", "3 - node_temperature_celsius * 2 / 4 % 5"}) {
            add("precedence and associativity", s);
        }
        for (String s : new String[] {"rate(http_requests_total[1m30s])", "rate(http_requests_total[90s])",
            "max_over_time(node_temperature_celsius[2m30s])", "node_temperature_celsius offset 1m15s", "sum_over_time(vllm:num_requests_running[300000ms])"}) {
            add("duration literals", s);
        }
        add("string literals", "\"hello\"");
        add("string literals", "'single \\' quoted'");
        add("string literals", "`raw \\n`");
        add("string literals", "''");
        add("string literals", "\"\\u00e9\\x41\\101\"");
    }

    private void histograms() {
        for (String p : new String[] {"0", "0.5", "0.9", "0.99", "1", "-1", "2", "NaN"}) {
            add("histogram_quantile", "histogram_quantile(" + p + ", rate(vllm:e2e_request_latency_seconds_bucket[5m]))");
        }
        add("histogram_quantile", "histogram_quantile(0.9, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket[5m])))");
        add("histogram_quantile", "histogram_quantile(0.5, sum by (le, model) (rate(vllm:e2e_request_latency_seconds_bucket[2m])))");
        add("histogram_quantile", "histogram_quantile(0.75, http_request_duration_seconds_bucket)");
        add("histogram_quantile", "histogram_quantile(0.9, increase(http_request_duration_seconds_bucket[1m]))");
        add("histogram_quantile", "histogram_quantile(0.99, sum without (pod) (rate(vllm:e2e_request_latency_seconds_bucket[1m])))");
        add("histogram_quantile", "histogram_quantile(0.5, vllm:e2e_request_latency_seconds_bucket{le=~\"0.5|1|\\\\+Inf\"})");
        add("histogram_quantile", "histogram_quantile(0.5, vllm:e2e_request_latency_seconds_bucket{le!=\"+Inf\"})");
        add("histogram_quantile", "histogram_quantile(0.5, node_temperature_celsius)");
        for (String p : new String[] {"0.1", "0.5", "0.8", "0.95"}) {
            add("histogram_quantile fix-up", "histogram_quantile(" + p + ", broken_latency_bucket)");
            add("histogram_quantile fix-up", "histogram_quantile(" + p + ", rate(broken_latency_bucket[5m]))");
        }
        add("histogram", "rate(vllm:e2e_request_latency_seconds_sum[5m]) / rate(vllm:e2e_request_latency_seconds_count[5m])");
        add("histogram", "sum by (model) (increase(vllm:e2e_request_latency_seconds_count[10m]))");
    }

    private void labelsAndAbsent() {
        add("label_replace", "label_replace(vllm:num_requests_running, \"p\", \"$1\", \"pod\", \"p(.*)\")");
        add("label_replace", "label_replace(vllm:num_requests_running, \"pod\", \"x-$1-${1}y\", \"pod\", \"(.*)\")");
        add("label_replace", "label_replace(node_temperature_celsius, \"zone\", \"\", \"zone\", \".*\")");
        add("label_replace", "label_replace(node_temperature_celsius, \"new\", \"v\", \"zone\", \"e\")");
        add("label_replace", "label_replace(node_temperature_celsius, \"new\", \"$2\", \"instance\", \"(n)(\\\\d)\")");
        add("label_replace", "label_replace(node_temperature_celsius, \"__name__\", \"renamed\", \"zone\", \"eu\")");
        add("label_replace", "label_replace(rate(http_requests_total[5m]), \"ns\", \"$1\", \"namespace\", \"(.+)\")");
        add("label_replace", "label_replace(vllm:num_requests_running, \"pod\", \"same\", \"pod\", \".*\")");
        add("label_replace", "label_replace(node_temperature_celsius, \"nonexistent\", \"$1\", \"nonexistent\", \"(.*)\")");
        add("label_join", "label_join(node_temperature_celsius, \"id\", \"-\", \"zone\", \"instance\")");
        add("label_join", "label_join(node_temperature_celsius, \"zone\", \"\", \"instance\")");
        add("label_join", "label_join(node_temperature_celsius, \"id\", \",\")");
        add("label_join", "label_join(vllm:num_requests_running, \"x\", \"/\", \"model\", \"nonexistent\", \"pod\")");
        add("label_join", "label_join(rate(http_requests_total[1m]), \"k\", \":\", \"namespace\", \"code\")");
        add("absent", "absent(nonexistent_metric)");
        add("absent", "absent(nonexistent_metric{job=\"x\",pod=~\"a\",code=\"1\",code=\"2\"})");
        add("absent", "absent(http_requests_total)");
        add("absent", "absent(sum(nonexistent_metric))");
        add("absent", "absent(gappy_metric{job=\"ended\"})");
        add("absent", "absent({__name__=\"nonexistent_metric\",team=\"a\"})");
        add("absent", "absent(rate(nonexistent_metric{a=\"b\"}[5m]))");
        add("absent", "absent(nonexistent_metric > 1)");
    }

    /** Native-histogram functions: explicit errors here, by design (see KnownDifferences). */
    private void unsupported() {
        add("native histogram functions", "histogram_count(vllm:e2e_request_latency_seconds_bucket)");
        add("native histogram functions", "histogram_sum(vllm:e2e_request_latency_seconds_sum)");
        add("native histogram functions", "histogram_fraction(0, 1, vllm:e2e_request_latency_seconds_bucket)");
    }

    private void oddValues() {
        for (String s : new String[] {"odd_values", "odd_values{kind=\"nan\"}", "sum(odd_values)", "sum by (kind) (odd_values)",
            "max(odd_values)", "min(odd_values)", "avg(odd_values)", "count_values(\"v\", odd_values)", "odd_values * 2",
            "odd_values > 0", "odd_values == bool odd_values", "odd_values != odd_values", "rate(odd_values[5m])",
            "deriv(odd_values[5m])", "avg_over_time(odd_values[5m])", "max_over_time(odd_values[5m])", "min_over_time(odd_values[5m])",
            "sum_over_time(odd_values[5m])", "stddev_over_time(odd_values[5m])", "quantile_over_time(0.5, odd_values[5m])",
            "changes(odd_values[10m])", "resets(odd_values[10m])", "delta(odd_values[5m])", "idelta(odd_values[5m])",
            "holt_winters(odd_values[5m], 0.5, 0.5)", "predict_linear(odd_values[5m], 60)", "quantile(0.5, odd_values)",
            "stddev(odd_values)", "topk(1, odd_values)", "bottomk(1, odd_values)", "sort(odd_values)", "sort_desc(odd_values)",
            "clamp(odd_values, 0, 50)", "round(odd_values)", "ln(odd_values)", "odd_values % 7", "1 / odd_values",
            "histogram_quantile(0.5, label_replace(odd_values, \"le\", \"$1\", \"kind\", \"(.*)\"))",
            "escaped_labels", "label_replace(escaped_labels, \"copy\", \"$1\", \"path\", \"(.*)\")",
            "escaped_labels{path=~\".*quoted.*\"}", "count_values(\"v\", escaped_labels)"}) {
            add("special values and escaping", s);
        }
    }

    /** Long queries, mostly for format_query's line splitting (they are evaluated too). */
    private void longQueries() {
        String r = "rate(http_requests_total{namespace=\"x\",pod=~\"a|b|c\",code=~\"2..|5..\",method!=\"DELETE\"}[5m])";
        for (String s : new String[] {
            "sum by (namespace, pod) (" + r + ") / on (namespace, pod) group_left () sum by (namespace, pod) (" + r + ")",
            "histogram_quantile(0.99, sum by (le, model) (rate(vllm:e2e_request_latency_seconds_bucket{pod=~\"p1|p2\",model=\"llama\"}[5m])))",
            "topk(3, sum without (code, method) (" + r + " * on (namespace, pod, code, method) " + r + "))",
            "-(" + r + " + " + r + ")",
            "max_over_time((" + r + " > bool 0.5)[10m:1m]) + label_replace(" + r + ", \"x\", \"$1\", \"pod\", \"(.*)\")",
            "clamp_max(avg by (zone) (node_temperature_celsius{zone=~\"eu|us\",instance=~\"n1|n2|n3\"}) * 1.8 + 32, 100) or vector(0)",
            "count_values(\"value\", round(sum by (pod) (vllm:num_requests_running{model=~\"llama|mistral\",pod=~\"p1|p2|p3\"}) / 3))"}) {
            add("long queries", s);
        }
    }

    private void clientShapes() {
        add("KEDA/Knative/Grafana shapes", "sum(rate(http_requests_total{namespace=\"x\"}[1m]))");
        add("KEDA/Knative/Grafana shapes", "sum(rate(http_requests_total{namespace=\"x\",pod=~\"a|b\"}[1m])) by (pod)");
        add("KEDA/Knative/Grafana shapes", "1+1");
        add("KEDA/Knative/Grafana shapes", "sum(vllm:num_requests_running{model=\"llama\"})");
        add("KEDA/Knative/Grafana shapes", "avg(vllm:gpu_cache_usage_perc) * 100");
        add("KEDA/Knative/Grafana shapes", "sum by (pod) (rate(http_requests_total[1m]))");
    }

    /** Go's regexps: linear-time matching of backtracking shapes, RE2 syntax, '.' and newlines, ExpandString. */
    private void regexes() {
        for (String s : new String[] {"http_requests_total{pod=~\"(.*a){15}b\"}", "{__name__=~\"(.*_){15}total\"}",
            "http_requests_total{pod!~\"(x+x+)+y\"}", "{__name__=~\"\\\\pL+_requests_total\"}",
            "{__name__=~\"(?P<n>http)_.*\"}", "{__name__=~\"(?i)HTTP_REQUESTS_TOTAL\"}", "{__name__=~\"http\\\\Q_\\\\E.*\"}",
            "{__name__=~\"[[:alpha:]_]+\", pod=~\"a|b\"}", "newline_labels", "newline_labels{v=~\"x.y\"}",
            "newline_labels{v=~\".*\"}", "newline_labels{v!~\"x.*\"}", "newline_labels{v=~\"(?s)x.y\"}",
            "newline_labels{v=~\"x\\ny\"}", "newline_labels{v=~\"x\\\\.y|xzy\"}",
            "label_replace(http_requests_total, \"x\", \"$1x|${1}x|$$|$01|${n}|$9\", \"pod\", \"(?P<n>.)(.*)\")",
            "label_replace(newline_labels, \"w\", \"[$1]\", \"v\", \"(.*)\")",
            "label_replace(http_requests_total, \"x\", \"$1\", \"pod\", \"(.*a){15}b\")",
            "label_replace(http_requests_total, \"x\", \"y\", \"pod\", \"a*+\")", "x{a=~\"(a{100}){100}\"}",
            "x{a=~\"a{1001}\"}", "x{a=~\"(?P<>a)\"}", "x{a=~\"\\\\C\"}", "x{a=~\"[z-a]\"}", "x{a=~\"a{2}{2}\"}"}) {
            add("regular expressions", s);
        }
    }

    private void errors() {
        for (String s : new String[] {"sum(", "rate(node_temperature_celsius)", "node_temperature_celsius{", "1 +", "{}",
            "{namespace=\"\"}", "node_temperature_celsius[5m] + 1", "unknown_function(node_temperature_celsius)",
            "label_replace(node_temperature_celsius, \"a-b\", \"x\", \"zone\", \".*\")", "topk(node_temperature_celsius)",
            "sum(node_temperature_celsius) by (zone) by (instance)", "rate(node_temperature_celsius[5m:1m:1m])",
            "node_temperature_celsius offset", "http_requests_total{code=~\"(\"}", "1 and 2", "vector(1) + on(x) 1",
            "histogram_quantile(0.5)", "\"str\" + 1", "node_temperature_celsius[0s]", "rate(vllm:num_requests_running[1m:0s])",
            "holt_winters(node_temperature_celsius[5m], 0, 0.5)", "node_temperature_celsius @ foo()", "sum without (a) by (b) (x)",
            "count_values(\"a-b\", vllm:num_requests_running)", "quantile_over_time(node_temperature_celsius[1m])",
            "abs(1)", "node_temperature_celsius{zone=~\"eu\"} + node_temperature_celsius{zone=~\"eu\"} * on(zone) group_left 1",
            "{\"vllm:num_requests_running\"}", "1 @ 1", "$x", "sum(rate(x[5m])))", "sum(x)[5m]", "x offset 1m offset 2m",
            "sum(x) offset 5m", "x @ 1 @ 2", "x[5m][1m:]", "x{a=~\"(\"}", "x{a=~\"a)\"}", "\"a\\qb\"", "x}", "'abc", "x{a=b}",
            "foo bar", "a + bool b", "a and on(x) group_left b", "sum(x, y)", "topk('a', x)", "round(x, 1, 2)",
            "label_join(x, 'a')", "x offset 5m[1m]", "x{a=~\"(?=a)\"}", "x{a=~\"(a)\\\\1\"}", "x{a=~\"a*+\"}",
            "x{a=~\"(?<n>a)\"}", "x{a!~\"(?>a)\"}", "x{a=~\"a{2}+\"}", "x{a=~\"[(?=]\"}", "x{a=~\"a)\"}", "x{a=~\"[a\"}", "x{a=~\"*\"}", "x[30m1h]", "-x[5m]", "a * on(x) group_left(x) b", "x[5m] @ foo"}) {
            add("errors", s);
        }
    }
}
