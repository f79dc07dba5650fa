package dev.kedaotel.server;

import dev.kedaotel.model.TimeSource;
import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.receiver.HttpReply;
import dev.kedaotel.receiver.OtlpGrpcService;
import dev.kedaotel.receiver.OtlpHttpHandler;
import dev.kedaotel.receiver.OtlpIngestor;
import dev.kedaotel.receiver.ReceiverConfig;
import dev.kedaotel.receiver.ReceiverStats;
import dev.kedaotel.scaler.ExternalScalerService;
import dev.kedaotel.scaler.ScalerConfig;
import dev.kedaotel.query.standing.StandingQueries;
import dev.kedaotel.query.standing.StandingQueriesConfig;
import dev.kedaotel.server.http.HttpApiServer;
import dev.kedaotel.server.http.HttpReplies;
import dev.kedaotel.server.http.MemstoreApi;
import dev.kedaotel.server.http.OpsApi;
import dev.kedaotel.server.http.PrometheusApi;
import dev.kedaotel.server.metrics.ScalerMetrics;
import dev.kedaotel.server.metrics.SelfMetrics;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.TimeSeriesStore;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The composition root: builds the store, receiver, query engine, standing queries and scaler from
 * a {@link Config}, binds the four ports, and tears everything down in reverse order on close.
 * Nothing else in the service knows how the modules are wired.
 *
 * <p>It is also the one owner of time and threads. Every module takes its {@link TimeSource} and its
 * executors from here (as Caffeine takes its ticker and executor from its builder) and creates none of
 * its own, so the whole thread inventory of the process is this list, and tests can start the service
 * on a manual clock:
 * <ul>
 *   <li>{@code otlp-grpc-N}: OTLP/gRPC Export calls (fixed pool; each thread keeps its decoder and appender);</li>
 *   <li>{@code keda-grpc-N}: KEDA external-scaler calls (fixed pool);</li>
 *   <li>{@code api-http-N}, {@code metrics-http-N}: the HTTP ports' handlers (fixed pools, bounded queues);</li>
 *   <li>{@code maintenance}: one scheduled thread for the store's retention pass and the scaler's idle sweep
 *       and stream re-sends;</li>
 *   <li>{@code standing-query-evaluator}: the one thread that re-evaluates streamed queries.</li>
 * </ul>
 * gRPC's Netty event loops are the only threads created by a library.
 */
