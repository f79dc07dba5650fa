package dev.kedaotel.server.http;

import java.nio.charset.StandardCharsets;

/** Writing replies: status, content type and body in one call. */
public final class HttpReplies {
    private HttpReplies() {
    }

    public static void json(HttpRequest r, int status, String json) {
        r.reply(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public static void text(HttpRequest r, int status, String text) {
        r.reply(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static void send(HttpRequest r, int status, String contentType, byte[] body) {
        r.reply(status, contentType, body);
    }

    /** Prometheus' error envelope: {"status":"error","errorType":…,"error":…}. */
    public static void promError(HttpRequest r, int status, String errorType, String message) {
        JsonWriter w = new JsonWriter();
        w.beginObject().name("status").value("error").name("errorType").value(errorType).name("error").value(message).endObject();
        json(r, status, w.toString());
    }

    /** kedify's error shape for the /memstore endpoints: {"error":…}. */
    public static void plainError(HttpRequest r, int status, String message) {
        JsonWriter w = new JsonWriter();
        w.beginObject().name("error").value(message).endObject();
        json(r, status, w.toString());
    }
}
