package dev.kedaotel.server.http;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Access control of the HTTP API ({@code REST_API_BEARER_TOKEN_FILE}): every request except the probes
 * and the two informational pages needs {@code Authorization: Bearer <token>} with a token of
 * {@link BearerTokens}. KEDA's prometheus trigger (through its TriggerAuthentication, {@code authModes:
 * bearer}) and Grafana's Prometheus data source both send one.
 *
 * <p>What is open, and why: {@code /healthz}, {@code /-/healthy}, {@code /readyz}, {@code /-/ready} are
 * probed by the kubelet, which cannot send a token and must not be able to lock the pod out by
 * misconfiguration; {@code /info} (version and ports) and {@code /} (the route list, or for a browser a redirect
 * to {@code /ui}) show no data. The HTML pages {@code /ui} and {@code /ui/explore} show queries and namespaces,
 * so they are not open.
 * Everything else — the Prometheus API {@code /api/v1/*}, kedify's {@code /memstore/*} (including
 * {@code /memstore/scaledobjects}), OTLP/HTTP {@code /v1/metrics}, and paths that match no route — needs
 * the token: the list is of what is open, so a route added later is protected unless someone decides
 * otherwise, and an unauthenticated caller cannot tell which paths exist.
 *
 * <p>It runs as an {@link HttpApiServer.Gate}, on Jetty's thread when the request head is complete and
 * before the body is read or the request is queued: an unauthenticated request costs a header lookup and
 * a hash, never a body buffer or a worker. Refusals are 401 with {@code WWW-Authenticate: Bearer
 * realm="keda-otel-scaler"} (plus {@code error="invalid_token"} when a token was given but is not
 * accepted, as RFC 6750 asks), with a body in the route's error format, and are counted by reason.
 *
 * <p>Thread-safe: counters are {@link LongAdder}s, tokens are {@link BearerTokens}.
 */
public final class BearerAuthGate implements HttpApiServer.Gate {
    /** Paths answered without a token. */
    public static final Set<String> OPEN_PATHS = Set.of("/healthz", "/-/healthy", "/readyz", "/-/ready", "/info", "/");
    static final String REALM = "keda-otel-scaler";

    private final BearerTokens tokens;
    private final String setting;
    private final LongAdder missing = new LongAdder();
    private final LongAdder invalid = new LongAdder();

    /** @param setting names the token file's setting in messages */
    public BearerAuthGate(BearerTokens tokens, String setting) {
        this.tokens = tokens;
        this.setting = setting;
    }

    @Override
    public boolean admit(HttpRequest r) {
        String path = r.path();
        if (path != null && OPEN_PATHS.contains(path)) {
            return true;
        }
        String token = bearerToken(r.header("Authorization"));
        if (token == null) {
            missing.increment();
            r.responseHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
            refuse(r, path, "this endpoint needs an 'Authorization: Bearer <token>' header (" + setting + " is set)");
            return false;
        }
        if (token.isEmpty() || !tokens.accepts(token)) {
            invalid.increment();
            r.responseHeader("WWW-Authenticate", "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"");
            refuse(r, path, "the bearer token is not accepted (it is not listed in " + setting + ")");
            return false;
        }
        return true;
    }

    /** The token of a {@code Bearer} credential (scheme case-insensitive, RFC 7235), or null if there is none. */
    static String bearerToken(String authorization) {
        if (authorization == null) {
            return null;
        }
        String v = authorization.trim();
        if (v.length() < 6 || !v.substring(0, 6).toLowerCase(Locale.ROOT).equals("bearer")) {
            return null;
        }
        if (v.length() == 6) {
            return "";
        }
        if (v.charAt(6) != ' ' && v.charAt(6) != '\t') {
            return null; // e.g. "Bearerx": another scheme
        }
        return v.substring(7).trim();
    }

    /** 401 in the route's error format: Prometheus' envelope, kedify's {"error":…}, or text for OTLP/HTTP. */
    private static void refuse(HttpRequest r, String path, String message) {
        if (path != null && path.startsWith("/memstore/")) {
            HttpReplies.plainError(r, 401, message);
        } else if ("/v1/metrics".equals(path)) {
            HttpReplies.text(r, 401, message + "\n");
        } else {
            HttpReplies.promError(r, 401, "unauthorized", message);
        }
    }

    /** Requests refused for having no bearer token. */
    public long missing() {
        return missing.sum();
    }

    /** Requests refused for a token that is not accepted. */
    public long invalid() {
        return invalid.sum();
    }
}
