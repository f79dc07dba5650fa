package dev.kedaotel.server.metrics;

import dev.kedaotel.model.TimeSource;
import dev.kedaotel.scaler.WarmUp;

import dev.kedaotel.receiver.ReceiverStats;
import dev.kedaotel.scaler.ExternalScalerService;
import dev.kedaotel.server.http.BearerAuthGate;
import dev.kedaotel.server.tls.ReloadingTls;
import dev.kedaotel.query.standing.StandingQueries;
import dev.kedaotel.tsdb.AppendResult;
import dev.kedaotel.tsdb.TimeSeriesStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;

/**
 * The service's own metrics, served on the internal metrics port. Modules keep plain counters
 * (LongAdders, store counts) and know nothing of Micrometer; this class binds them as function
 * counters and gauges read at scrape time, so the hot paths never touch a meter. The latency
 * histograms are the exception: {@link LatencyMetrics}, recorded through the modules' observer
 * interfaces into meters resolved up front.
 *
 * <p>The exposition passes {@code promtool check metrics} (a test runs it): counters end in {@code _total},
 * units are spelled out, label names are snake_case, every family has help text; JVM meters whose
 * Micrometer names break those rules are renamed or replaced ({@link #PROMTOOL_FILTER}), and the process
 * metrics carry the standard Prometheus client names ({@link ProcessMetrics}). Families are listed in the
 * README's self-metrics table (checked by a test).
 */
