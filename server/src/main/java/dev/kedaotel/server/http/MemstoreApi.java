package dev.kedaotel.server.http;

import dev.kedaotel.model.TimeSource;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.ScalarOutcome;
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
 */
public final class MemstoreApi {
    private static final int MAX_BODY = 1 << 20;

    private final TimeSeriesStore store;
    private final QueryEngine engine;
    private final TimeSource time;
    private final long windowMs;

    public MemstoreApi(TimeSeriesStore store, QueryEngine engine, TimeSource time, long windowMs) {
        this.store = store;
        this.engine = engine;
        this.time = time;
        this.windowMs = windowMs;
    }

    /** @param lane where the routes run (the composition root's bounded query executor) */
    public void register(HttpApiServer http, HttpApiServer.Lane lane) {
        http.route("/memstore/names", Set.of("GET"), lane, this::names);
        http.route("/memstore/data", Set.of("GET"), lane, this::data);
        http.route("/memstore/query", Set.of("POST"), lane, this::query);
        http.route("/memstore/reset", Set.of("POST"), lane, this::reset);
    }

    private void names(HttpRequest r) throws IOException {
        JsonWriter w = new JsonWriter().beginArray();
        for (String n : store.labelValues(Labels.METRIC_NAME)) {
            w.value(n);
        }
        HttpReplies.json(r, 200, w.endArray().toString());
    }

    /** Every series with its samples in the window, grouped by metric name (kedify's shape, minus frozen aggregates). */
    private void data(HttpRequest r) throws IOException {
        long now = time.wallMillis();
        IntList refs = new IntList();
        store.select(List.of(LabelMatcher.of(LabelMatcher.Type.RE, Labels.METRIC_NAME, ".+")), refs);
        Map<String, List<Integer>> byName = new TreeMap<>();
        for (int i = 0; i < refs.size(); i++) {
            Labels l = store.labels(refs.get(i));
            if (l != null) {
                byName.computeIfAbsent(l.metricName(), k -> new ArrayList<>()).add(refs.get(i));
            }
        }
        SampleBuffer buf = new SampleBuffer();
        JsonWriter w = new JsonWriter().beginObject();
        for (Map.Entry<String, List<Integer>> e : byName.entrySet()) {
            w.name(e.getKey()).beginArray();
            for (int ref : e.getValue()) {
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
        HttpReplies.json(r, 200, w.endObject().toString());
    }

    private void query(HttpRequest r) throws IOException {
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
            kq = KedifyQuery.compile(q, operation, windowMs);
        } catch (KedifyQueryException e) {
            HttpReplies.plainError(r, 400, e.getMessage());
            return;
        }
        JsonWriter w = new JsonWriter().beginObject().name("ok");
        try {
            ScalarOutcome out = engine.evaluateToScalar(kq.expr(), time.wallMillis());
            if (out.found()) {
                w.value(true).name("operation").value("query").name("error").value("").name("value").value(out.value());
            } else {
                w.value(true).name("operation").value("query").name("error").value("Metric not found").name("value").value(-1);
            }
            w.name("promql").value(kq.promql());
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
        store.reset();
        JsonWriter w = new JsonWriter().beginObject().name("ok").value(true).name("operation").value("reset")
                .name("error").value("").name("value").value(0).endObject();
        HttpReplies.json(r, 200, w.toString());
    }
}
