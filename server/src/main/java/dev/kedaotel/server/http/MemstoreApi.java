package dev.kedaotel.server.http;

import dev.kedaotel.model.TimeSource;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.ScalarOutcome;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.SelectorScope;
import dev.kedaotel.query.kedify.KedifyQuery;
import dev.kedaotel.query.kedify.KedifyQueryException;
import dev.kedaotel.query.kedify.OperationOverTime;
import dev.kedaotel.tsdb.IntList;
import dev.kedaotel.model.LabelMatcher;
import dev.kedaotel.model.Labels;
import dev.kedaotel.tsdb.SampleBuffer;
import dev.kedaotel.model.StaleMarker;
import dev.kedaotel.tsdb.TimeSeriesStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * kedify/otel-add-on's debugging endpoints, kept so its README's troubleshooting steps work unchanged:
 * {@code GET /memstore/names}, {@code GET /memstore/data}, {@code POST /memstore/query},
 * {@code POST /memstore/reset}. {@code /memstore/query} evaluates exactly what a ScaledObject would
 * (the same compiled query), without clamps, as kedify does.
 *
 * <p>Tenancy: with {@code SCALED_OBJECT_NAMESPACE_LABEL} set, a {@code namespace} URL parameter scopes
 * {@code /memstore/query} (its compiled query gets the matcher on every selector, as a ScaledObject's
 * does, and the answer's {@code promql} shows it), {@code /memstore/data} and {@code /memstore/names}
 * to that namespace's series; without it they are unscoped (see {@link NamespaceParameter}).
 *
 * <p>{@code POST /memstore/reset} deletes every series, so it answers 403 unless
 * {@code MEMSTORE_RESET_ENABLED} is set (kedify always allowed it; a debug convenience should not be a
 * one-request outage for anyone who can reach the port). It is this API's one state-changing endpoint
 * ({@link #STATE_CHANGING_PATHS}); the composition root puts a {@link JsonOnlyGate} in front of it.
 */
public final class MemstoreApi {
    private static final int MAX_BODY = 1 << 20;

    private final TimeSeriesStore store;
    private final QueryEngine engine;
    private final TimeSource time;
    static final int DEFAULT_DATA_LIMIT = 1_000;
    static final int MAX_DATA_LIMIT = 10_000;
    /** Not a valid metric name, so it cannot collide with one. */
    static final String NOTE_KEY = "#note";
    /** Paths whose POST changes state: only JSON bodies are accepted there (see {@link JsonOnlyGate}). */
    public static final Set<String> STATE_CHANGING_PATHS = Set.of("/memstore/reset");
    private final long windowMs;
    private final NamespaceParameter namespaces;
    private final boolean resetEnabled;
    private dev.kedaotel.model.OtlpTranslationStrategy translationStrategy = dev.kedaotel.model.OtlpTranslationStrategy.KEDIFY_COMPATIBLE;
    /** Run after POST /memstore/reset deleted every series (the composition root forgets the metric metadata). */
    private Runnable afterReset = () -> { };

    /** Endpoints without tenancy, reset disabled. */
    public MemstoreApi(TimeSeriesStore store, QueryEngine engine, TimeSource time, long windowMs) {
        this(store, engine, time, windowMs, "", false);
    }

    /**
     * @param namespaceLabel {@code SCALED_OBJECT_NAMESPACE_LABEL}, or "" when tenancy is off
     * @param resetEnabled whether POST /memstore/reset may delete the store (MEMSTORE_RESET_ENABLED)
     */
    public MemstoreApi(TimeSeriesStore store, QueryEngine engine, TimeSource time, long windowMs, String namespaceLabel,
            boolean resetEnabled) {
        this.store = store;
        this.engine = engine;
        this.time = time;
        this.windowMs = windowMs;
        this.namespaces = new NamespaceParameter(namespaceLabel);
        this.resetEnabled = resetEnabled;
    }

    /** @param lane where the routes run (the composition root's bounded query executor) */
    /** How the receiver names OTLP metrics, so /memstore/query's kedify names find them; call before {@link #register}. */
    public MemstoreApi translationStrategy(dev.kedaotel.model.OtlpTranslationStrategy strategy) {
        this.translationStrategy = java.util.Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /** Also run {@code action} when POST /memstore/reset has deleted every series; call before {@link #register}. */
    public MemstoreApi afterReset(Runnable action) {
        this.afterReset = java.util.Objects.requireNonNull(action, "action");
        return this;
    }

    public void register(HttpApiServer http, HttpApiServer.Lane lane) {
        http.route("/memstore/names", Set.of("GET"), lane, scoped(this::names));
        http.route("/memstore/data", Set.of("GET"), lane, scoped(this::data));
        http.route("/memstore/query", Set.of("POST"), lane, scoped(this::query));
        http.route("/memstore/reset", Set.of("POST"), lane, this::reset);
    }

    /** A route that also gets the request's namespace scope (null when unscoped). */
    private interface ScopedRoute {
        void handle(HttpRequest r, SelectorScope scope) throws IOException;
    }

    /** Reads the {@code namespace} parameter once for every scoped route; a bad one is a 400 naming it. */
    private Route scoped(ScopedRoute route) {
        return r -> {
            SelectorScope scope;
            try {
                scope = namespaces.scope(r);
            } catch (IllegalArgumentException e) {
                HttpReplies.plainError(r, 400, e.getMessage());
                return;
            }
            route.handle(r, scope);
        };
    }

    private void names(HttpRequest r, SelectorScope scope) throws IOException {
        java.util.Collection<String> names = store.labelValues(Labels.METRIC_NAME);
        if (scope != null) {
            java.util.TreeSet<String> scoped = new java.util.TreeSet<>();
            IntList refs = new IntList();
            store.select(List.of(scope.matcher()), refs);
            for (int i = 0; i < refs.size(); i++) {
                Labels l = store.labels(refs.get(i));
                if (l != null) {
                    scoped.add(l.metricName());
                }
            }
            names = scoped;
        }
        JsonWriter w = new JsonWriter().beginArray();
        for (String n : names) {
            w.value(n);
        }
        HttpReplies.json(r, 200, w.endArray().toString());
    }

    /**
     * Series with their samples in the window, grouped by metric name (kedify's shape, minus frozen
     * aggregates). Bounded: at most {@code limit} series ({@value #DEFAULT_DATA_LIMIT} by default, at most
     * {@value #MAX_DATA_LIMIT}), optionally only those of {@code metric}; when series are left out the
     * answer says so under the key {@value #NOTE_KEY}, which no metric name can take.
     */
    private void data(HttpRequest r, SelectorScope scope) throws IOException {
        long now = time.wallMillis();
        int limit;
        try {
            limit = r.param("limit") == null ? DEFAULT_DATA_LIMIT : Integer.parseInt(r.param("limit"));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_DATA_LIMIT) {
            HttpReplies.plainError(r, 400, "limit must be a whole number from 1 to " + MAX_DATA_LIMIT + ", got \""
                    + r.param("limit") + "\"");
            return;
        }
        String metric = r.param("metric");
        IntList refs = new IntList();
        List<LabelMatcher> selector = List.of(metric == null || metric.isEmpty()
                ? LabelMatcher.of(LabelMatcher.Type.RE, Labels.METRIC_NAME, ".+")
                : LabelMatcher.eq(Labels.METRIC_NAME, metric));
        store.select(scope == null ? selector : scope.apply(selector), refs);
        Map<String, List<Integer>> byName = new TreeMap<>();
        for (int i = 0; i < refs.size(); i++) {
            Labels l = store.labels(refs.get(i));
            if (l != null) {
                byName.computeIfAbsent(l.metricName(), k -> new ArrayList<>()).add(refs.get(i));
            }
        }
        SampleBuffer buf = new SampleBuffer();
        JsonWriter w = new JsonWriter().beginObject();
        int shown = 0;
        for (Map.Entry<String, List<Integer>> e : byName.entrySet()) {
            if (shown >= limit) {
                break;
            }
            w.name(e.getKey()).beginArray();
            for (int ref : e.getValue()) {
                if (shown >= limit) {
                    break;
                }
                shown++;
                Labels l = store.labels(ref);
                if (l == null) {
                    continue;
                }
                buf.clear();
                store.read(ref, now - windowMs, Long.MAX_VALUE, buf);
                w.beginObject().name("labels").beginObject();
                Labels plain = l.withoutMetricName();
                for (int i = 0; i < plain.size(); i++) {
                    w.name(plain.name(i)).value(plain.value(i));
                }
                w.endObject().name("data").beginArray();
                for (int i = 0; i < buf.size(); i++) {
                    double v = buf.value(i);
                    w.beginObject().name("value").value(StaleMarker.isStale(v) ? "stale" : PromFormat.value(v))
                            .name("time").raw(PromFormat.timestamp(buf.timestamp(i))).endObject();
                }
                w.endArray();
                long last = store.lastTimestamp(ref);
                w.name("lastUpdate").raw(last == Long.MIN_VALUE ? "null" : PromFormat.timestamp(last));
                w.endObject();
            }
            w.endArray();
        }
        if (shown < refs.size()) {
            w.name(NOTE_KEY).value("showing " + shown + " of " + refs.size() + " series; narrow with ?metric=NAME or raise ?limit= (at most "
                    + MAX_DATA_LIMIT + ")");
        }
        HttpReplies.json(r, 200, w.endObject().toString());
    }

    private void query(HttpRequest r, SelectorScope scope) throws IOException {
        String body = new String(HttpRequest.readAll(r.body(), MAX_BODY), StandardCharsets.UTF_8);
        String q;
        String op;
        try {
            Object parsed = JsonReader.parse(body);
            if (!(parsed instanceof Map)) {
                throw new IllegalArgumentException("request body must be a JSON object with \"query\" and \"operationOverTime\"");
            }
            Map<?, ?> m = (Map<?, ?>) parsed;
            q = stringField(m, "query");
            op = stringField(m, "operationOverTime");
        } catch (IllegalArgumentException e) {
            HttpReplies.plainError(r, 400, e.getMessage());
            return;
        }
        KedifyQuery kq;
        try {
            // kedify's REST endpoint (unlike its scaler) insists on a known operation.
            OperationOverTime operation = op == null || op.isBlank() ? OperationOverTime.LAST_ONE : OperationOverTime.fromWireName(op);
            if (operation == null) {
                throw new KedifyQueryException("unknown operationOverTime \"" + op + "\"; expected one of " + OperationOverTime.SUPPORTED);
            }
            kq = KedifyQuery.compile(q, operation, windowMs, translationStrategy);
        } catch (KedifyQueryException e) {
            HttpReplies.plainError(r, 400, e.getMessage());
            return;
        }
        Expr expr = scope == null ? kq.expr() : scope.apply(kq.expr());
        JsonWriter w = new JsonWriter().beginObject().name("ok");
        try {
            ScalarOutcome out = engine.evaluateToScalar(expr, time.wallMillis());
            if (out.found()) {
                w.value(true).name("operation").value("query").name("error").value("").name("value").value(out.value());
            } else {
                w.value(true).name("operation").value("query").name("error").value("Metric not found").name("value").value(-1);
            }
            w.name("promql").value(expr.toString());
        } catch (PromQLException e) {
            HttpReplies.plainError(r, 400, e.getMessage());
            return;
        }
        HttpReplies.json(r, 200, w.endObject().toString());
    }

    private static String stringField(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String) || ((String) v).isEmpty()) {
            throw new IllegalArgumentException("field \"" + key + "\" is required and must be a non-empty string");
        }
        return (String) v;
    }

    private void reset(HttpRequest r) throws IOException {
        if (!resetEnabled) {
            HttpReplies.plainError(r, 403, "POST /memstore/reset is disabled: it deletes every series. Set MEMSTORE_RESET_ENABLED=true"
                    + " (--memstore-reset-enabled) to allow it");
            return;
        }
        store.reset();
        afterReset.run();
        JsonWriter w = new JsonWriter().beginObject().name("ok").value(true).name("operation").value("reset")
                .name("error").value("").name("value").value(0).endObject();
        HttpReplies.json(r, 200, w.toString());
    }
}
