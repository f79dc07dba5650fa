package dev.kedaotel.server.http;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writing responses: status, content type and body in one call, always closing the exchange. */
public final class HttpReplies {
    private HttpReplies() {
    }

    public static void json(HttpExchange ex, int status, String json) throws IOException {
        send(ex, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public static void text(HttpExchange ex, int status, String text) throws IOException {
        send(ex, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    public static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        }
        ex.close();
    }

    /** Prometheus' error envelope: {"status":"error","errorType":…,"error":…}. */
    public static void promError(HttpExchange ex, int status, String errorType, String message) throws IOException {
        JsonWriter w = new JsonWriter();
        w.beginObject().name("status").value("error").name("errorType").value(errorType).name("error").value(message).endObject();
        json(ex, status, w.toString());
    }

    /** kedify's error shape for the /memstore endpoints: {"error":…}. */
    public static void plainError(HttpExchange ex, int status, String message) throws IOException {
        JsonWriter w = new JsonWriter();
        w.beginObject().name("error").value(message).endObject();
        json(ex, status, w.toString());
    }
}
