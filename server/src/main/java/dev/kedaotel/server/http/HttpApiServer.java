package dev.kedaotel.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The JDK's built-in HTTP server with a bounded worker pool and a tiny router: exact paths, plus
 * prefix routes (for {@code /api/v1/label/<name>/values}). Each route declares the methods it allows;
 * others get 405 so that Grafana and promtool fall back from POST to GET as they do with Prometheus.
 */
public final class HttpApiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HttpApiServer.class.getName());

    static {
        // The JDK server leaves Nagle's algorithm on; with the delayed ACKs of a kept-alive client
        // (Grafana, KEDA, promtool) every small reply then waits ~40 ms. It reads this property once,
        // when its configuration class loads, so it must be set before the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Map<String, Entry> exact = new LinkedHashMap<>();
    private final Map<String, Entry> prefixes = new LinkedHashMap<>();
    private final String name;
    private HttpServer server;

    private static final class Entry {
        final Set<String> methods;
        final Route route;

        Entry(Set<String> methods, Route route) {
            this.methods = methods;
            this.route = route;
        }
    }

    public HttpApiServer(String name) {
        this.name = name;
    }

    public HttpApiServer route(String path, Set<String> methods, Route route) {
        exact.put(path, new Entry(methods, route));
        return this;
    }

    public HttpApiServer prefixRoute(String prefix, Set<String> methods, Route route) {
        prefixes.put(prefix, new Entry(methods, route));
        return this;
    }

    /**
     * Binds and starts serving.
     *
     * @param executor runs the handlers; the composition root's, bounded, and shut down by it after
     *     {@link #close()}
     */
    public void start(String host, int port, ExecutorService executor) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 128);
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void dispatch(HttpExchange ex) {
        try {
            String path = ex.getRequestURI().getPath();
            Entry e = exact.get(path);
            if (e == null) {
                for (Map.Entry<String, Entry> p : prefixes.entrySet()) {
                    if (path.startsWith(p.getKey())) {
                        e = p.getValue();
                        break;
                    }
                }
            }
            if (e == null) {
                drain(ex);
                HttpReplies.promError(ex, 404, "not_found", "no endpoint " + path);
                return;
            }
            String method = ex.getRequestMethod();
            if (!e.methods.contains(method) && !("HEAD".equals(method) && e.methods.contains("GET"))) {
                drain(ex);
                ex.getResponseHeaders().set("Allow", String.join(", ", e.methods));
                HttpReplies.promError(ex, 405, "bad_data", "method " + method + " not allowed for " + path);
                return;
            }
            HttpRequest req;
            try {
                req = new HttpRequest(ex);
            } catch (HttpRequest.BodyTooLargeException tooLarge) {
                HttpReplies.promError(ex, 413, "bad_data", tooLarge.getMessage());
                return;
            }
            e.route.handle(req);
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "HTTP " + ex.getRequestMethod() + " " + ex.getRequestURI() + " failed", t);
            try {
                HttpReplies.promError(ex, 500, "internal", String.valueOf(t.getMessage()));
            } catch (IOException | RuntimeException ignored) {
                ex.close(); // headers already sent or client gone: nothing more to tell it
            }
        }
    }

    private static void drain(HttpExchange ex) throws IOException {
        ex.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(1);
        }
    }
}
