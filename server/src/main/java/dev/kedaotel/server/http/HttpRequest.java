package dev.kedaotel.server.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP exchange as the routes see it: the request with its parameters merged the way Prometheus
 * reads them (URL query parameters plus, for POST with {@code application/x-www-form-urlencoded}, the
 * form body; multi-valued parameters such as {@code match[]} keep every value), and the one reply it
 * gets ({@link #reply}). Parameters are parsed on first use, on the lane that runs the route, so a
 * form body is never read on Jetty's I/O thread ({@link HttpApiServer} calls {@link #readParams} there
 * before the route runs).
 */
public final class HttpRequest {
    private static final System.Logger LOG = System.getLogger(HttpRequest.class.getName());
    private final Request request;
    private final Response response;
    private final Callback callback;
    private Map<String, List<String>> params;
    /** The body, read completely before the route runs (empty for requests without one). */
    private byte[] body = new byte[0];
    private boolean replied;

    HttpRequest(Request request, Response response, Callback callback) {
        this.request = request;
        this.response = response;
        this.callback = callback;
    }

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return request.getHttpURI().getPath();
    }

    /** The first value of request header {@code name}, or null. */
    public String header(String name) {
        HttpField f = request.getHeaders().getField(name);
        return f == null ? null : f.getValue();
    }

    /** The request body, already read completely (within the lane's size limit). */
    public InputStream body() {
        return new java.io.ByteArrayInputStream(body);
    }

    /** The request body's bytes, already read completely (not copied: do not modify). */
    public byte[] bodyBytes() {
        return body;
    }

    void setBody(byte[] body) {
        this.body = body;
    }

    /** The first value of a parameter, or null. */
    public String param(String name) {
        List<String> l = params().get(name);
        return l == null || l.isEmpty() ? null : l.get(0);
    }

    public List<String> params(String name) {
        List<String> l = params().get(name);
        return l == null ? Collections.emptyList() : l;
    }

    private Map<String, List<String>> params() {
        if (params == null) {
            throw new IllegalStateException("parameters are read by readParams() before the route runs");
        }
        return params;
    }

    /** Parses the query string and, for a form POST, the body; on the route's lane. */
    void readParams() {
        if (params == null) {
            Map<String, List<String>> p = new LinkedHashMap<>();
            String q = request.getHttpURI().getQuery();
            if (q != null) {
                parseForm(q, p);
            }
            String ct = header("Content-Type");
            if ("POST".equals(method()) && ct != null
                    && ct.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                parseForm(new String(body, StandardCharsets.UTF_8), p);
            }
            params = p;
        }
    }

    /** Sets a response header; call before {@link #reply}. */
    public void responseHeader(String name, String value) {
        response.getHeaders().put(name, value);
    }

    /** Sends the one reply of this exchange (no body for HEAD) and completes it. */
    public void reply(int status, String contentType, byte[] body) {
        if (replied) {
            throw new IllegalStateException("already replied to " + method() + " " + path());
        }
        replied = true;
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        boolean head = "HEAD".equals(method());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, head ? 0 : body.length);
        // Nested keeps the exchange callback's invocation type, so Jetty completes the exchange as before.
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), new Callback.Nested(callback) {
            @Override
            public void failed(Throwable failure) {
                // Almost always the client hanging up before the answer was sent (EofException, broken pipe,
                // reset, HTTP/2 RST_STREAM): routine for a service polled by dashboards, so debug, never a warning.
                LOG.log(System.Logger.Level.DEBUG, () -> "HTTP " + method() + " " + path() + ": the answer (" + status
                        + ") was not delivered, the client went away: " + failure);
                super.failed(failure);
            }
        });
    }

    boolean replied() {
        return replied;
    }

    /** Reads {@code in} fully, refusing more than {@code max} bytes. */
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
            try {
                into.computeIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), x -> new ArrayList<>())
                        .add(URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid form or query string: " + e.getMessage(), e);
            }
        }
    }
}
