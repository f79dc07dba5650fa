package dev.kedaotel.server.ui;

import dev.kedaotel.model.GoFloats;
import dev.kedaotel.server.Markup;
import dev.kedaotel.server.http.HttpReplies;
import dev.kedaotel.server.http.HttpRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;

/**
 * The pages' one way to put text into HTML, and the shell every page shares.
 *
 * <p><b>Escaping.</b> Every string that did not come from this code — ScaledObject names and namespaces
 * (free strings in KEDA's {@code ScaledObjectRef}), queries, label names and values, error messages, file
 * paths — goes through {@link #esc}, which escapes {@code & < > " '}. That one function is right in every
 * context the pages use: element text, attribute values (always double-quoted here), and the text and
 * attributes of inline SVG (XML: the same five characters). The pages put no user data inside
 * {@code <script>} or {@code <style>} (where HTML escaping would not apply): the one script is a constant,
 * and data reaches the browser only as escaped markup. A {@code Content-Security-Policy} allows that script
 * by its hash and nothing else, so even a missed escape could not run injected script.
 *
 * <p>Stateless and thread-safe.
 */
final class Html {
    /** Reloads the page every 15 s unless the URL says {@code refresh=off}; the pages' only script. */
    static final String AUTO_REFRESH_SCRIPT = "if(!/[?&]refresh=off/.test(location.search)){setTimeout(function(){location.reload();},15000);}";
    private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"
            + sha256(AUTO_REFRESH_SCRIPT) + "'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
            header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;gap:24px;align-items:baseline}
            header a{color:#9cc3ff;text-decoration:none}header h1{font-size:18px;margin:0}
            main{padding:12px 20px}section{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:10px 14px;margin:0 0 14px}
            h2{font-size:16px;margin:4px 0 8px}h3{font-size:15px;margin:0 0 6px}
            table{border-collapse:collapse}td,th{padding:2px 10px 2px 0;text-align:left;vertical-align:top}th{color:#5a6475;font-weight:500}
            code,pre{font:12px/1.35 ui-monospace,monospace;background:#f0f2f5;padding:1px 4px;border-radius:3px;white-space:pre-wrap;word-break:break-all}
            .so{display:grid;grid-template-columns:minmax(0,1fr) 330px 330px;gap:14px}.so td{overflow-wrap:anywhere}.pushlist td,#health th{white-space:nowrap}
            .active{color:#0a7a2f;font-weight:600}.inactive{color:#8a5a00;font-weight:600}.err{color:#b3261e}
            .badge{font-size:12px;background:#e4ebf7;border-radius:10px;padding:1px 8px}.muted{color:#6b7384}
            .caret{color:#b3261e;background:none;margin:0}
            input[type=text]{font:13px ui-monospace,monospace;width:100%;box-sizing:border-box;padding:4px}
            form .row{display:flex;gap:14px;align-items:center;margin:6px 0}
            svg{background:#fbfcfd;border:1px solid #e3e6eb}
            #health tbody{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:2px 18px}#health tr{display:flex;gap:10px}
            h2.list{margin:18px 0 8px}
            """;

    private Html() {
    }

    /** {@code s} safe as HTML/SVG element text and as a quoted attribute value; null is "" ({@link Markup#escape}). */
    static String esc(String s) {
        return Markup.escape(s);
    }

    /** A number as Prometheus prints a sample ({@code 0.5}, {@code 1e+21}, {@code NaN}, {@code +Inf}); escape it like any text. */
    static String num(double v) {
        return GoFloats.formatSample(v);
    }

    /** An epoch-ms time as UTC ISO-8601 ({@code 2026-01-01T00:00:05Z}); "never" for 0. */
    static String time(long ms) {
        return ms == 0 ? "never" : Instant.ofEpochMilli(ms).toString();
    }

    /** The start of a page: doctype, head (title, style), header with the navigation. */
    static StringBuilder begin(String title, String version) {
        StringBuilder b = new StringBuilder(16 * 1024);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width\"><title>").append(esc(title))
                .append(" · keda-otel-scaler</title><style>").append(STYLE).append("</style></head><body><header><h1>keda-otel-scaler</h1>")
                .append("<span class=\"muted\">").append(esc(version)).append("</span>")
                // No link to "/": a browser asking for it is sent back here (its text route list is for curl).
                .append("<a href=\"/ui\">Status</a><a href=\"/ui/explore\">Query explorer</a></header><main>");
        return b;
    }

    /** Ends the page started by {@link #begin}; with {@code autoRefresh} the one script reloads it every 15 s. */
    static String end(StringBuilder b, boolean autoRefresh) {
        b.append("</main>");
        if (autoRefresh) {
            b.append("<script>").append(AUTO_REFRESH_SCRIPT).append("</script>");
        }
        return b.append("</body></html>").toString();
    }

    /** Sends a page with the headers every page gets: no caching (it is live state), CSP, no sniffing, no referrer. */
    static void send(HttpRequest r, int status, String page) {
        r.responseHeader("Content-Security-Policy", CSP);
        r.responseHeader("X-Content-Type-Options", "nosniff");
        r.responseHeader("Cache-Control", "no-store");
        r.responseHeader("Referrer-Policy", "no-referrer");
        HttpReplies.send(r, status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
