package dev.kedaotel.server.http;

import dev.kedaotel.model.TimeSource;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.QueryOptions;
import dev.kedaotel.query.QueryResult;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.SelectorScope;
import dev.kedaotel.query.ast.VectorSelector;
import dev.kedaotel.tsdb.IntList;
import dev.kedaotel.tsdb.MetricMetadataRegistry;
import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;
import dev.kedaotel.tsdb.TimeSeriesStore;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Prometheus HTTP API subset that Grafana, promtool and KEDA's prometheus trigger call, with
 * Prometheus' envelope, error types and status codes (bad_data 400, execution 422, timeout 503,
 * canceled 499). Queries and selections run against the live window in the store.
 *
 * <p>Tenancy: with {@code SCALED_OBJECT_NAMESPACE_LABEL} set, a request with a {@code namespace}
 * parameter (KEDA's prometheus trigger sends one when its {@code namespace} metadata is set) is scoped
 * to that namespace: every selector of {@code query} / {@code query_range} gets the matcher
 * {@code <label>="<namespace>"} on the parsed tree (see {@link SelectorScope}: editing the text would miss
 * selectors in nested expressions), and so does every {@code match[]} of {@code series}, {@code labels}
 * and {@code label/<name>/values} — which, without {@code match[]}, select {@code {<label>="<namespace>"}}.
 * Without the parameter the API is unscoped; see {@link NamespaceParameter}.
 */
public final class PrometheusApi {
    /** Prometheus refuses range queries with more points than this per series. */
    static final long MAX_POINTS_PER_SERIES = 11_000;
    private static final String BAD_DATA = "bad_data";

    private final QueryEngine engine;
    private final TimeSeriesStore store;
    private final TimeSource time;
    private final long defaultTimeoutMs;
    private final String version;
    private final NamespaceParameter namespaces;
    /** Told the duration and outcome of each query (the self-metrics' histograms). */
    private QueryObserver observer = QueryObserver.NONE;
    private String revision = "";
    /** Null: /api/v1/metadata answers no families. */
    private MetricMetadataRegistry metadata;

    /** An API without tenancy. */
    public PrometheusApi(QueryEngine engine, TimeSeriesStore store, TimeSource time, long defaultTimeoutMs, String version) {
        this(engine, store, time, defaultTimeoutMs, version, "");
    }

    /** @param namespaceLabel {@code SCALED_OBJECT_NAMESPACE_LABEL}, or "" when tenancy is off */
    public PrometheusApi(QueryEngine engine, TimeSeriesStore store, TimeSource time, long defaultTimeoutMs, String version,
                         String namespaceLabel) {
        this.engine = engine;
        this.store = store;
        this.time = time;
        this.defaultTimeoutMs = defaultTimeoutMs;
        this.version = version;
        this.namespaces = new NamespaceParameter(namespaceLabel);
    }

    /** Serves {@code /api/v1/metadata} from {@code registry}; call before {@link #register}. */
    public PrometheusApi metadata(MetricMetadataRegistry registry) {
        this.metadata = registry;
        return this;
    }

    /** Reports every query's duration and failure to {@code observer}; call before {@link #register}. */
    /** The git revision {@code /api/v1/status/buildinfo} reports ("" when unknown). */
    public PrometheusApi revision(String revision) {
        this.revision = revision;
        return this;
    }

    public PrometheusApi observer(QueryObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
        return this;
    }

    /** @param lane where the routes run (the composition root's bounded query executor) */
    public void register(HttpApiServer http, HttpApiServer.Lane lane) {
        Set<String> getPost = Set.of("GET", "POST");
        http.route("/api/v1/query", getPost, lane, timed(QueryObserver.Endpoint.QUERY, this::query));
        http.route("/api/v1/query_range", getPost, lane, timed(QueryObserver.Endpoint.QUERY_RANGE, this::queryRange));
        http.route("/api/v1/series", getPost, lane, this::series);
        http.route("/api/v1/labels", getPost, lane, this::labels);
        http.prefixRoute("/api/v1/label/", Set.of("GET"), lane, this::labelValues);
        http.route("/api/v1/metadata", Set.of("GET"), lane, this::metadata);
        http.route("/api/v1/query_exemplars", getPost, lane, r -> success(r, w -> w.beginArray().endArray()));
        http.route("/api/v1/format_query", getPost, lane, this::formatQuery);
        http.route("/api/v1/status/buildinfo", Set.of("GET"), lane, this::buildInfo);
        // What Prometheus answers with nothing configured: Grafana's alerting and rule pages call these.
        http.route("/api/v1/rules", Set.of("GET"), lane, PrometheusApi::rules);
        http.route("/api/v1/alerts", Set.of("GET"), lane, r -> success(r, w -> w.beginObject().name("alerts").beginArray().endArray().endObject()));
        http.route("/api/v1/targets", Set.of("GET"), lane, r -> success(r, w -> w.beginObject()
                .name("activeTargets").beginArray().endArray().name("droppedTargets").beginArray().endArray().endObject()));
        http.route("/api/v1/status/config", Set.of("GET"), lane, r -> success(r, w -> w.beginObject().name("yaml").value(CONFIG_YAML).endObject()));
    }

    /**
     * {@code /api/v1/status/config}: Prometheus shows its effective configuration. There is none here (no
     * scraping, rules or alerting; settings are environment variables), so: a comment saying so, then the
     * {@code global} block Prometheus 2.42 shows for an empty configuration file — valid YAML for tools that
     * parse it, and nothing they could mistake for scrape jobs.
     */
    static final String CONFIG_YAML = "# keda-otel-scaler: no Prometheus configuration — no scraping, rules or alerting;\n"
            + "# metrics arrive over OTLP. Its settings are environment variables (--help lists them).\n"
            + "global:\n  scrape_interval: 1m\n  scrape_timeout: 10s\n  evaluation_interval: 1m\n";

    /** No rule groups; {@code type} is checked as Prometheus does (alert, record or absent). */
    private static void rules(HttpRequest r) throws IOException {
        String type = r.param("type") == null ? "" : r.param("type").toLowerCase(java.util.Locale.ROOT);
        if (!type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
            badData(r, "invalid parameter \"type\": not supported value " + dev.kedaotel.model.GoStrings.quote(type));
            return;
        }
        success(r, w -> w.beginObject().name("groups").beginArray().endArray().endObject());
    }

    /** A query endpoint's handler: answers the request and returns the errorType it failed with, or null. */
    @FunctionalInterface
    private interface QueryHandler {
        String handle(HttpRequest r) throws IOException;
    }

    /**
     * The handler, reporting each request's duration (on the monotonic clock, from the handler's start to the
     * answer written) and errorType to the observer. An exception escaping the handler is reported as
     * {@code internal} and rethrown for the HTTP server to answer.
     */
    private Route timed(QueryObserver.Endpoint endpoint, QueryHandler handler) {
        return r -> {
            long started = time.monotonicNanos();
            String errorType = "internal";
            try {
                errorType = handler.handle(r);
            } finally {
                observer.onQuery(endpoint, time.monotonicNanos() - started, errorType);
            }
        };
    }

    private interface DataWriter {
        void write(JsonWriter w);
    }

    private static void success(HttpRequest r, DataWriter data) throws IOException {
        success(r, data, List.of());
    }

    private static void success(HttpRequest r, DataWriter data, List<String> warnings) throws IOException {
        JsonWriter w = new JsonWriter();
        w.beginObject().name("status").value("success").name("data");
        data.write(w);
        if (!warnings.isEmpty()) {
            w.name("warnings");
            stringArray(w, warnings);
        }
        w.endObject();
        HttpReplies.json(r, 200, w.toString());
    }

    /** Answers 400 bad_data; returns the errorType. */
    private static String badData(HttpRequest r, String msg) throws IOException {
        HttpReplies.promError(r, 400, BAD_DATA, msg);
        return BAD_DATA;
    }

    /** Answers Prometheus' status and errorType for {@code e}; returns the errorType. */
    private static String queryError(HttpRequest r, PromQLException e) throws IOException {
        String type;
        int status;
        switch (e.kind()) {
            case BAD_DATA: type = BAD_DATA; status = 400; break;
            case TIMEOUT: type = "timeout"; status = 503; break;
            case CANCELED: type = "canceled"; status = 499; break;
            default: type = "execution"; status = 422;
        }
        HttpReplies.promError(r, status, type, e.getMessage());
        return type;
    }

    private QueryOptions options(HttpRequest r) {
        long timeout = defaultTimeoutMs;
        String t = r.param("timeout");
        if (t != null && !t.isEmpty()) {
            timeout = Math.min(timeout, PromFormat.parseDuration("timeout", t));
        }
        QueryOptions.Builder b = QueryOptions.builder().timeoutMs(timeout);
        String lb = r.param("lookback_delta");
        if (lb != null && !lb.isEmpty()) {
            b.lookbackDeltaMs(PromFormat.parseDuration("lookback_delta", lb));
        }
        return b.build();
    }

    private String query(HttpRequest r) throws IOException {
        String q = r.param("query");
        if (q == null || q.isEmpty()) {
            return badData(r, "invalid parameter \"query\": query must not be empty");
        }
        long time;
        QueryOptions opts;
        int limit;
        SelectorScope scope;
        try {
            limit = limit(r);
            String ts = r.param("time");
            time = ts == null || ts.isEmpty() ? this.time.wallMillis() : PromFormat.parseTime("time", ts);
            opts = options(r);
            scope = namespaces.scope(r);
        } catch (IllegalArgumentException e) {
            return badData(r, e.getMessage());
        }
        Expr expr;
        try {
            expr = scoped(engine.parse(q), scope);
        } catch (PromQLException e) {
            // Prometheus' instant-query handler reports a query that does not parse as an invalid
            // parameter (the range handler does not; see queryRange).
            return badData(r, "invalid parameter \"query\": " + e.getMessage());
        }
        try {
            QueryResult res = engine.instant(expr, time, opts);
            writeResult(r, res, limit);
            return null;
        } catch (PromQLException e) {
            return queryError(r, e);
        }
    }

    private String queryRange(HttpRequest r) throws IOException {
        String q = r.param("query");
        long start;
        long end;
        long step;
        QueryOptions opts;
        int limit;
        SelectorScope scope;
        try {
            limit = limit(r);
            if (q == null || q.isEmpty()) {
                throw new IllegalArgumentException("invalid parameter \"query\": query must not be empty");
            }
            start = PromFormat.parseTime("start", required(r, "start"));
            end = PromFormat.parseTime("end", required(r, "end"));
            step = PromFormat.parseDuration("step", required(r, "step"));
            if (end < start) {
                throw new IllegalArgumentException("invalid parameter \"end\": end timestamp must not be before start time");
            }
            if (step <= 0) {
                throw new IllegalArgumentException("invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer");
            }
            // In doubles: the span of two far-apart timestamps does not fit a long.
            if (((double) end - (double) start) / step > MAX_POINTS_PER_SERIES) {
                throw new IllegalArgumentException("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)");
            }
            opts = options(r);
            scope = namespaces.scope(r);
        } catch (IllegalArgumentException e) {
            return badData(r, e.getMessage());
        }
        try {
            Expr expr = scoped(engine.parse(q), scope);
            QueryResult res = engine.range(expr, start, end, step, opts);
            writeResult(r, res, limit);
            return null;
        } catch (PromQLException e) {
            return queryError(r, e);
        }
    }

    /** {@code expr} confined to {@code scope}'s namespace, or unchanged when the request is unscoped. */
    private static Expr scoped(Expr expr, SelectorScope scope) {
        return scope == null ? expr : scope.apply(expr);
    }

    /** Writes a query result, keeping at most {@code limit} series (0 = all) with Prometheus' warning. */
    private static void writeResult(HttpRequest r, QueryResult res, int limit) throws IOException {
        int size = res.type() == dev.kedaotel.query.ValueType.MATRIX ? res.series().size()
                : res.type() == dev.kedaotel.query.ValueType.VECTOR ? res.size() : 0;
        boolean truncated = limit > 0 && size > limit;
        int keep = truncated ? limit : Integer.MAX_VALUE;
        success(r, w -> QueryResultJson.write(w, res, keep), truncated ? List.of("results truncated due to limit") : List.of());
    }

    private static String required(HttpRequest r, String name) {
        String v = r.param(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("invalid parameter \"" + name + "\": missing");
        }
        return v;
    }

    /**
     * Parses every match[] selector into matcher lists; an absent match[] yields null, or with a
     * namespace scope the one selector {@code {<label>="<namespace>"}}. With a scope every selector
     * carries its matcher.
     */
    private List<List<LabelMatcher>> matchers(HttpRequest r, boolean required) throws PromQLException {
        SelectorScope scope = namespaces.scope(r);
        List<String> ms = r.params("match[]");
        if (ms.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException("no match[] parameter provided");
            }
            return scope == null ? null : List.of(List.of(scope.matcher()));
        }
        List<List<LabelMatcher>> out = new ArrayList<>();
        for (String m : ms) {
            List<LabelMatcher> sel = selectorMatchers(m);
            out.add(scope == null ? sel : scope.apply(sel));
        }
        return out;
    }

    /** A match[] value must be a plain series selector, as in Prometheus. */
    private List<LabelMatcher> selectorMatchers(String text) throws PromQLException {
        Expr e = engine.parse(text);
        if (!(e instanceof VectorSelector)) {
            throw PromQLException.badData("invalid parameter \"match[]\": " + text + " is not a series selector");
        }
        return ((VectorSelector) e).matchers();
    }

    /** The {@code [start, end]} of a metadata call in ms; absent bounds are unbounded, as in Prometheus. */
    private static long[] timeBounds(HttpRequest r) {
        String s = r.param("start");
        String e = r.param("end");
        long start = s == null || s.isEmpty() ? Long.MIN_VALUE : PromFormat.parseTime("start", s);
        long end = e == null || e.isEmpty() ? Long.MAX_VALUE : PromFormat.parseTime("end", e);
        if (end < start) {
            throw new IllegalArgumentException("invalid parameter \"end\": end timestamp must not be before start time");
        }
        return new long[] {start, end};
    }

    /** Prometheus' {@code limit} of metadata calls: a non-negative integer, 0 = no limit. */
    private static int limit(HttpRequest r) {
        String s = r.param("limit");
        if (s == null || s.isEmpty()) {
            return 0;
        }
        int n;
        try {
            n = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid parameter \"limit\": strconv.Atoi: parsing \"" + s + "\": invalid syntax");
        }
        if (n < 0) {
            throw new IllegalArgumentException("invalid parameter \"limit\": limit must be non-negative");
        }
        return n;
    }

    /** Cuts a sorted answer to {@code limit} entries, adding Prometheus' warning when it did. */
    private static <T> List<T> truncate(List<T> all, int limit, List<String> warnings) {
        if (limit > 0 && all.size() > limit) {
            warnings.add("results truncated due to limit");
            return all.subList(0, limit);
        }
        return all;
    }

    /**
     * Series matching any of the selectors (or every series when there are none) that have a sample
     * in {@code bounds}, with their labels, sorted.
     */
    private List<Labels> selectLabels(List<List<LabelMatcher>> selectors, long[] bounds) {
        TreeSet<Labels> out = new TreeSet<>();
        IntList refs = new IntList();
        if (selectors == null) {
            selectors = List.of(List.of(LabelMatcher.of(LabelMatcher.Type.RE, Labels.METRIC_NAME, ".+")));
        }
        boolean bounded = bounds[0] != Long.MIN_VALUE || bounds[1] != Long.MAX_VALUE;
        dev.kedaotel.tsdb.SampleBuffer buf = bounded ? new dev.kedaotel.tsdb.SampleBuffer(64) : null;
        for (List<LabelMatcher> sel : selectors) {
            refs.clear();
            store.select(sel, refs);
            for (int i = 0; i < refs.size(); i++) {
                int ref = refs.get(i);
                Labels l = store.labels(ref);
                if (l == null) {
                    continue;
                }
                if (bounded) {
                    buf.clear();
                    if (store.read(ref, bounds[0], bounds[1], buf) == 0) {
                        continue;
                    }
                }
                out.add(l);
            }
        }
        return new ArrayList<>(out);
    }

    private void series(HttpRequest r) throws IOException {
        List<Labels> result;
        List<String> warnings = new ArrayList<>();
        try {
            long[] bounds = timeBounds(r);
            int limit = limit(r);
            result = truncate(selectLabels(matchers(r, true), bounds), limit, warnings);
        } catch (IllegalArgumentException e) {
            badData(r, e.getMessage());
            return;
        } catch (PromQLException e) {
            badData(r, e.getMessage());
            return;
        }
        success(r, w -> {
            w.beginArray();
            for (Labels l : result) {
                QueryResultJson.labels(w, l);
            }
            w.endArray();
        }, warnings);
    }

    private void labels(HttpRequest r) throws IOException {
        sortedStrings(r, store::labelNames, (l, into) -> {
            for (int i = 0; i < l.size(); i++) {
                into.add(l.name(i));
            }
        });
    }

    private void labelValues(HttpRequest r) throws IOException {
        String path = r.path();
        if (!path.endsWith("/values")) {
            HttpReplies.promError(r, 404, "not_found", "no endpoint " + path);
            return;
        }
        String decoded = java.net.URLDecoder.decode(path.substring("/api/v1/label/".length(), path.length() - "/values".length()),
                java.nio.charset.StandardCharsets.UTF_8);
        String name = decoded.startsWith("U__") ? decodeUtf8LabelName(decoded) : decoded;
        sortedStrings(r, () -> store.labelValues(name), (l, into) -> {
            String v = l.get(name);
            if (!v.isEmpty()) {
                into.add(v);
            }
        });
    }

    /**
     * The shared shape of /labels and /label/NAME/values: every string of the index when no selector or
     * time bound narrows it, else the strings {@code collect} takes from the selected series' labels;
     * sorted, de-duplicated, cut to {@code limit} with Prometheus' warning.
     */
    private void sortedStrings(HttpRequest r, java.util.function.Supplier<java.util.Collection<String>> all,
                               java.util.function.BiConsumer<Labels, Set<String>> collect) throws IOException {
        Set<String> strings = new TreeSet<>();
        List<String> warnings = new ArrayList<>();
        int limit;
        try {
            long[] bounds = timeBounds(r);
            limit = limit(r);
            List<List<LabelMatcher>> sel = matchers(r, false);
            if (sel == null && bounds[0] == Long.MIN_VALUE && bounds[1] == Long.MAX_VALUE) {
                strings.addAll(all.get());
            } else {
                for (Labels l : selectLabels(sel, bounds)) {
                    collect.accept(l, strings);
                }
            }
        } catch (IllegalArgumentException | PromQLException e) {
            badData(r, e.getMessage());
            return;
        }
        List<String> out = truncate(new ArrayList<>(strings), limit, warnings);
        success(r, w -> stringArray(w, out), warnings);
    }

    /** Prometheus' escaping of non-legacy label names in this URL path: U__ then _XX_ hex code points. */
    static String decodeUtf8LabelName(String s) {
        StringBuilder sb = new StringBuilder();
        String body = s.substring(3);
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '_') {
                int end = body.indexOf('_', i + 1);
                if (end > i + 1) {
                    try {
                        sb.appendCodePoint(Integer.parseInt(body.substring(i + 1, end), 16));
                        i = end;
                        continue;
                    } catch (NumberFormatException ignored) {
                        // not an escape: keep the underscore
                    }
                }
                if (end == i + 1) {
                    sb.append('_');
                    i = end;
                    continue;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static void stringArray(JsonWriter w, Iterable<String> values) {
        w.beginArray();
        for (String v : values) {
            w.value(v);
        }
        w.endArray();
    }

    /**
     * Prometheus' {@code /api/v1/metadata}: {@code {"<family>":[{"type","help","unit"}…]}}, families by
     * name; {@code metric} keeps one family, {@code limit} caps the families (negative: no cap; 0 gives
     * none, as in Prometheus) and {@code limit_per_metric} the entries per family (0 or negative: no cap).
     * A value that is not an integer is bad_data {@code "limit must be a number"}, Prometheus' text. With
     * tenancy and a {@code namespace} parameter only families with a series in that namespace are listed.
     */
    private void metadata(HttpRequest r) throws IOException {
        int limit;
        int perMetric;
        SelectorScope scope;
        try {
            limit = metadataLimit(r, "limit");
            perMetric = metadataLimit(r, "limit_per_metric");
            scope = namespaces.scope(r);
        } catch (IllegalArgumentException e) {
            badData(r, e.getMessage());
            return;
        }
        String only = r.param("metric");
        java.util.Map<String, List<MetricMetadataRegistry.Entry>> families = new java.util.LinkedHashMap<>();
        if (metadata != null) {
            for (MetricMetadataRegistry.Entry e : metadata.list()) {
                if (only != null && !only.isEmpty() && !only.equals(e.family())) {
                    continue;
                }
                if (scope != null && !familyHasSeries(e.family(), scope)) {
                    continue; // tenancy: only the families the namespace has series of
                }
                List<MetricMetadataRegistry.Entry> list = families.get(e.family());
                if (list == null) {
                    if (limit >= 0 && families.size() >= limit) {
                        break;
                    }
                    list = new ArrayList<>();
                    families.put(e.family(), list);
                }
                if (perMetric <= 0 || list.size() < perMetric) {
                    list.add(e);
                }
            }
        }
        success(r, w -> {
            w.beginObject();
            for (java.util.Map.Entry<String, List<MetricMetadataRegistry.Entry>> f : families.entrySet()) {
                w.name(f.getKey()).beginArray();
                for (MetricMetadataRegistry.Entry e : f.getValue()) {
                    w.beginObject().name("type").value(e.type()).name("help").value(e.help()).name("unit").value(e.unit())
                            .endObject();
                }
                w.endArray();
            }
            w.endObject();
        });
    }

    /** Whether the family has a live series ({@code f}, {@code f_bucket}, {@code f_sum}, {@code f_count}) in the scope's namespace. */
    private boolean familyHasSeries(String family, SelectorScope scope) {
        StringBuilder re = new StringBuilder();
        for (String suffix : new String[] {"", "_bucket", "_sum", "_count"}) {
            if (re.length() > 0) {
                re.append('|');
            }
            String n = family + suffix;
            for (int i = 0; i < n.length(); i++) {
                char c = n.charAt(i);
                if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
                    re.append('\\');
                }
                re.append(c);
            }
        }
        IntList refs = new IntList();
        store.select(List.of(LabelMatcher.of(LabelMatcher.Type.RE, Labels.METRIC_NAME, re.toString()), scope.matcher()), refs);
        return refs.size() > 0;
    }

    /** A metadata limit: an integer (Go's Atoi), -1 when absent. */
    private static int metadataLimit(HttpRequest r, String name) {
        String s = r.param(name);
        if (s == null || s.isEmpty()) {
            return -1;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number");
        }
    }

    private void formatQuery(HttpRequest r) throws IOException {
        String q = r.param("query");
        if (q == null || q.isEmpty()) {
            badData(r, "invalid parameter \"query\": query must not be empty");
            return;
        }
        try {
            String formatted = dev.kedaotel.query.ast.Prettier.pretty(engine.parse(q));
            success(r, w -> w.value(formatted));
        } catch (PromQLException e) {
            queryError(r, e);
        }
    }

    private void buildInfo(HttpRequest r) throws IOException {
        // No "features" key: Grafana would otherwise classify the source as Mimir and enable its ruler.
        success(r, w -> w.beginObject()
                .name("version").value(version)
                .name("revision").value(revision)
                .name("branch").value("")
                .name("buildUser").value("keda-otel-scaler")
                .name("buildDate").value("")
                .name("goVersion").value("java" + System.getProperty("java.version"))
                .endObject());
    }
}
