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
import dev.kedaotel.scaler.WarmUp;
import dev.kedaotel.query.standing.StandingQueries;
import dev.kedaotel.query.standing.StandingQueriesConfig;
import dev.kedaotel.server.http.BearerAuthGate;
import dev.kedaotel.server.http.BearerTokens;
import dev.kedaotel.server.http.HttpApiServer;
import dev.kedaotel.server.http.JsonOnlyGate;
import dev.kedaotel.server.http.HttpReplies;
import dev.kedaotel.server.http.MemstoreApi;
import dev.kedaotel.server.http.OpsApi;
import dev.kedaotel.server.http.PrometheusApi;
import dev.kedaotel.server.metrics.ScalerMetrics;
import dev.kedaotel.server.metrics.SelfMetrics;
import dev.kedaotel.server.tls.GrpcTls;
import dev.kedaotel.server.ui.IngestRate;
import dev.kedaotel.server.ui.UiPages;
import dev.kedaotel.server.ui.UiSources;
import dev.kedaotel.server.tls.ReloadingTls;
import dev.kedaotel.server.tls.TlsFileException;
import dev.kedaotel.server.tls.TlsFiles;
import dev.kedaotel.tsdb.MetricMetadataRegistry;
import dev.kedaotel.tsdb.StoreConfig;
import dev.kedaotel.tsdb.TimeSeriesStore;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
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
 *   <li>{@code query-N}: PromQL and kedify queries from the HTTP API ({@code QUERY_MAX_CONCURRENCY} threads,
 *       {@code QUERY_MAX_QUEUED} queued; beyond that a 503);</li>
 *   <li>{@code otlp-http-N}, {@code metrics-http-N}: OTLP/HTTP ingest and self-metrics scrapes (fixed pools,
 *       bounded queues);</li>
 *   <li>{@code api-http-N}, {@code metrics-http-N} (Jetty's): HTTP I/O, and the health and readiness
 *       routes, which are answered there at once;</li>
 *   <li>{@code maintenance}: one scheduled thread for the store's retention pass, the scaler's idle sweep
 *       and stream re-sends, the HTTP request-head deadline, and the TLS certificate reload of every TLS port
 *       ({@link #reloadCertificates()}, every {@code OTLP_CERTIFICATE_RELOAD_INTERVAL});</li>
 *   <li>{@code standing-query-evaluator}: the one thread that re-evaluates streamed queries;</li>
 *   <li>{@code grpc-boss-N}, {@code grpc-io-N}: gRPC's Netty event loops (accept, and transport I/O for both
 *       gRPC ports), shut down with the servers.</li>
 * </ul>
 * Jetty's selector and acceptor threads belong to each HTTP port's small pool ({@code HttpApiServer}).
 *
 * <p>TLS: each port with certificate settings gets one {@link ReloadingTls} (checked at startup: an unusable
 * file stops the service with a message naming the setting), whose key and trust managers the port's
 * server is built around (Netty through {@link GrpcTls}, Jetty through {@code HttpApiServer}); the reload
 * tick swaps their content in place, so nothing is rebuilt and open connections are not touched. All four
 * ports bind to {@code BIND_ADDRESS}.
 */
public final class KedaOtelScaler implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KedaOtelScaler.class.getName());
    /** gRPC requests in flight are given this long to finish on shutdown (SIGTERM). */
    private static final long GRACE_MS = 5_000;
    /** Form bodies of the query API larger than this are refused; a PromQL query is never near it. */
    private static final long MAX_FORM_BYTES = 4 << 20;

    private final Config config;
    private final TimeSource time;
    /** Since when the window is complete, when the caller knows (tests); else the time the store is opened. */
    private final OptionalLong givenCompleteSinceMs;
    /** kedify's chart probes these gRPC health service names. */
    static final String LIVENESS = "liveness";
    static final String READINESS = "readiness";
    private final HealthStatusManager health = new HealthStatusManager();
    private final ScheduledExecutorService maintenance = Executors.newSingleThreadScheduledExecutor(daemon("maintenance"));
    /**
     * gRPC's Netty event loops, owned here rather than borrowed from grpc-java's shared pool: the shared
     * pool keeps its threads for a second after the servers stop, and a JVM exiting with threads in
     * native epoll waits 300 ms for them; ours are shut down with the servers.
     */
    private final EventLoopGroup grpcBoss;
    private final EventLoopGroup grpcWorkers;
    private final Class<? extends ServerChannel> grpcChannelType;
    private final ExecutorService otlpExecutor;
    private final ExecutorService scalerExecutor;
    private ExecutorService queryExecutor;
    private final ExecutorService otlpHttpExecutor;
    private final ExecutorService metricsHttpExecutor;
    private TimeSeriesStore store;
    /** Metric families' type, help and unit for /api/v1/metadata; aged out with the store's retention. */
    private MetricMetadataRegistry metadata;
    private QueryEngine engine;
    private StandingQueries standing;
    private ExternalScalerService scaler;
    private SelfMetrics selfMetrics;
    private Server otlpServer;
    private Server scalerServer;
    private HttpApiServer http;
    private HttpApiServer metricsHttp;
    /** The TLS ports' material (null: plaintext), and all of them for the reload tick and the self-metrics. */
    private ReloadingTls otlpTls;
    private ReloadingTls kedaTls;
    private ReloadingTls restTls;
    private ReloadingTls metricsTls;
    private final List<ReloadingTls> tlsPorts = new ArrayList<>();
    /** Started, not stopping, and past the window's warm-up; made once the store is open. */
    private volatile Readiness readiness;

    private KedaOtelScaler(Config config, TimeSource time, OptionalLong completeSinceMs) {
        this.config = config;
        this.time = time;
        this.givenCompleteSinceMs = completeSinceMs;
        int cores = Runtime.getRuntime().availableProcessors();
        // Bounded: each ingest thread keeps its own decoder scratch space and store appender.
        this.otlpExecutor = Executors.newFixedThreadPool(Math.max(2, cores * 2), daemon("otlp-grpc"));
        this.scalerExecutor = Executors.newFixedThreadPool(Math.max(2, cores * 2), daemon("keda-grpc"));
        this.otlpHttpExecutor = boundedPool("otlp-http", Math.max(2, cores), 64);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.grpcChannelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.grpcBoss = new MultiThreadIoEventLoopGroup(1, daemon("grpc-boss"), io);
        this.grpcWorkers = new MultiThreadIoEventLoopGroup(2 * cores, daemon("grpc-io"), io); // Netty's default size
        this.metricsHttpExecutor = boundedPool("metrics-http", 1, 8);
    }

    /** Starts the service on the system clocks. */
    public static KedaOtelScaler start(Config config) throws IOException {
        return start(config, TimeSource.system());
    }

    /** Starts the service on {@code time} (tests and the simulator pass a manual source). */
    public static KedaOtelScaler start(Config config, TimeSource time) throws IOException {
        return start(config, time, OptionalLong.empty());
    }

    /**
     * Starts the service on {@code time} with a window complete since {@code completeSinceMs} (empty: since the
     * store was opened), as a restored store would report it; tests of the warm-up use it.
     */
    static KedaOtelScaler start(Config config, TimeSource time, OptionalLong completeSinceMs) throws IOException {
        KedaOtelScaler app = new KedaOtelScaler(config, time, completeSinceMs);
        try {
            app.startAll();
        } catch (IOException | RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    private void startAll() throws IOException {
        // Certificates first: a file that cannot be used stops startup before anything is bound.
        otlpTls = loadTls("otlp", Setting.OTLP_TLS_CERT_FILE, Setting.OTLP_TLS_KEY_FILE, Setting.OTLP_TLS_CA_FILE);
        if (config.get(Setting.KEDA_TLS_ENABLED)) {
            kedaTls = loadTls("keda", Setting.KEDA_TLS_CERT_FILE, Setting.KEDA_TLS_KEY_FILE, Setting.KEDA_TLS_CA_FILE);
        }
        restTls = loadTls("rest_api", Setting.REST_API_TLS_CERT_FILE, Setting.REST_API_TLS_KEY_FILE, Setting.REST_API_TLS_CA_FILE);
        metricsTls = loadTls("internal_metrics", Setting.INTERNAL_METRICS_TLS_CERT_FILE, Setting.INTERNAL_METRICS_TLS_KEY_FILE,
                Setting.INTERNAL_METRICS_TLS_CA_FILE);
        if (!tlsPorts.isEmpty()) {
            long every = config.get(Setting.OTLP_CERTIFICATE_RELOAD_INTERVAL);
            maintenance.scheduleWithFixedDelay(this::reloadCertificates, every, every, TimeUnit.MILLISECONDS);
        }
        InetAddress bindAddress = config.get(Setting.BIND_ADDRESS);

        store = openStore(StoreConfig.builder()
                .retentionMs(config.retentionMs())
                .maxSeries(config.get(Setting.METRIC_STORE_MAX_SERIES))
                .maxSamplesPerSeries(config.get(Setting.METRIC_STORE_MAX_SAMPLES_PER_SERIES))
                .maxLabelsPerSeries(config.get(Setting.METRIC_STORE_MAX_LABELS_PER_SERIES))
                .maxLabelNameLength(config.get(Setting.METRIC_STORE_MAX_LABEL_NAME_LENGTH))
                .maxLabelValueLength(config.get(Setting.METRIC_STORE_MAX_LABEL_VALUE_LENGTH))
                .maxSeriesPerMetric(config.get(Setting.METRIC_STORE_MAX_SERIES_PER_METRIC))
                .maxFutureMs(config.get(Setting.METRIC_STORE_MAX_FUTURE_SECONDS) * 1000L)
                .outOfOrderWindowMs(config.get(Setting.METRIC_STORE_OUT_OF_ORDER_WINDOW_SECONDS) * 1000L)
                // Lazily decoded labels of a running query must stay readable: outlast the query timeout.
                .symbolGraceMs(config.get(Setting.QUERY_TIMEOUT_SECONDS) * 1000L + 10_000L)
                .dataDirectory(config.get(Setting.METRIC_STORE_DATA_DIR).orElse(null))
                .time(time)
                .build());
        maintenance.scheduleWithFixedDelay(this::expire, 1, 1, TimeUnit.SECONDS);

        // Since when the store's window is complete: a fresh store (no data dir, an empty one, or contents moved
        // aside) has everything sent from its opening on; a restored one keeps the value it persisted, so a
        // restart with its window answers at once and one without warms up.
        long completeSinceMs = givenCompleteSinceMs.orElse(store.restoreReport().completeSinceMs());
        readiness = new Readiness(new WarmUp(completeSinceMs, config.warmUpMs()), time, health, READINESS);
        maintenance.scheduleWithFixedDelay(readiness::check, Readiness.CHECK_MS, Readiness.CHECK_MS, TimeUnit.MILLISECONDS);

        engine = new QueryEngine(store, EngineConfig.builder()
                .lookbackDeltaMs(config.lookbackDeltaMs())
                .timeoutMs(config.get(Setting.QUERY_TIMEOUT_SECONDS) * 1000L)
                .maxSamples(config.get(Setting.QUERY_MAX_SAMPLES))
                .time(time)
                .build());

        selfMetrics = new SelfMetrics().bindJvm().bindStore(store).bindTls(tlsPorts);

        ReceiverStats receiverStats = new ReceiverStats(selfMetrics.latency());
        int maxMessage = config.get(Setting.OTLP_MAX_RECV_MSG_SIZE_BYTES);
        metadata = new MetricMetadataRegistry(config.retentionMs(), MetricMetadataRegistry.DEFAULT_MAX_ENTRIES);
        dev.kedaotel.model.OtlpTranslationStrategy naming = config.get(Setting.OTLP_TRANSLATION_STRATEGY);
        OtlpIngestor ingestor = OtlpIngestor.forStore(store, ReceiverConfig.builder()
                .translationStrategy(naming)
                .promotedResourceAttributes(config.get(Setting.OTLP_PROMOTE_RESOURCE_ATTRIBUTES))
                .promoteJobAndInstance(config.get(Setting.OTLP_PROMOTE_JOB_INSTANCE))
                .promoteAllResourceAttributes(config.get(Setting.OTLP_PROMOTE_ALL_RESOURCE_ATTRIBUTES))
                .ignoredResourceAttributes(config.get(Setting.OTLP_IGNORE_RESOURCE_ATTRIBUTES))
                .targetInfoEnabled(config.get(Setting.OTLP_TARGET_INFO_ENABLED))
                // Prometheus spaces target_info samples by half its lookback delta; so do we, with ours.
                .targetInfoIntervalMs(Math.max(1, config.lookbackDeltaMs() / 2))
                .maxMessageBytes(maxMessage)
                .seriesCacheSlots(config.get(Setting.OTLP_SERIES_CACHE_SLOTS))
                .maxBytesInFlight(config.get(Setting.OTLP_MAX_BYTES_IN_FLIGHT))
                .exponentialHistogramMaxBuckets(config.get(Setting.OTLP_EXPONENTIAL_HISTOGRAM_MAX_BUCKETS))
                .build(), receiverStats, metadata);
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
                .namespaceLabel(config.get(Setting.SCALED_OBJECT_NAMESPACE_LABEL))
                .translationStrategy(naming)
                .warmUp(readiness.warmUp())
                .time(time)
                .build(), new ScalerMetrics(selfMetrics.registry(), selfMetrics.latency()), maintenance);
        selfMetrics.bindScaler(scaler, standing).bindWarmUp(readiness.warmUp(), time);

        // grpc.health.v1.Health on both gRPC ports: "" and kedify's "liveness" / "readiness" names.
        health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        health.setStatus(LIVENESS, HealthCheckResponse.ServingStatus.SERVING);
        Server otlp = grpcServer(bindAddress, Setting.OTLP_RECEIVER_PORT, otlpTls)
                .addService(OtlpGrpcService.definition(ingestor))
                .addService(health.getHealthService())
                .bossEventLoopGroup(grpcBoss).workerEventLoopGroup(grpcWorkers).channelType(grpcChannelType)
                .maxInboundMessageSize(maxMessage)
                .executor(otlpExecutor)
                .build();
        otlpServer = bind(Setting.OTLP_RECEIVER_PORT, otlp::start);
        Server keda = grpcServer(bindAddress, Setting.KEDA_EXTERNAL_SCALER_PORT, kedaTls)
                .addService(scaler)
                .addService(health.getHealthService())
                .bossEventLoopGroup(grpcBoss).workerEventLoopGroup(grpcWorkers).channelType(grpcChannelType)
                .addService(ProtoReflectionServiceV1.newInstance())
                .executor(scalerExecutor)
                .build();
        scalerServer = bind(Setting.KEDA_EXTERNAL_SCALER_PORT, keda::start);

        // HTTP: queries run on their own bounded executor (admission control), OTLP/HTTP on the ingest
        // lane, health and readiness inline on Jetty's threads, so none of them waits behind another.
        int queryThreads = config.get(Setting.QUERY_MAX_CONCURRENCY);
        int queryQueue = config.get(Setting.QUERY_MAX_QUEUED);
        queryExecutor = boundedPool("query", queryThreads, queryQueue);
        HttpApiServer.Lane queries = new HttpApiServer.Lane("query", queryExecutor, MAX_FORM_BYTES, null, r -> HttpReplies.promError(r, 503,
                "unavailable", "too many queries: " + queryThreads + " running and " + queryQueue
                        + " queued (QUERY_MAX_CONCURRENCY, QUERY_MAX_QUEUED); retry later"));
        HttpApiServer.Lane ingest = new HttpApiServer.Lane("otlp-http", otlpHttpExecutor, maxMessage, ingestor.bytesInFlight(),
                r -> HttpReplies.text(r, 503, "OTLP/HTTP ingest is busy (OTLP_MAX_BYTES_IN_FLIGHT); retry later\n"));
        OtlpHttpHandler otlpHttp = new OtlpHttpHandler(ingestor);
        http = new HttpApiServer("api");
        String tokenFile = config.get(Setting.REST_API_BEARER_TOKEN_FILE);
        if (!tokenFile.isEmpty()) {
            BearerAuthGate auth = new BearerAuthGate(BearerTokens.load(java.nio.file.Path.of(tokenFile),
                    Setting.REST_API_BEARER_TOKEN_FILE.env(), time), Setting.REST_API_BEARER_TOKEN_FILE.env());
            http.gate(auth); // first: nothing else is looked at for a caller without a token
            selfMetrics.bindHttpAuth(auth);
        }
        http.gate(new JsonOnlyGate(MemstoreApi.STATE_CHANGING_PATHS));
        String namespaceLabel = config.get(Setting.SCALED_OBJECT_NAMESPACE_LABEL);
        new PrometheusApi(engine, store, time, config.get(Setting.QUERY_TIMEOUT_SECONDS) * 1000L, version(), namespaceLabel)
                .revision(revision())
                .metadata(metadata)
                .observer(selfMetrics.latency())
                .register(http, queries);
        new MemstoreApi(store, engine, time, config.retentionMs(), namespaceLabel, config.get(Setting.MEMSTORE_RESET_ENABLED))
                .translationStrategy(naming)
                .afterReset(() -> {
                    metadata.clear();
                    ingestor.forgetSeriesState();
                })
                .register(http, queries);
        http.route(OtlpHttpHandler.PATH, Set.of("POST"), ingest, r -> {
            HttpReply reply = otlpHttp.handle(r.header("Content-Type"), r.header("Content-Encoding"), r.bodyBytes(), maxMessage);
            HttpReplies.send(r, reply.status(), reply.contentType(), reply.body());
        });
        OpsApi ops = new OpsApi(store, standing, scaler, readiness::report, version(), this::ports, config.retentionMs());
        ops.register(http);
        // The status page's ingest rate: the receiver's stored-points counter sampled on the maintenance thread.
        IngestRate ingestRate = new IngestRate();
        maintenance.scheduleWithFixedDelay(() -> ingestRate.sample(time.wallMillis(), receiverStats.pointsStored()),
                0, 1, TimeUnit.SECONDS);
        new UiPages(new UiSources(scaler, standing, engine, store, receiverStats, ingestRate, readiness::report, time,
                config.retentionMs(), config.get(Setting.QUERY_TIMEOUT_SECONDS) * 1000L, namespaceLabel, naming, version()))
                .register(http, queries);
        bind(Setting.REST_API_PORT, () -> {
            http.start(bindAddress.getHostAddress(), config.get(Setting.REST_API_PORT), restTls);
            return http;
        });
        http.enforceRequestHeadDeadline(maintenance, time);

        metricsHttp = new HttpApiServer("metrics");
        metricsHttp.route("/metrics", Set.of("GET"), new HttpApiServer.Lane("metrics", metricsHttpExecutor, 0, null,
                r -> HttpReplies.text(r, 503, "busy\n")), r -> HttpReplies.send(r, 200,
                "text/plain; version=0.0.4; charset=utf-8", selfMetrics.scrape().getBytes(StandardCharsets.UTF_8)));
        ops.registerProbes(metricsHttp); // probes that work when the HTTP port requires client certificates
        bind(Setting.INTERNAL_METRICS_PORT, () -> {
            metricsHttp.start(bindAddress.getHostAddress(), config.get(Setting.INTERNAL_METRICS_PORT), metricsTls);
            return metricsHttp;
        });
        metricsHttp.enforceRequestHeadDeadline(maintenance, time);

        LOG.log(Level.INFO, "listening: OTLP/gRPC :{0}{6}, KEDA scaler :{1}{7}, HTTP :{2}{8} (Prometheus API, OTLP/HTTP /v1/metrics),"
                        + " self-metrics :{3}{9}, on {5}; retention {4}s",
                Integer.toString(otlpPort()), Integer.toString(scalerPort()), Integer.toString(httpPort()),
                Integer.toString(metricsPort()), Long.toString(config.retentionMs() / 1000), bindAddress.getHostAddress(),
                tlsLabel(otlpTls), tlsLabel(kedaTls), tlsLabel(restTls), tlsLabel(metricsTls));
        config.get(Setting.METRIC_STORE_WARM_UP_SECONDS).filter(s -> s * 1000L > config.retentionMs()).ifPresent(s ->
                LOG.log(Level.WARNING, "METRIC_STORE_WARM_UP_SECONDS=" + s + " is longer than the retention window ("
                        + config.retentionMs() / 1000 + " s), after which the window holds only samples received since the"
                        + " start: the warm-up is " + config.retentionMs() / 1000 + " s"));
        readiness.serving();
        if (!namespaceLabel.isEmpty()) {
            LOG.log(Level.INFO, "tenancy on: every ScaledObject query sees only series whose {0} label equals the ScaledObject''s"
                    + " namespace; HTTP API requests are scoped when they carry a namespace parameter"
                    + " (SCALED_OBJECT_NAMESPACE_LABEL)", namespaceLabel);
        }
    }

    private static String tlsLabel(ReloadingTls tls) {
        return tls == null ? "" : tls.clientAuth() ? " (mTLS)" : " (TLS)";
    }

    /**
     * The port's TLS material, checked now against the service's clock, or null when its certificate
     * setting is empty ({@link Config} has made sure the settings are complete).
     *
     * @throws Config.ConfigException naming the setting and file that cannot be used
     */
    private ReloadingTls loadTls(String port, Setting<String> cert, Setting<String> key, Setting<String> ca) {
        if (config.get(cert).isEmpty()) {
            return null;
        }
        TlsFiles files = new TlsFiles(port, cert.env(), config.get(cert), key.env(), config.get(key), ca.env(), config.get(ca));
        try {
            ReloadingTls tls = ReloadingTls.load(files, time);
            tlsPorts.add(tls);
            LOG.log(Level.INFO, "TLS on the {0} port: {1}, serial {2}, valid until {3}{4}", port, files.certFile(),
                    tls.serial().toString(16), java.time.Instant.ofEpochSecond((long) tls.expiryEpochSeconds()),
                    tls.clientAuth() ? "; client certificates required, CA " + files.caFile() : "");
            return tls;
        } catch (TlsFileException e) {
            throw new Config.ConfigException(e.getMessage());
        }
    }

    /**
     * One certificate reload tick for every TLS port (the maintenance thread runs it every
     * {@code OTLP_CERTIFICATE_RELOAD_INTERVAL}; tests call it directly). Never throws.
     */
    void reloadCertificates() {
        for (ReloadingTls tls : tlsPorts) {
            tls.reload();
        }
    }

    /**
     * A gRPC server builder on {@code address}:{@code port}, over TLS when {@code tls} is given, with the
     * keep-alive policy of {@link GrpcConnections}.
     */
    private NettyServerBuilder grpcServer(InetAddress address, Setting<Integer> port, ReloadingTls tls) throws IOException {
        NettyServerBuilder b = GrpcConnections.apply(NettyServerBuilder.forAddress(new InetSocketAddress(address, config.get(port))));
        if (tls != null) {
            b.sslContext(GrpcTls.serverContext(tls));
        }
        return b;
    }

    /** Something that binds a port. */
    private interface Binding<T> {
        T bind() throws IOException;
    }

    /** Binds, turning "address in use" into a message that names the port and the setting that chose it. */
    private <T> T bind(Setting<Integer> port, Binding<T> binding) throws IOException {
        try {
            return binding.bind();
        } catch (IOException e) {
            Throwable cause = e;
            while (cause != null && !(cause instanceof java.net.BindException)) {
                cause = cause.getCause();
            }
            if (cause == null) {
                throw e;
            }
            throw new IOException("port " + config.get(port) + " (" + port.env() + " / " + port.flag()
                    + ") cannot be bound on " + config.raw(Setting.BIND_ADDRESS) + " (BIND_ADDRESS): " + cause.getMessage()
                    + "; choose another port with that setting, or an address of this host", e);
        }
    }

    /**
     * Opens the store, restoring its window from METRIC_STORE_DATA_DIR when set, and logs what was found:
     * one info line, a warning when the directory's contents had to be moved aside. A directory that
     * cannot be used (not writable, locked by another process) stops startup naming the setting.
     */
    private static TimeSeriesStore openStore(StoreConfig storeConfig) throws IOException {
        TimeSeriesStore opened;
        try {
            opened = TimeSeriesStore.open(storeConfig);
        } catch (IllegalStateException e) {
            throw new IOException(Setting.METRIC_STORE_DATA_DIR.env() + " / " + Setting.METRIC_STORE_DATA_DIR.flag() + ": "
                    + e.getMessage(), e);
        }
        dev.kedaotel.tsdb.RestoreReport report = opened.restoreReport();
        switch (report.outcome()) {
            case DISABLED -> LOG.log(Level.DEBUG, "persistence off (METRIC_STORE_DATA_DIR unset)");
            case MOVED_ASIDE -> LOG.log(Level.WARNING, report.toString());
            default -> LOG.log(Level.INFO, report.toString());
        }
        return opened;
    }

    private void expire() {
        try {
            store.expire();
            if (metadata != null) {
                metadata.expire(time.wallMillis());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "retention pass failed; will retry", e);
        }
    }

    /** The bound ports by kedify's /info names, in display order. */
    private java.util.Map<String, Integer> ports() {
        java.util.Map<String, Integer> m = new java.util.LinkedHashMap<>();
        m.put("scalerPort", scalerPort());
        m.put("otlpPort", otlpPort());
        m.put("internalMetricsPort", metricsPort());
        m.put("restApiPort", httpPort());
        return m;
    }

    public static String version() {
        String v = KedaOtelScaler.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * The git commit this build was made from (12 hex digits, with {@code -dirty} when the working tree had
     * uncommitted changes), or "" when the build had no git checkout (a source tarball). Written into
     * {@code build.properties} by the build (server/pom.xml).
     */
    public static String revision() {
        return BuildRevision.VALUE;
    }

    /** Read once, on first use. */
    private static final class BuildRevision {
        static final String VALUE = read();

        private static String read() {
            java.util.Properties p = new java.util.Properties();
            try (java.io.InputStream in = KedaOtelScaler.class.getResourceAsStream("build.properties")) {
                if (in == null) {
                    return "";
                }
                p.load(in);
            } catch (IOException e) {
                return "";
            }
            String revision = p.getProperty("revision", "");
            if (revision.isEmpty() || revision.startsWith("${")) { // not filtered: no git checkout
                return "";
            }
            return "true".equals(p.getProperty("dirty")) ? revision + "-dirty" : revision;
        }
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

    /** The listening addresses of the four ports, in the order OTLP, KEDA, HTTP, self-metrics. */
    List<InetSocketAddress> boundAddresses() throws IOException {
        return List.of((InetSocketAddress) otlpServer.getListenSockets().get(0),
                (InetSocketAddress) scalerServer.getListenSockets().get(0), http.boundAddress(), metricsHttp.boundAddress());
    }

    public TimeSeriesStore store() {
        return store;
    }

    /** Started, not stopping, and past the window's warm-up (what {@code /readyz} and gRPC readiness say). */
    public boolean isReady() {
        Readiness r = readiness;
        return r != null && r.isReady();
    }

    /** Stops taking work as far as probes are concerned (HTTP and gRPC readiness), e.g. before exiting. */
    public void markNotReady() {
        Readiness r = readiness;
        if (r != null) {
            r.stopping();
        } else {
            health.setStatus(READINESS, HealthCheckResponse.ServingStatus.NOT_SERVING);
        }
    }

    /**
     * Graceful stop: not ready at once, refuse new calls, end the long-lived streams (KEDA reconnects
     * to another replica or after the restart), let in-flight calls finish within {@link #GRACE_MS},
     * then free everything. Idle, this takes milliseconds: nothing waits for a timer.
     */
    @Override
    public void close() {
        markNotReady();
        shutdown(otlpServer);
        shutdown(scalerServer);
        if (scaler != null) {
            scaler.close(); // completes open StreamIsActive calls, which would otherwise hold the grace period
        }
        awaitTermination(otlpServer);
        awaitTermination(scalerServer);
        io.grpc.netty.shaded.io.netty.util.concurrent.Future<?> workersDone = grpcWorkers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        io.grpc.netty.shaded.io.netty.util.concurrent.Future<?> bossDone = grpcBoss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workersDone.awaitUninterruptibly(3_000);
        bossDone.awaitUninterruptibly(3_000);
        if (http != null) {
            http.close();
        }
        if (metricsHttp != null) {
            metricsHttp.close();
        }
        if (standing != null) {
            standing.close();
        }
        maintenance.shutdownNow();
        otlpExecutor.shutdownNow();
        scalerExecutor.shutdownNow();
        if (queryExecutor != null) {
            queryExecutor.shutdownNow();
        }
        otlpHttpExecutor.shutdownNow();
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
    private static ExecutorService boundedPool(String name, int threads, int queued) {
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queued),
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
