package dev.kedaotel.server.http;

import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request with its parameters merged the way Prometheus reads them: URL query parameters
 * plus, for POST with {@code application/x-www-form-urlencoded}, the form body. Multi-valued
 * parameters such as {@code match[]} keep every value.
 */
public final class HttpRequest {
    /** Form bodies larger than this are refused; a PromQL query is never near it. */
    static final int MAX_FORM_BYTES = 4 << 20;

    private final HttpExchange exchange;
    private final Map<String, List<String>> params = new LinkedHashMap<>();

    HttpRequest(HttpExchange exchange) throws IOException {
        this.exchange = exchange;
        String q = exchange.getRequestURI().getRawQuery();
        if (q != null) {
            parseForm(q, params);
        }
        String ct = exchange.getRequestHeaders().getFirst("Content-Type");
        if ("POST".equals(exchange.getRequestMethod()) && ct != null
                && ct.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            byte[] body = readAll(exchange.getRequestBody(), MAX_FORM_BYTES);
            parseForm(new String(body, StandardCharsets.UTF_8), params);
        }
    }

    public HttpExchange exchange() {
        return exchange;
    }

    public String method() {
        return exchange.getRequestMethod();
    }

    public String path() {
        return exchange.getRequestURI().getPath();
    }

    public String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    /** The first value of a parameter, or null. */
    public String param(String name) {
        List<String> l = params.get(name);
        return l == null || l.isEmpty() ? null : l.get(0);
    }

    public List<String> params(String name) {
        List<String> l = params.get(name);
        return l == null ? Collections.emptyList() : l;
    }

    public static byte[] readAll(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) > 0) {
            total += n;
            if (total > max) {
                throw new BodyTooLargeException(max);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** The request body exceeded the endpoint's limit. */
    public static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(long max) {
            super("request body larger than " + max + " bytes");
        }
    }

    private static void parseForm(String s, Map<String, List<String>> into) {
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            into.computeIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), x -> new ArrayList<>())
                    .add(URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
    }
}