public final class KedaOtelScaler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KedaOtelScaler.class.getName());
    /** gRPC requests in flight are given this long to finish on shutdown (SIGTERM). */
    private static final long GRACE_MS = 5_000;

    private final Config config;
    private final TimeSource time;
    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(daemon("maintenance"));
    private final ExecutorService otlpExecutor;
    private final ExecutorService scalerExecutor;
    private final ExecutorService httpExecutor;
    private final ExecutorService metricsHttpExecutor;
    private TimeSeriesStore store;
    private QueryEngine engine;
    private StandingQueries standing;
    private ExternalScalerService scaler;
    private SelfMetrics selfMetrics;
    private Server otlpServer;
    private Server scalerServer;
    private HttpApiServer http;
    private HttpApiServer metricsHttp;
    private volatile boolean ready;

    private KedaOtelScaler(Config config, TimeSource time) {
        this.config = config;
        this.time = time;
        int cores = Runtime.getRuntime().availableProcessors();
        // Bounded: each ingest thread keeps its own decoder scratch space and store appender.
        this.otlpExecutor = Executors.newFixedThreadPool(Math.max(2, cores * 2), daemon("otlp-grpc"));
        this.scalerExecutor = Executors.newFixedThreadPool(Math.max(2, cores * 2), daemon("keda-grpc"));
        this.httpExecutor = boundedPool("api-http", Math.max(4, cores * 2));
        this.metricsHttpExecutor = boundedPool("metrics-http", 2);
    }

    /** Starts the service on the system clocks. */
    public static KedaOtelScaler start(Config config) throws IOException {
        return start(config, TimeSource.system());
    }

    /** Starts the service on {@code time} (tests and the simulator pass a manual source). */
    public static KedaOtelScaler start(Config config, TimeSource time) throws IOException {
        KedaOtelScaler app = new KedaOtelScaler(config, time);
        try {
            app.startAll();
        } catch (IOException | RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    private void startAll() throws IOException {
        store = new TimeSeriesStore(StoreConfig.builder()
                .retentionMs(config.retentionMs())
                .maxSeries(config.get(Setting.METRIC_STORE_MAX_SERIES))
                .maxSamplesPerSeries(config.get(Setting.METRIC_STORE_MAX_SAMPLES_PER_SERIES))
                .maxLabelsPerSeries(config.get(Setting.METRIC_STORE_MAX_LABELS_PER_SERIES))
                .maxLabelNameLength(config.get(Setting.METRIC_STORE_MAX_LABEL_NAME_LENGTH))
                .maxLabelValueLength(config.get(Setting.METRIC_STORE_MAX_LABEL_VALUE_LENGTH))
                .maxSeriesPerMetric(config.get(Setting.METRIC_STORE_MAX_SERIES_PER_METRIC))
                .maxFutureMs(config.get(Setting.METRIC_STORE_MAX_FUTURE_SECONDS) * 1000L)
                .time(time)
                .build());
        maintenance.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);

        engine = new QueryEngine(store, EngineConfig.builder()
                .lookbackDeltaMs(config.lookbackDeltaMs())
                .timeoutMs(config.get(Setting.QUERY_TIMEOUT_SECONDS) * 1000L)
                .maxSamples(config.get(Setting.QUERY_MAX_SAMPLES))
                .time(time)
                .build());

        selfMetrics = new SelfMetrics().bindJvm().bindStore(store);

        ReceiverStats receiverStats = new ReceiverStats();
        int maxMessage = config.get(Setting.OTLP_MAX_RECV_MSG_SIZE_BYTES);
        OtlpIngestor ingestor = OtlpIngestor.forStore(store, ReceiverConfig.builder()
                .promotedResourceAttributes(config.get(Setting.OTLP_PROMOTE_RESOURCE_ATTRIBUTES))
                .promoteJobAndInstance(config.get(Setting.OTLP_PROMOTE_JOB_INSTANCE))
                .maxMessageBytes(maxMessage)
                .seriesCacheSlots(config.get(Setting.OTLP_SERIES_CACHE_SLOTS))
                .build(), receiverStats);
        selfMetrics.bindReceiver(receiverStats);

        standing = StandingQueries.start(store, engine,
                new StandingQueriesConfig(config.get(Setting.STANDING_QUERY_AGEING_MS), time,
                        daemon("standing-query-evaluator")));
        scaler = new ExternalScalerService(standing, ScalerConfig.builder()
                .valueIfNotFound(config.get(Setting.METRIC_STORE_VALUE_IF_NOT_FOUND))
                .errorIfNotFound(config.get(Setting.METRIC_STORE_ERROR_IF_NOT_FOUND))
                .resendIntervalMs(config.resendIntervalMs())
                .retentionMs(config.retentionMs())
                .idleTimeoutMs(config.get(Setting.SCALED_OBJECT_IDLE_SECONDS) * 1000L)
                .time(time)
                .build(), new ScalerMetrics(selfMetrics.registry()), maintenance);
        selfMetrics.bindScaler(scaler, standing);

        otlpServer = NettyServerBuilder.forAddress(new InetSocketAddress(config.get(Setting.OTLP_RECEIVER_PORT)))
                .addService(OtlpGrpcService.definition(ingestor))
                .maxInboundMessageSize(maxMessage)
                .executor(otlpExecutor)
                .build().start();
        scalerServer = NettyServerBuilder.forAddress(new InetSocketAddress(config.get(Setting.KEDA_EXTERNAL_SCALER_PORT)))
                .addService(scaler)
                .addService(ProtoReflectionServiceV1.newInstance())
                .executor(scalerExecutor)
                .build().start();

        OtlpHttpHandler otlpHttp = new OtlpHttpHandler(ingestor);
        http = new HttpApiServer("api");
        new PrometheusApi(engine, store, time, config.get(Setting.QUERY_TIMEOUT_SECONDS) * 1000L, version()).register(http);
        new MemstoreApi(store, engine, time, config.retentionMs()).register(http);
        http.route(OtlpHttpHandler.PATH, Set.of("POST"), r -> {
            HttpReply reply = otlpHttp.handle(r.header("Content-Type"), r.header("Content-Encoding"),
                    r.exchange().getRequestBody(), maxMessage);
            HttpReplies.send(r.exchange(), reply.status(), reply.contentType(), reply.body());
        });
        new OpsApi(store, standing, scaler, () -> ready, version(), ports(), config.retentionMs()).register(http);
        http.start("0.0.0.0", config.get(Setting.REST_API_PORT), httpExecutor);

        metricsHttp = new HttpApiServer("metrics");
        metricsHttp.route("/metrics", Set.of("GET"), r -> HttpReplies.send(r.exchange(), 200,
                "text/plain; version=0.0.4; charset=utf-8", selfMetrics.scrape().getBytes(StandardCharsets.UTF_8)));
        metricsHttp.start("0.0.0.0", config.get(Setting.INTERNAL_METRICS_PORT), metricsHttpExecutor);

        ready = true;
        LOG.log(Level.INFO, "ready: OTLP/gRPC :{0}, KEDA scaler :{1}, HTTP :{2} (Prometheus API, OTLP/HTTP /v1/metrics), self-metrics :{3}; retention {4}s",
                Integer.toString(otlpPort()), Integer.toString(scalerPort()), Integer.toString(httpPort()),
                Integer.toString(metricsPort()), Long.toString(config.retentionMs() / 1000));
    }

    private void expire() {
        try {
            store.expire();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "retention pass failed; will retry", e);
        }
    }

    /** The bound ports by kedify's /info names; read when /info is asked, after every port is bound. */
    private java.util.Map<String, Object> ports() {
        return new java.util.AbstractMap<>() {
            @Override
            public java.util.Set<Entry<String, Object>> entrySet() {
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("scalerPort", scalerPort());
                m.put("otlpPort", otlpPort());
                m.put("internalMetricsPort", metricsPort());
                m.put("restApiPort", httpPort());
                return m.entrySet();
            }
        };
    }

    public static String version() {
        String v = KedaOtelScaler.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public int otlpPort() {
        return otlpServer.getPort();
    }

    public int scalerPort() {
        return scalerServer.getPort();
    }

    public int httpPort() {
        return http.port();
    }

    public int metricsPort() {
        return metricsHttp.port();
    }

    public TimeSeriesStore store() {
        return store;
    }

    public boolean isReady() {
        return ready;
    }

    /** Graceful stop: refuse new work, let in-flight RPCs finish (bounded), then free everything. */
    @Override
    public void close() {
        ready = false;
        shutdown(otlpServer);
        shutdown(scalerServer);
        awaitTermination(otlpServer);
        awaitTermination(scalerServer);
        if (http != null) {
            http.close();
        }
        if (metricsHttp != null) {
            metricsHttp.close();
        }
        if (scaler != null) {
            scaler.close();
        }
        if (standing != null) {
            standing.close();
        }
        maintenance.shutdownNow();
        otlpExecutor.shutdownNow();
        scalerExecutor.shutdownNow();
        httpExecutor.shutdownNow();
        metricsHttpExecutor.shutdownNow();
        if (selfMetrics != null) {
            selfMetrics.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static void shutdown(Server s) {
        if (s != null) {
            s.shutdown();
        }
    }

    private static void awaitTermination(Server s) {
        if (s == null) {
            return;
        }
        try {
            if (!s.awaitTermination(GRACE_MS, TimeUnit.MILLISECONDS)) {
                s.shutdownNow();
            }
        } catch (InterruptedException e) {
            s.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A fixed pool with a bounded queue: a flood of slow requests queues up to a point and is then
     * refused, instead of growing memory without limit.
     */
    private static ExecutorService boundedPool(String name, int threads) {
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024),
                daemon(name), (r, ex) -> {
                    throw new RejectedExecutionException(name + " worker queue full");
                });
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
