package dev.kedaotel.conformance;

import dev.kedaotel.server.http.JsonReader;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Calls one Prometheus-compatible HTTP API, as GET with a query string or as a POST form. */
final class ApiClient {
    /** A reply: HTTP status, raw body, and the parsed JSON envelope. */
    record Reply(int status, String body, Map<String, Object> json) {
        boolean success() {
            return "success".equals(json.get("status"));
        }

        Object data() {
            return json.get("data");
        }

        String errorType() {
            return (String) json.get("errorType");
        }

        String error() {
            return (String) json.get("error");
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String base;

    ApiClient(String base) {
        this.base = base;
    }

    /** {@code params} is name/value pairs; a name may repeat (match[]). */
    @SuppressWarnings("unchecked")
    Reply call(String path, boolean post, List<String> params) throws IOException, InterruptedException {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < params.size(); i += 2) {
            if (form.length() > 0) {
                form.append('&');
            }
            form.append(enc(params.get(i))).append('=').append(enc(params.get(i + 1)));
        }
        HttpRequest.Builder b;
        if (post) {
            b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        } else {
            b = HttpRequest.newBuilder(URI.create(base + path + (form.length() > 0 ? "?" + form : ""))).GET();
        }
        HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        Object json;
        try {
            json = JsonReader.parse(r.body());
        } catch (RuntimeException e) {
            throw new IOException(base + path + " answered " + r.statusCode() + " with non-JSON: " + r.body(), e);
        }
        return new Reply(r.statusCode(), r.body(), (Map<String, Object>) json);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
