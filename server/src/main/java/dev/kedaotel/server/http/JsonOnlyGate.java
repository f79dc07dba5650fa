package dev.kedaotel.server.http;

import java.util.Locale;
import java.util.Set;

/**
 * State-changing endpoints (today {@code POST /memstore/reset}) accept only {@code Content-Type:
 * application/json}; anything else, no content type included, is 415 naming what was sent.
 *
 * <p>Why: cross-site request forgery. A page on any site can make a visitor's browser POST to a
 * cluster-internal address with an HTML form ({@code application/x-www-form-urlencoded},
 * {@code multipart/form-data}, {@code text/plain}) or a body-less {@code fetch}: those are "simple"
 * requests, sent without a CORS pre-flight, and the server acts on them even though the page never
 * sees the answer — a form with a foreign {@code Origin} did empty the store before this check. A
 * request with {@code application/json} needs a pre-flight, and this service never answers one with
 * CORS headers, so the browser never sends it. Checking the one content type a browser cannot send
 * cross-site is simpler and more robust than judging {@code Origin}/{@code Referer} headers, which
 * non-browser clients (curl, scripts) do not send at all.
 *
 * <p>Not covered, on purpose: the Prometheus query API's POSTs are read-only and Grafana sends them
 * form-encoded; OTLP/HTTP ({@code /v1/metrics}) is ingest with protobuf or JSON bodies and its own
 * content-type check. Runs as an {@link HttpApiServer.Gate}, before the body is read. Stateless.
 */
public final class JsonOnlyGate implements HttpApiServer.Gate {
    private static final int MAX_ECHO = 100;
    private final Set<String> paths;

    /** @param paths the exact paths whose POSTs change state */
    public JsonOnlyGate(Set<String> paths) {
        this.paths = Set.copyOf(paths);
    }

    @Override
    public boolean admit(HttpRequest r) {
        String method = r.method();
        if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || !paths.contains(r.path())) {
            return true;
        }
        String contentType = r.header("Content-Type");
        if (isJson(contentType)) {
            return true;
        }
        String sent = contentType == null ? "no Content-Type"
                : "Content-Type \"" + (contentType.length() > MAX_ECHO ? contentType.substring(0, MAX_ECHO) + "…" : contentType) + "\"";
        HttpReplies.plainError(r, 415, method + " " + r.path() + " accepts only Content-Type: application/json (it changes"
                + " state, and a browser form on another site cannot send JSON), got " + sent
                + "; e.g. curl -X " + method + " -H 'Content-Type: application/json' <host>:<port>" + r.path());
        return false;
    }

    /** Whether the media type (parameters such as charset aside) is application/json. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return media.toLowerCase(Locale.ROOT).equals("application/json");
    }
}
