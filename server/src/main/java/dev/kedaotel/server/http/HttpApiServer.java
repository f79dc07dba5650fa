package dev.kedaotel.server.http;

import dev.kedaotel.receiver.BytesInFlight;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import dev.kedaotel.model.TimeSource;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import dev.kedaotel.server.tls.ReloadingTls;
import dev.kedaotel.server.tls.TlsPolicy;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP port, served by Jetty 12's core API (no servlets), with exact-path and prefix routes. Each
 * route declares the methods it allows (others get 405, so Grafana and promtool fall back from POST to
 * GET as they do with Prometheus) and the {@link Lane} it runs on.
 *
 * <p>Why Jetty, and why lanes. The JDK's {@code com.sun.net.httpserver} reads requests on its worker
 * threads, so four clients sending a header byte per second held all four workers and froze the port,
 * probes included. Jetty reads and parses on non-blocking I/O and calls a handler only once a request's
 * headers are complete, so a slow client holds a connection, never a thread; it enforces header and URI
 * sizes (431, 414), idle timeouts and a connection limit; and it carries what the next issues need
 * (TLS with certificate reload through its {@code SslContextFactory}, see {@link #start(String, int, ReloadingTls)};
 * HTTP/2 — cleartext h2c). Netty would give the same I/O model but leaves HTTP semantics (parsing limits, keep-alive,
 * chunking, h2 upgrade) to us. Once a request is complete, its route's lane decides where it runs:
 * {@link Lane#INLINE} on Jetty's thread at once (health, readiness: they never queue behind work), or
 * a bounded executor of the composition root's (queries, ingest), whose refusal becomes a 503 with
 * {@code Retry-After} instead of a queue that grows without bound.
 *
 * <p>Threads: Jetty's selector and handler threads come from a small {@link QueuedThreadPool} owned by
 * this object (named after the port); request work runs on the lanes' executors, owned by the caller.
 */
public final class HttpApiServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HttpApiServer.class.getName());

    /** Request line and headers together; larger gets 431 (or 414 for the URI alone). */
    static final int MAX_REQUEST_HEADER_BYTES = 16 * 1024;
    /** A connection with no traffic for this long is closed. */
    static final long IDLE_TIMEOUT_MS = 30_000;
    /** Connections beyond this are not accepted until others close. */
    static final int MAX_CONNECTIONS = 4096;
    /** Once a request head's first bytes have arrived, the rest must arrive within this. */
    static final long REQUEST_HEAD_TIMEOUT_MS = 10_000;

    /** Per open connection: whether a request is being served, and whether a new head is dripping in. */
    private final ConcurrentHashMap<Connection, HeadWatch> watches = new ConcurrentHashMap<>();
    private ScheduledFuture<?> headSweep;

    private final Map<String, Entry> exact = new LinkedHashMap<>();
    /** Checked in order before routing; added before {@link #start} (Jetty's start publishes them). */
    private final List<Gate> gates = new ArrayList<>();
    private final Map<String, Entry> prefixes = new LinkedHashMap<>();
    private final String name;
    private Server server;
    private ServerConnector connector;

    private record Entry(Set<String> methods, Lane lane, Route route) {
    }

    /**
     * The request-head deadline's view of one connection (guarded by itself). Jetty calls a handler only
     * once a head is complete and its idle timeout restarts with every byte, so a client dripping header
     * bytes would otherwise keep its connection forever: the sweep closes a connection whose new head
     * has been arriving for longer than {@link #REQUEST_HEAD_TIMEOUT_MS}, and never one that is serving a
     * request (bodies and queries have their own limits) or idling between requests (the idle timeout).
     */
    private static final class HeadWatch {
        int inFlight;
        /** Bytes received when the connection last became idle; more means a new head is arriving. */
        long bytesAtIdle;
        /** When the sweep first saw the new head's bytes, or -1. */
        long headSeenAtNanos = -1;
    }

    /**
     * Where a route's work runs, and what it may receive.
     *
     * @param name for logs and the 503 message
     * @param executor the bounded executor, or null to run on Jetty's thread at once (only for routes
     *     that never block: health, readiness)
     * @param maxBodyBytes the largest request body accepted (413 beyond); bodies are read completely,
     *     without holding a thread, before the route is queued, so a slow sender never occupies a worker
     * @param budget bytes all of this lane's bodies may hold at once, or null for no shared bound; a
     *     request that does not fit is refused like a full executor
     * @param whenBusy answers a request the executor refused (e.g. a 503 in the route's error format);
     *     {@code Retry-After} is already set
     */
    public record Lane(String name, Executor executor, long maxBodyBytes, BytesInFlight budget, Route whenBusy) {
        /** Answered on Jetty's thread, never queued, no body: for routes that do not block. */
        public static final Lane INLINE = new Lane("inline", null, 0, null, null);
    }

    /**
     * A check every request passes before routing (access control, content-type rules), run on Jetty's
     * thread as soon as the request head is complete — before the body is read or the request is queued,
     * so a refused request costs no body buffer and no worker. It must not block.
     */
    @FunctionalInterface
    public interface Gate {
        /** True to go on; false when the gate has answered the request itself (e.g. 401). */
        boolean admit(HttpRequest request);
    }

    /** Adds a gate, checked after those added before; call before {@link #start}. */
    public HttpApiServer gate(Gate gate) {
        gates.add(gate);
        return this;
    }

    public HttpApiServer(String name) {
        this.name = name;
    }

    public HttpApiServer route(String path, Set<String> methods, Lane lane, Route route) {
        exact.put(path, new Entry(methods, lane, route));
        return this;
    }

    public HttpApiServer prefixRoute(String prefix, Set<String> methods, Lane lane, Route route) {
        prefixes.put(prefix, new Entry(methods, lane, route));
        return this;
    }

    /**
     * Binds and starts serving plaintext HTTP/1.1 and h2c.
     *
     * @throws BindException naming the address when the port is taken
     */
    public void start(String host, int port) throws IOException {
        start(host, port, null);
    }

    /**
     * Binds and starts serving, over TLS when {@code tls} is given (HTTP/1.1 inside TLS; a plaintext
     * request on a TLS port fails its handshake, there is no fallback), else plaintext HTTP/1.1 and h2c.
     *
     * @param tls the port's reloading key and trust managers, or null for plaintext
     * @throws BindException naming the address when the port is taken
     */
    public void start(String host, int port, ReloadingTls tls) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName(name + "-http");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, 1, 1, connectionFactories(http, tls));
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        connector.addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                if (connection instanceof SslConnection) {
                    return; // TLS records, not requests: the HTTP connection inside it is watched
                }
                watches.put(connection, new HeadWatch());
            }

            @Override
            public void onClosed(Connection connection) {
                watches.remove(connection);
            }
        });
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        server.setHandler(new Dispatcher());
        server.setStopTimeout(2_000);
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly();
            throw e;
        } catch (Exception e) {
            stopQuietly();
            throw new IOException("cannot start HTTP server " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Plaintext: HTTP/1.1 and h2c (prior knowledge or upgrade). TLS: the JDK engine over the port's
     * {@link ReloadingTls} managers, so a certificate reload changes the next handshake without touching
     * Jetty, and open connections keep their session; client certificates are required when the port
     * has a CA; protocols and cipher suites are {@link TlsPolicy}'s. Inside TLS only HTTP/1.1 is spoken:
     * HTTP/2 over TLS needs ALPN negotiation in Jetty (another module), and the clients of these ports
     * (Grafana, Prometheus tooling, KEDA's prometheus trigger, scrapers) all speak HTTP/1.1.
     */
    private static ConnectionFactory[] connectionFactories(HttpConfiguration http, ReloadingTls tls) {
        if (tls == null) {
            return new ConnectionFactory[] {new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http)};
        }
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls.sslContext());
        ssl.setIncludeProtocols(TlsPolicy.protocols());
        ssl.setIncludeCipherSuites(TlsPolicy.cipherSuites());
        ssl.setNeedClientAuth(tls.clientAuth());
        ssl.setRenegotiationAllowed(false);
        HttpConfiguration https = new HttpConfiguration(http);
        // Marks requests secure; no SNI host check: clients reach the service by Service name, IP or port-forward.
        https.addCustomizer(new SecureRequestCustomizer(false));
        HttpConnectionFactory http1 = new HttpConnectionFactory(https);
        return new ConnectionFactory[] {new SslConnectionFactory(ssl, http1.getProtocol()), http1};
    }

    /**
     * Starts the request-head deadline: every second, on the caller's scheduler, connections whose new
     * request head has been arriving for longer than {@link #REQUEST_HEAD_TIMEOUT_MS} are closed.
     */
    public void enforceRequestHeadDeadline(ScheduledExecutorService scheduler, TimeSource time) {
        headSweep = scheduler.scheduleWithFixedDelay(() -> closeSlowRequestHeads(time.monotonicNanos()),
                1, 1, TimeUnit.SECONDS);
    }

    /** One sweep of the request-head deadline at {@code nowNanos}; returns how many connections it closed. */
    int closeSlowRequestHeads(long nowNanos) {
        int closed = 0;
        for (Map.Entry<Connection, HeadWatch> e : watches.entrySet()) {
            Connection c = e.getKey();
            HeadWatch w = e.getValue();
            boolean close;
            synchronized (w) {
                if (w.inFlight > 0 || c.getBytesIn() <= w.bytesAtIdle) {
                    w.headSeenAtNanos = -1;
                    continue;
                }
                if (w.headSeenAtNanos < 0) {
                    w.headSeenAtNanos = nowNanos;
                    continue;
                }
                close = nowNanos - w.headSeenAtNanos >= TimeUnit.MILLISECONDS.toNanos(REQUEST_HEAD_TIMEOUT_MS);
            }
            if (close) {
                c.getEndPoint().close();
                closed++;
            }
        }
        return closed;
    }

    /** Connections whose new request head the sweep is timing. */
    int requestHeadsInProgress() {
        int n = 0;
        for (HeadWatch w : watches.values()) {
            synchronized (w) {
                n += w.headSeenAtNanos >= 0 ? 1 : 0;
            }
        }
        return n;
    }

    /** Marks the request's connection as serving until the request completes. */
    private void watchServing(Request request) {
        Connection c = request.getConnectionMetaData().getConnection();
        HeadWatch w = watches.get(c);
        if (w == null) {
            return; // e.g. an HTTP/2 stream whose connection is watched as a whole
        }
        synchronized (w) {
            w.inFlight++;
            w.headSeenAtNanos = -1;
        }
        Request.addCompletionListener(request, failure -> {
            synchronized (w) {
                if (--w.inFlight == 0) {
                    w.bytesAtIdle = c.getBytesIn();
                }
            }
        });
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The address and port the connector listens on (e.g. {@code 0.0.0.0/0.0.0.0:9090}). */
    public java.net.InetSocketAddress boundAddress() throws IOException {
        return (java.net.InetSocketAddress) ((java.nio.channels.ServerSocketChannel) connector.getTransport()).getLocalAddress();
    }

    /** Finds the route, checks the method, and runs the route on its lane. */
    private final class Dispatcher extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = request.getHttpURI().getPath();
            Entry e = exact.get(path);
            if (e == null) {
                for (Map.Entry<String, Entry> p : prefixes.entrySet()) {
                    if (path != null && path.startsWith(p.getKey())) {
                        e = p.getValue();
                        break;
                    }
                }
            }
            watchServing(request);
            HttpRequest r = new HttpRequest(request, response, callback);
            if (!admitted(r)) {
                return true;
            }
            if (e == null) {
                HttpReplies.promError(r, 404, "not_found", "no endpoint " + path);
                return true;
            }
            String method = request.getMethod();
            if (!e.methods.contains(method) && !("HEAD".equals(method) && e.methods.contains("GET"))) {
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", e.methods));
                HttpReplies.promError(r, 405, "bad_data", "method " + method + " not allowed for " + path);
                return true;
            }
            Lane lane = e.lane;
            Route route = e.route;
            if (lane.executor() == null) {
                run(route, r);
                return true;
            }
            long length = request.getLength();
            if (length > lane.maxBodyBytes()) {
                HttpReplies.promError(r, 413, "bad_data", "request body of " + length + " bytes is larger than the "
                        + lane.maxBodyBytes() + " bytes " + path + " accepts");
                return true;
            }
            long reserved = lane.budget() == null ? 0 : (length >= 0 ? length : lane.maxBodyBytes());
            if (reserved > 0 && !lane.budget().tryReserve(reserved)) {
                busy(lane, r);
                return true;
            }
            if (length == 0 || lane.maxBodyBytes() == 0) {
                dispatch(lane, route, r, reserved);
                return true;
            }
            // Read the whole body without a thread waiting on the socket; queue the work once it is here.
            Content.Source.asByteArrayAsync(request, (int) Math.min(Integer.MAX_VALUE - 8, lane.maxBodyBytes()))
                    .whenComplete((body, failure) -> {
                        if (failure != null) {
                            release(lane, reserved);
                            bodyFailed(r, failure, lane.maxBodyBytes());
                        } else {
                            r.setBody(body);
                            dispatch(lane, route, r, reserved);
                        }
                    });
            return true;
        }

        /** Runs the gates; false when one answered. A gate that throws refuses with a 500, never admits. */
        private boolean admitted(HttpRequest r) {
            for (Gate g : gates) {
                try {
                    if (!g.admit(r)) {
                        return false;
                    }
                } catch (RuntimeException failure) {
                    LOG.log(Level.WARNING, "HTTP " + r.method() + " " + r.path() + ": request check failed", failure);
                    if (!r.replied()) {
                        HttpReplies.promError(r, 500, "internal", "request check failed: " + failure);
                    }
                    return false;
                }
            }
            return true;
        }

        private void dispatch(Lane lane, Route route, HttpRequest r, long reserved) {
            try {
                lane.executor().execute(() -> {
                    try {
                        run(route, r);
                    } finally {
                        release(lane, reserved);
                    }
                });
            } catch (RejectedExecutionException full) {
                release(lane, reserved);
                busy(lane, r);
            }
        }
    }

    private static void busy(Lane lane, HttpRequest r) {
        r.responseHeader("Retry-After", "1");
        run(lane.whenBusy(), r);
    }

    private static void release(Lane lane, long reserved) {
        if (reserved > 0) {
            lane.budget().release(reserved);
        }
    }

    private static void bodyFailed(HttpRequest r, Throwable failure, long max) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof OutOfMemoryError oom) {
            fatal(oom);
        }
        if (cause instanceof java.io.IOException) {
            // The client went away or sent a broken body (early EOF, bad chunking); answer if it still can.
            HttpReplies.promError(r, 400, "bad_data", "could not read the request body: " + cause.getMessage());
        } else {
            // Jetty's bounded read fails with an IllegalStateException ("Max size (N) exceeded") once a body
            // without a Content-Length passes the limit; a declared length was refused before reading.
            HttpReplies.promError(r, 413, "bad_data", "request body larger than " + max + " bytes");
        }
    }

    /** Runs a route; whatever it throws becomes a 500 with the message, never a dead connection. */
    private static void run(Route route, HttpRequest r) {
        try {
            try {
                r.readParams();
            } catch (IllegalArgumentException badParams) {
                HttpReplies.promError(r, 400, "bad_data", badParams.getMessage());
                return;
            }
            route.handle(r);
        } catch (HttpRequest.BodyTooLargeException tooLarge) {
            HttpReplies.promError(r, 413, "bad_data", tooLarge.getMessage());
        } catch (Throwable t) {
            if (t instanceof OutOfMemoryError oom) {
                fatal(oom);
            }
            LOG.log(Level.WARNING, "HTTP " + r.method() + " " + r.path() + " failed", t);
            if (!r.replied()) {
                HttpReplies.promError(r, 500, "internal", t.getClass().getSimpleName() + ": " + t.getMessage());
            }
        } finally {
            if (!r.replied()) {
                HttpReplies.promError(r, 500, "internal", "the endpoint sent no answer");
            }
        }
    }

    /** Hands an OutOfMemoryError to the process' last-resort handler (the server's memory guard exits). */
    private static void fatal(OutOfMemoryError oom) {
        Thread.UncaughtExceptionHandler h = Thread.getDefaultUncaughtExceptionHandler();
        if (h != null) {
            h.uncaughtException(Thread.currentThread(), oom);
        }
        throw oom;
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // startup already failed; that error is the one reported
        }
    }

    @Override
    public void close() {
        if (headSweep != null) {
            headSweep.cancel(false);
        }
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "stopping HTTP server " + name + " failed", e);
            }
        }
    }
}
