package dev.kedaotel.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * One system's Prometheus-compatible HTTP API through one kept-alive connection. Every query names its
 * evaluation time. VictoriaMetrics gets {@code nocache=1}: without it VM moves an instant query's time
 * back by its {@code -search.latencyOffset} (30 s) when that time is within 30 s of now, so it would not
 * answer for the instant the others answer for; its response cache never serves the last 5 minutes
 * ({@code -search.cacheTimestampOffset}) anyway, so nothing that would help it is switched off.
 */
final class PeerApi implements AutoCloseable {
    final String name;
    private final String extra;
    private final int port;
    private KeepAliveHttpClient client;
    /** Connections the server closed between requests (idle timeouts), re-opened once each. */
    int reconnects;

    PeerApi(String name, int port, boolean victoriaMetrics) throws IOException {
        this.name = name;
        this.extra = victoriaMetrics ? "&nocache=1" : "";
        this.port = port;
        this.client = new KeepAliveHttpClient("127.0.0.1", port);
    }

    /**
     * GET through the kept-alive connection; if the server had closed it (an idle timeout between
     * phases), once more through a new one, as Go's and Java's pooled clients do.
     */
    private String get(String pathAndQuery) throws IOException {
        try {
            return client.get(pathAndQuery);
        } catch (IOException e) {
            boolean closed = e instanceof java.net.SocketException
                    || (e.getMessage() != null && e.getMessage().startsWith("connection closed"));
            if (!closed) {
                throw new IOException(name + ": " + e.getMessage(), e);
            }
            reconnects++;
            client.close();
            client = new KeepAliveHttpClient("127.0.0.1", port);
            return client.get(pathAndQuery);
        }
    }

    /** A fresh connection (before a timed phase, so no idle timeout's reconnect lands in it). */
    void reopen() throws IOException {
        client.close();
        client = new KeepAliveHttpClient("127.0.0.1", port);
        reconnects = 0;
    }

    /** {@code /api/v1/query} at {@code timeMs}; the raw JSON body. */
    String query(String promql, long timeMs) throws IOException {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + seconds(timeMs)
                + extra);
    }

    /** {@code /api/v1/series} for one selector over [startMs, endMs]; the raw JSON body. */
    String series(String match, long startMs, long endMs) throws IOException {
        return get("/api/v1/series?match%5B%5D=" + URLEncoder.encode(match, StandardCharsets.UTF_8) + "&start="
                + seconds(startMs) + "&end=" + seconds(endMs));
    }

    /** The single value of an instant query answering one sample (e.g. {@code count(x)}), NaN if none. */
    double scalar(String promql, long timeMs) throws IOException {
        java.util.Map<String, Double> r = PromJson.instantResult(query(promql, timeMs));
        return r.size() == 1 ? r.values().iterator().next() : Double.NaN;
    }

    static String seconds(long ms) {
        return String.format(java.util.Locale.ROOT, "%d.%03d", ms / 1000, ms % 1000);
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
