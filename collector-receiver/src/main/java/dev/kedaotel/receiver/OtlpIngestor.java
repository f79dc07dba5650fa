package dev.kedaotel.receiver;

import dev.kedaotel.tsdb.MetricMetadataRegistry;
import dev.kedaotel.tsdb.TimeSeriesStore;
import java.util.Objects;
import dev.kedaotel.model.TimeSource;
import java.util.function.Supplier;

/**
 * The transport-neutral core of the receiver: takes the raw bytes of an
 * {@code ExportMetricsServiceRequest}, validates them, stores every data point, commits, and returns
 * the OTLP result. Used by {@link OtlpGrpcService} and {@link OtlpHttpHandler}.
 *
 * <p>Concurrency: any number of transport threads may call {@link #export} at once. Each thread gets
 * its own {@link Worker} (validator, mapper, scratch buffers and its own sink, i.e. its own tsdb
 * {@code Appender}) from a {@link ThreadLocal}, so the per-point path shares nothing mutable between
 * threads except the {@link SeriesCache} (lock-free, see there); the sink publishes to readers on
 * {@code commit()}, once per request. Workers live as long
 * as their thread, so transports should run on a bounded thread pool.
 */
public final class OtlpIngestor {
    private static final System.Logger LOG = System.getLogger(OtlpIngestor.class.getName());

    private final ReceiverConfig config;
    private final ReceiverStats stats;
    private final TimeSource time;
    private final ThreadLocal<Worker> workers;
    private final SeriesCache seriesCache;
    private final BytesInFlight bytesInFlight;
    /** The exponential histograms' grids, shared by the workers: a series' points may reach any of them. */
    private final ExponentialGrids grids;

    /**
     * @param sinks creates one sink per ingest thread (called on that thread's first request)
     * @param time arrival time, used for points with a zero timestamp; its monotonic clock times each Export
     */
    public OtlpIngestor(ReceiverConfig config, ReceiverStats stats, Supplier<? extends IngestSink> sinks,
                        TimeSource time) {
        this(config, stats, sinks, time, null);
    }

    /**
     * @param sinks creates one sink per ingest thread (called on that thread's first request)
     * @param time arrival time, used for points with a zero timestamp; its monotonic clock times each Export
     * @param metadata where each metric family's type, help and unit are recorded; null to keep none
     */
    public OtlpIngestor(ReceiverConfig config, ReceiverStats stats, Supplier<? extends IngestSink> sinks,
                        TimeSource time, MetricMetadataRegistry metadata) {
        this.config = Objects.requireNonNull(config, "config");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.bytesInFlight = new BytesInFlight(config.maxBytesInFlight());
        this.time = Objects.requireNonNull(time, "time");
        Objects.requireNonNull(sinks, "sinks");
        // One cache for all workers: they write into the same store, and per-worker caches would cost
        // their memory once per thread.
        SeriesCache cache = config.seriesCacheSlots() > 0 ? new SeriesCache(config.seriesCacheSlots()) : null;
        this.seriesCache = cache;
        // Likewise one table of exponential histogram grids: a series' points may reach any worker.
        this.grids = new ExponentialGrids(config.exponentialHistogramMaxBuckets());
        this.workers = ThreadLocal.withInitial(() -> new Worker(config, sinks.get(), cache, grids, metadata));
    }

    /** An ingestor writing into {@code store}, using the store's clock for arrival time. */
    public static OtlpIngestor forStore(TimeSeriesStore store, ReceiverConfig config, ReceiverStats stats) {
        return new OtlpIngestor(config, stats, () -> new StoreSink(store), store.config().time());
    }

    /** An ingestor writing into {@code store} and recording metric metadata in {@code metadata}. */
    public static OtlpIngestor forStore(TimeSeriesStore store, ReceiverConfig config, ReceiverStats stats,
                                        MetricMetadataRegistry metadata) {
        return new OtlpIngestor(config, stats, () -> new StoreSink(store), store.config().time(), metadata);
    }

    /**
     * Forgets what the receiver remembers about series beyond the store (the exponential histograms'
     * grids and delta counts); call it after the store was emptied, so returning series start afresh.
     */
    public void forgetSeriesState() {
        grids.forgetAll();
    }

    public ReceiverConfig config() {
        return config;
    }

    /** The request bytes both transports may hold at once ({@link ReceiverConfig#maxBytesInFlight()}). */
    public BytesInFlight bytesInFlight() {
        return bytesInFlight;
    }

    public ReceiverStats stats() {
        return stats;
    }

    /** The shared series cache, or null when disabled (tests, diagnostics). */
    SeriesCache seriesCache() {
        return seriesCache;
    }

    /**
     * Validates and stores one request. On {@link MalformedOtlpException} nothing was stored. Its duration,
     * malformed requests included, goes to the stats' {@link ReceiverStats.ExportTimer}.
     */
    public ExportResult export(byte[] request, int off, int len, ReceiverStats.Transport transport)
            throws MalformedOtlpException {
        Objects.checkFromIndexSize(off, len, request.length);
        long started = time.monotonicNanos();
        try {
            return store(request, off, len, transport);
        } finally {
            stats.recordDuration(transport, time.monotonicNanos() - started);
        }
    }

    private ExportResult store(byte[] request, int off, int len, ReceiverStats.Transport transport)
            throws MalformedOtlpException {
        stats.recordRequest(transport);
        Worker w = workers.get();
        try {
            w.validator.validate(request, off, len);
        } catch (MalformedOtlpException e) {
            stats.recordMalformed();
            throw e;
        }
        RejectionTally tally = w.tally;
        tally.reset();
        try {
            w.mapper.map(request, off, len, time.wallMillis(), tally);
        } catch (MalformedOtlpException e) {
            // Cannot happen: the mapper reads only what the validator accepted.
            LOG.log(System.Logger.Level.ERROR, "validated OTLP request failed to decode", e);
            stats.recordMalformed();
            throw e;
        } finally {
            // Publish whatever was written, also when the sink failed part-way (e.g. store closed).
            w.sink.commit();
        }
        stats.record(tally);
        return ExportResult.of(tally.rejected(), tally.message());
    }

    public ExportResult export(byte[] request, ReceiverStats.Transport transport) throws MalformedOtlpException {
        return export(request, 0, request.length, transport);
    }

    /** Everything one ingest thread needs, reused across its requests. */
    private static final class Worker {
        final IngestSink sink;
        final RequestValidator validator = new RequestValidator();
        final MetricMapper mapper;
        final RejectionTally tally = new RejectionTally();

        Worker(ReceiverConfig config, IngestSink sink, SeriesCache cache, ExponentialGrids grids,
                MetricMetadataRegistry metadata) {
            this.sink = sink;
            this.mapper = new MetricMapper(config, sink, cache, grids, metadata);
        }
    }
}
