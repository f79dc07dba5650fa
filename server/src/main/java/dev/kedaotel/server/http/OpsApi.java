package dev.kedaotel.server.http;

import dev.kedaotel.scaler.ExternalScalerService;
import dev.kedaotel.scaler.ScaledObjectSnapshot;
import dev.kedaotel.tsdb.TimeSeriesStore;
import dev.kedaotel.query.standing.StandingQueries;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The operator's routes on the HTTP port: liveness ({@code /healthz}, {@code /-/healthy}), readiness
 * ({@code /readyz}, {@code /-/ready}), {@code /info} (kedify's), the route list on {@code /}, and the
 * listable scaler state on {@code /memstore/scaledobjects}. They read state through the modules'
 * public snapshot APIs and never evaluate a query, so they answer without waiting for data.
 */
public final class OpsApi {
    private final TimeSeriesStore store;
    private final StandingQueries standing;
    private final ExternalScalerService scaler;
    private final Supplier<ReadinessReport> readiness;
    private final String version;
    private final Supplier<Map<String, Integer>> ports;
    private final long retentionMs;

    /**
     * @param readiness whether the service takes KEDA's work, and why not: starting, its window still warming up,
     *     or shutting down (asked when a probe is)
     * @param ports the bound ports by kedify's /info field name, in display order (asked when /info is)
     */
    public OpsApi(TimeSeriesStore store, StandingQueries standing, ExternalScalerService scaler, Supplier<ReadinessReport> readiness,
                  String version, Supplier<Map<String, Integer>> ports, long retentionMs) {
        this.store = store;
        this.standing = standing;
        this.scaler = scaler;
        this.readiness = readiness;
        this.version = version;
        this.ports = ports;
        this.retentionMs = retentionMs;
    }

    /** All inline: these routes read counters and snapshots and never wait for work. */
    public void register(HttpApiServer http) {
        Set<String> get = Set.of("GET");
        registerProbes(http);
        http.route("/info", get, HttpApiServer.Lane.INLINE, this::info);
        http.route("/memstore/scaledobjects", get, HttpApiServer.Lane.INLINE, this::scaledObjects);
        http.route("/", get, HttpApiServer.Lane.INLINE, this::index);
    }

    /**
     * Liveness and readiness only, inline. Readiness is false while the window warms up (see
     * {@link ReadinessReport}); liveness never depends on it. Also registered on the self-metrics port, so a
     * probe can use that port when the HTTP port requires client certificates.
     */
    public void registerProbes(HttpApiServer http) {
        Set<String> get = Set.of("GET");
        for (String path : new String[] {"/healthz", "/-/healthy"}) {
            http.route(path, get, HttpApiServer.Lane.INLINE, r -> HttpReplies.text(r, 200, "ok\n"));
        }
        for (String path : new String[] {"/readyz", "/-/ready"}) {
            http.route(path, get, HttpApiServer.Lane.INLINE, r -> {
                ReadinessReport report = readiness.get();
                HttpReplies.json(r, report.ready() ? 200 : 503, report.json());
            });
        }
    }

    private void info(HttpRequest r) throws IOException {
        JsonWriter w = new JsonWriter().beginObject()
                .name("version").value(version)
                .name("javaVersion").value(System.getProperty("java.version"))
                .name("arch").value(System.getProperty("os.arch"))
                .name("os").value(System.getProperty("os.name"))
                .name("retentionSeconds").value(retentionMs / 1000);
        for (Map.Entry<String, Integer> p : ports.get().entrySet()) {
            w.name(p.getKey()).value(p.getValue().longValue());
        }
        w.name("activeSeries").value(store.seriesCount())
                .name("standingQueries").value(standing.size())
                .name("scaledObjects").value(scaler.scaledObjectCount())
                .endObject();
        HttpReplies.json(r, 200, w.toString());
    }

    /** Every ScaledObject KEDA has asked about, with its compiled query and last answer (no evaluation). */
    private void scaledObjects(HttpRequest r) throws IOException {
        JsonWriter w = new JsonWriter().beginObject().name("scaledObjects").beginArray();
        for (ScaledObjectSnapshot s : scaler.scaledObjects()) {
            w.beginObject()
                    .name("namespace").value(s.namespace())
                    .name("name").value(s.name())
                    .name("metricQuery").value(s.metricQuery())
                    .name("promql").value(s.promql())
                    // null for a ScaledObject whose metadata does not compile (its "error" says why)
                    .name("syntax").value(s.promql() == null ? null : s.kedifySyntax() ? "kedify" : "promql")
                    .name("operationOverTime").value(s.operationOverTime() == null ? null : s.operationOverTime().wireName())
                    .name("targetValue").value(s.targetValue())
                    .name("activationTargetValue").value(s.activationTargetValue());
            bound(w, "clampMin", s.clampMin());
            bound(w, "clampMax", s.clampMax());
            w.name("evaluated").value(s.evaluated()).name("found").value(s.found());
            if (Double.isFinite(s.value())) {
                w.name("value").value(s.value());
            } else {
                w.name("value").nullValue();
            }
            w.name("active").value(s.active());
            if (s.error() != null) {
                w.name("error").value(s.error());
            }
            // secret values (KEDA's inline TLS keys, passwords, tokens) come redacted from the scaler
            w.name("metadata").beginObject();
            for (Map.Entry<String, String> m : s.metadata().entrySet()) {
                w.name(m.getKey()).value(m.getValue());
            }
            w.endObject();
            w.name("lastEvaluatedMs").value(s.lastEvaluatedMs())
                    .name("lastCallMs").value(s.lastCallMs())
                    .name("openStreams").value(s.openStreams())
                    .endObject();
        }
        HttpReplies.json(r, 200, w.endArray().endObject().toString());
    }

    private static void bound(JsonWriter w, String name, double v) {
        if (Double.isFinite(v)) {
            w.name(name).value(v);
        }
    }

    /**
     * {@code /}: a browser (its {@code Accept} prefers {@code text/html}) is redirected to the status page,
     * which needs the bearer token when one is configured (the redirect shows nothing); curl, scripts and
     * anything else get the plain-text route list, open as before.
     */
    private void index(HttpRequest r) throws IOException {
        if (prefersHtml(r.header("Accept"))) {
            r.responseHeader("Location", "/ui");
            HttpReplies.text(r, 303, "see /ui\n");
            return;
        }
        HttpReplies.text(r, 200, "keda-otel-scaler " + version + "\n\n"
                + "GET|POST /api/v1/query, /api/v1/query_range, /api/v1/series, /api/v1/labels\n"
                + "GET      /api/v1/label/<name>/values, /api/v1/metadata, /api/v1/status/buildinfo\n"
                + "POST     /v1/metrics                      OTLP/HTTP (protobuf or JSON)\n"
                + "GET      /memstore/names, /memstore/data   kedify debug views\n"
                + "GET      /memstore/scaledobjects           ScaledObjects KEDA asked about, compiled queries, last answers\n"
                + "POST     /memstore/query, /memstore/reset      (reset: MEMSTORE_RESET_ENABLED, Content-Type: application/json)\n"
                + "GET      /ui, /ui/explore                  status page and query explorer (HTML)\n"
                + "GET      /healthz, /readyz, /info              never need a token (REST_API_BEARER_TOKEN_FILE)\n");
    }

    /**
     * Whether an {@code Accept} header names {@code text/html} (or {@code application/xhtml+xml}) with a
     * quality at least that of {@code text/plain} and of every wildcard: browsers send
     * {@code text/html,…,*}{@code /*;q=0.8}; curl sends {@code *}{@code /*}, Java's client and most scripts none.
     */
    static boolean prefersHtml(String accept) {
        if (accept == null) {
            return false;
        }
        double html = -1;
        double other = 0;
        for (String part : accept.split(",")) {
            String[] pieces = part.trim().split(";");
            String type = pieces[0].trim().toLowerCase(java.util.Locale.ROOT);
            double q = 1;
            for (int i = 1; i < pieces.length; i++) {
                String p = pieces[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
                html = Math.max(html, q);
            } else if (type.equals("text/plain") || type.equals("text/*") || type.equals("*/*")) {
                other = Math.max(other, q);
            }
        }
        return html > 0 && html >= other;
    }
}