public final class SelfMetrics implements AutoCloseable {
    public static final String PREFIX = "keda_otel_scaler_";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LatencyMetrics latency = new LatencyMetrics(registry);
    /** Held here: Micrometer's gauges keep only a weak reference to the object they read. */
    private final ProcessMetrics process = new ProcessMetrics(java.nio.file.Path.of("/proc"));
    private JvmGcMetrics gcMetrics;
    private TimeSeriesStore store;
    /** Metric names that have a series_limit_rejections counter (at most 101: the store bounds them). */
    private final java.util.Set<String> seriesLimitMetrics = new java.util.HashSet<>();

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Micrometer's processor binder names two meters against Prometheus' conventions: {@code process.cpu.time}
     * becomes {@code process_cpu_time_ns_total} (an abbreviated unit; {@link ProcessMetrics} exports the standard
     * {@code process_cpu_seconds_total} instead) and {@code system.cpu.count} ends in {@code _count}, reserved for
     * histograms and summaries (it is Runtime.availableProcessors(): renamed {@code jvm_available_processors}).
     */
    static final MeterFilter PROMTOOL_FILTER = new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
            return id.getName().equals("process.cpu.time") ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
            return id.getName().equals("system.cpu.count") ? id.withName("jvm.available.processors") : id;
        }
    };

    public SelfMetrics() {
        registry.config().meterFilter(PROMTOOL_FILTER);
        // An info metric of the Prometheus client itself: Micrometer would strip a gauge's "_info" suffix.
        Info buildInfo = Info.builder()
                .name(PREFIX + "build_info")
                .help("A metric with a constant '1' value labeled by version, revision and javaversion from which keda-otel-scaler was built")
                .labelNames("version", "revision", "javaversion")
                .register(registry.getPrometheusRegistry());
        buildInfo.addLabelValues(dev.kedaotel.server.KedaOtelScaler.version(), dev.kedaotel.server.KedaOtelScaler.revision(),
                System.getProperty("java.version"));
    }

    /** JVM memory, GC, threads, classes, processors, and the process metrics from /proc (Linux). */
    public SelfMetrics bindJvm() {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        // Not Micrometer's UptimeMetrics: ProcessMetrics has process_start_time_seconds (uptime is time() minus it).
        process.bindTo(registry);
        return this;
    }

    /** The latency histograms; the composition root hands them to the receiver, the scaler and the HTTP API. */
    public LatencyMetrics latency() {
        return latency;
    }

    public SelfMetrics bindStore(TimeSeriesStore store) {
        FunctionCounter.builder(PREFIX + "points_stored", store, s -> s.appendCount(AppendResult.APPENDED))
                .description("Samples appended to the window store").register(registry);
        FunctionCounter.builder(PREFIX + "points_duplicate", store, s -> s.appendCount(AppendResult.DUPLICATE))
                .description("Samples ignored because the series already had a sample at that timestamp (exporter retries)").register(registry);
        for (int code = 0; code < AppendResult.COUNT; code++) {
            if (!AppendResult.isRejection(code)) {
                continue;
            }
            final int c = code;
            FunctionCounter.builder(PREFIX + "points_rejected", store, s -> s.appendCount(c))
                    .tag("reason", AppendResult.describe(code))
                    .description("Samples the store refused, by reason").register(registry);
        }
        this.store = store;
        Gauge.builder(PREFIX + "active_series", store, TimeSeriesStore::seriesCount)
                .description("Series with a sample inside the retention window").register(registry);
        Gauge.builder(PREFIX + "ring_reserved", store, TimeSeriesStore::ringBytesReserved)
                .baseUnit("bytes").description("Off-heap memory reserved for sample rings").register(registry);
        FunctionCounter.builder(PREFIX + "points_out_of_order_stored", store, TimeSeriesStore::outOfOrderAppended)
                .description("Samples stored although older than their series' newest (within METRIC_STORE_OUT_OF_ORDER_WINDOW_SECONDS; also in points_stored)")
                .register(registry);
        Gauge.builder(PREFIX + "out_of_order_buffered_samples", store, TimeSeriesStore::outOfOrderSamples)
                .description("Out-of-order samples held in per-series out-of-order buffers").register(registry);
        Gauge.builder(PREFIX + "out_of_order_buffer_bytes", store, TimeSeriesStore::outOfOrderBytes)
                .baseUnit("bytes").description("Heap memory of the per-series out-of-order buffers").register(registry);
        // Persistence (METRIC_STORE_DATA_DIR): what the start restored, and whether writing it degraded since.
        Gauge.builder(PREFIX + "store_restore_duration", store, s -> s.restoreReport().durationMs() / 1000.0)
                .baseUnit("seconds").description("Time opening the store's data directory took at start (0 without one)")
                .register(registry);
        Gauge.builder(PREFIX + "store_restored_series", store, s -> s.restoreReport().seriesRestored())
                .description("Series restored from the data directory at start").register(registry);
        Gauge.builder(PREFIX + "store_restore_dropped_series", store, s -> s.restoreReport().seriesDroppedAgedOut())
                .tag("reason", "aged_out").description("Persisted series not restored at start, by reason").register(registry);
        Gauge.builder(PREFIX + "store_restore_dropped_series", store, s -> s.restoreReport().seriesDroppedDamaged())
                .tag("reason", "damaged").description("Persisted series not restored at start, by reason").register(registry);
        Gauge.builder(PREFIX + "store_persistence_degraded", store, s -> s.persistenceDegraded() ? 1 : 0)
                .description("1 when persistence degraded (a page file or journal record could not be written, e.g. a full"
                        + " disk): samples are still stored, in memory, but not restored after the next restart")
                .register(registry);
        Gauge.builder(PREFIX + "store_moved_aside", store, s -> s.restoreReport().outcome() == dev.kedaotel.tsdb.RestoreReport.Outcome.MOVED_ASIDE ? 1 : 0)
                .description("1 when the data directory's contents were corrupt or incompatible at start and moved aside").register(registry);
        return this;
    }

    /**
     * {@code http_unauthorized_requests_total{reason="missing|invalid"}}: HTTP API requests refused for
     * having no bearer token, or one that is not accepted (REST_API_BEARER_TOKEN_FILE).
     */
    public SelfMetrics bindHttpAuth(BearerAuthGate gate) {
        // The gate is held by the HTTP server; Micrometer keeps only a weak reference to it.
        FunctionCounter.builder(PREFIX + "http_unauthorized_requests", gate, BearerAuthGate::missing)
                .tag("reason", "missing").description("HTTP API requests refused with 401, by reason").register(registry);
        FunctionCounter.builder(PREFIX + "http_unauthorized_requests", gate, BearerAuthGate::invalid)
                .tag("reason", "invalid").description("HTTP API requests refused with 401, by reason").register(registry);
        return this;
    }

    public SelfMetrics bindReceiver(ReceiverStats stats) {
        for (ReceiverStats.Transport t : ReceiverStats.Transport.values()) {
            FunctionCounter.builder(PREFIX + "otlp_requests", stats, s -> s.requests(t))
                    .tag("transport", t.name().toLowerCase(java.util.Locale.ROOT))
                    .description("OTLP export requests received").register(registry);
        }
        FunctionCounter.builder(PREFIX + "otlp_points_received", stats, ReceiverStats::pointsReceived)
                .description("Data points decoded from OTLP requests").register(registry);
        FunctionCounter.builder(PREFIX + "otlp_malformed_requests", stats, ReceiverStats::malformedRequests)
                .description("OTLP requests refused as malformed (INVALID_ARGUMENT / 400)").register(registry);
        FunctionCounter.builder(PREFIX + "otlp_oversized_requests", stats, ReceiverStats::oversizedRequests)
                .description("OTLP requests refused for size (RESOURCE_EXHAUSTED / 413)").register(registry);
        for (String reason : ReceiverStats.rejectionReasons()) {
            FunctionCounter.builder(PREFIX + "otlp_points_rejected", stats, s -> s.rejected(reason))
                    .tag("reason", reason).description("Data points reported back as rejected in OTLP partial success").register(registry);
        }
        return this;
    }

    public SelfMetrics bindScaler(ExternalScalerService scaler, StandingQueries standing) {
        Gauge.builder(PREFIX + "standing_queries", standing, StandingQueries::size)
                .description("Distinct compiled queries kept for ScaledObjects").register(registry);
        Gauge.builder(PREFIX + "scaled_objects", scaler, ExternalScalerService::scaledObjectCount)
                .description("ScaledObjects KEDA asked about within the idle timeout").register(registry);
        Gauge.builder(PREFIX + "is_active_streams", scaler, ExternalScalerService::openIsActiveStreams)
                .description("Open StreamIsActive streams").register(registry);
        return this;
    }

    /**
     * {@code warm_up_remaining_seconds}: seconds until the window's warm-up is over (readiness turns true
     * and every query is answered), rounded up; 0 once it is.
     */
    public SelfMetrics bindWarmUp(WarmUp warmUp, TimeSource time) {
        Gauge.builder(PREFIX + "warm_up_remaining_seconds", warmUp, w -> WarmUp.seconds(w.remainingMs(time.wallMillis())))
                .description("Seconds until the window is warm (METRIC_STORE_WARM_UP_SECONDS); until then KEDA's GetMetrics"
                        + " and IsActive answer UNAVAILABLE for queries reading further back and readiness is false")
                .register(registry);
        return this;
    }

    /**
     * Per TLS port ({@code port} = otlp, keda, rest_api, internal_metrics): certificate reloads by result,
     * the installed certificate's expiry, and how often an installed certificate was found expired.
     */
    public SelfMetrics bindTls(java.util.List<ReloadingTls> ports) {
        for (ReloadingTls tls : ports) {
            FunctionCounter.builder(PREFIX + "tls_certificate_reloads", tls, ReloadingTls::reloadsSucceeded)
                    .tag("port", tls.port()).tag("result", "ok")
                    .description("Certificate reloads: changed files installed (ok) or refused, keeping the previous certificate (error)")
                    .register(registry);
            FunctionCounter.builder(PREFIX + "tls_certificate_reloads", tls, ReloadingTls::reloadsFailed)
                    .tag("port", tls.port()).tag("result", "error")
                    .description("Certificate reloads: changed files installed (ok) or refused, keeping the previous certificate (error)")
                    .register(registry);
            Gauge.builder(PREFIX + "tls_certificate_expiry_timestamp_seconds", tls, ReloadingTls::expiryEpochSeconds)
                    .tag("port", tls.port())
                    .description("When the certificate the port presents expires (notAfter), in Unix seconds").register(registry);
            FunctionCounter.builder(PREFIX + "tls_certificate_expired", tls, ReloadingTls::expiredCount)
                    .tag("port", tls.port())
                    .description("Times the certificate the port presents was found expired at a reload tick (once per certificate)")
                    .register(registry);
        }
        return this;
    }

    /** Prometheus text exposition of everything registered. */
    public String scrape() {
        registerSeriesLimitCounters();
        return registry.scrape();
    }

    /**
     * One counter per metric name whose new series the store refused at a series cap (the store keeps at
     * most 100 names plus {@code _other_}), registered when the name first appears.
     */
    private synchronized void registerSeriesLimitCounters() {
        if (store == null) {
            return;
        }
        for (String metric : store.seriesLimitRejections().keySet()) {
            if (seriesLimitMetrics.add(metric)) {
                TimeSeriesStore s = store;
                FunctionCounter.builder(PREFIX + "series_limit_rejections", s, st -> st.seriesLimitRejections(metric))
                        .tag("metric", metric)
                        .description("Samples refused because the series cap or the per-metric series cap was full, by metric name")
                        .register(registry);
            }
        }
    }

    @Override
    public void close() {
        if (gcMetrics != null) {
            gcMetrics.close();
        }
        registry.close();
    }
}
