package dev.kedaotel.receiver;

import dev.kedaotel.tsdb.AppendResult;
import dev.kedaotel.tsdb.MetricMetadataRegistry;

/**
 * Writes the {@code target_info} series of each resource, as Prometheus' OTLP receiver does, so that
 * {@code * on (job, instance) group_left (k8s_cluster_name) target_info} joins work: value 1, labels
 * {@code job} and {@code instance} (from {@code service.*}, as on the resource's series) plus every other
 * resource attribute under its label name ({@link NameSymbols}; keys that collide are joined with
 * {@code ;} like point attributes). Like Prometheus' translator (which clears the promotion list for it),
 * promoted attributes are kept here too: a {@code group_left (x)} copies {@code x} from the right side
 * and drops it when {@code target_info} lacks it, so the join must find every attribute in
 * {@code target_info} whether or not it is also promoted. Written only for a resource that has
 * {@code service.name} or {@code service.instance.id} and at least one other attribute, and some of
 * whose points were stored.
 *
 * <h2>Timestamps</h2>
 * After the resource's points: at the latest timestamp they stored a sample at, and, as Prometheus 3.6+,
 * every {@link ReceiverConfig#targetInfoIntervalMs()} from the earliest one (half the lookback delta), so
 * every evaluation step between them finds a {@code target_info} sample within the lookback. An export
 * whose points share one timestamp (the SDKs' case) writes one sample. {@code target_info} is thus as
 * fresh as the resource's newest series, and goes stale with it.
 *
 * <h2>Cost and outcomes</h2>
 * Once per resource per export, never per point. Keyed in the shared {@link SeriesCache} by the
 * resource's attribute bytes (the metric slot holds {@code target_info}, the extra label slot
 * {@code __name__=target_info}, which no data point uses), so an unchanged resource appends by handle
 * without interning anything. A sample the store refuses because of its time (duplicate, out of order,
 * too old) is dropped silently: {@code target_info} is synthetic and the next export refreshes it. One
 * refused for a limit (too many labels, a name or value too long, a series limit) is reported as a
 * warning in the partial-success message ({@link RejectionTally#rejectTargetInfo}); the resource's points
 * are stored either way. Not thread-safe; one per ingest worker.
 */
final class TargetInfo {
    /** Bound of the samples one resource's target_info gets per export (the span is bounded by the store's window anyway). */
    static final int MAX_SAMPLES_PER_EXPORT = 64;

    private final boolean enabled;
    /** Where target_info's metadata is recorded (Prometheus: a gauge, "Target metadata"); null to keep none. */
    private final MetricMetadataRegistry metadata;
    /** This worker's registry entry for target_info, touched per write; re-recorded once dropped. */
    private MetricMetadataRegistry.Entry metadataEntry;
    private final long intervalMs;
    private final IngestSink sink;
    private final ResourceLabels resource;
    private final PointAttributes attrs;
    /** Null when the sink does not append by handle or the cache is disabled. */
    private final SeriesCacheClient cache;
    private final int maxLabels;
    private final int nameLabel;
    private final int metricName;
    private final int jobLabel;
    private final int instanceLabel;

    /** @param attrs this writer's own (not shared with the point path) */
    TargetInfo(ReceiverConfig config, IngestSink sink, ResourceLabels resource, PointAttributes attrs,
               SeriesCacheClient cache, MetricMetadataRegistry metadata) {
        this.metadata = metadata;
        this.enabled = config.targetInfoEnabled();
        this.intervalMs = config.targetInfoIntervalMs();
        this.sink = sink;
        this.resource = resource;
        this.attrs = attrs;
        this.cache = sink.appendsByHandle() ? cache : null;
        this.maxLabels = sink.maxLabelsPerSeries();
        this.nameLabel = sink.internPermanent("__name__");
        this.metricName = sink.internPermanent("target_info");
        this.jobLabel = sink.internPermanent("job");
        this.instanceLabel = sink.internPermanent("instance");
    }

    /**
     * Writes the current resource's {@code target_info} (after its points, whose stored samples spanned
     * {@code [earliestMs, latestMs]}; latest {@code Long.MIN_VALUE}: none) from the request bytes {@code buf}.
     */
    void write(byte[] buf, long earliestMs, long latestMs, RejectionTally tally) throws MalformedOtlpException {
        if (!enabled || latestMs == Long.MIN_VALUE) {
            return;
        }
        int job = resource.job();
        int instance = resource.instance();
        ResourceAttributes a = resource.attributes();
        if (job < 0 && instance < 0 || a.nonIdentifyingCount() == 0) {
            return; // Prometheus: no identifier to join on, or nothing beyond job and instance to tell
        }
        int n = 0;
        long handle = -1;
        for (long ts = earliestMs; ; ts += intervalMs) {
            if (ts >= latestMs || ++n >= MAX_SAMPLES_PER_EXPORT) {
                ts = latestMs;
            }
            int result;
            if (handle >= 0) {
                result = sink.appendTo(handle, ts, 1.0);
                if (result == IngestSink.HANDLE_DEAD) {
                    handle = -1;
                }
            } else {
                result = IngestSink.HANDLE_DEAD;
            }
            if (handle < 0) {
                result = n <= 1 ? first(buf, a, job, instance, ts) : appendByLabels(buf, a, job, instance, ts);
                handle = sink.appendsByHandle() && !isLimit(result) ? sink.lastHandle() : -1;
            }
            if (isLimit(result)) {
                tally.rejectTargetInfo(result, describe(job, instance));
                return;
            }
            if (ts == latestMs) {
                recordMetadata(latestMs);
                return;
            }
        }
    }

    /** Keeps {@code target_info} listed by /api/v1/metadata while it is written, as Prometheus lists it. */
    private void recordMetadata(long nowMs) {
        if (metadata != null && (metadataEntry == null || !metadataEntry.touch(nowMs))) {
            metadataEntry = metadata.record("target_info", "gauge", "Target metadata", "", nowMs);
        }
    }

    /** The first sample: by cached handle when the cache knows this resource's target_info, else by labels (then cached). */
    private int first(byte[] buf, ResourceAttributes a, int job, int instance, long ts) throws MalformedOtlpException {
        if (cache == null || !a.contiguous() || !SeriesCache.cacheable(a.end() - a.start()) || !cache.enabled()) {
            return appendByLabels(buf, a, job, instance, ts);
        }
        int off = a.start();
        int len = a.end() - off;
        long hash = CacheKeys.attributeHash(buf, off, len);
        long handle = cache.get(hash, metricName, nameLabel, metricName, buf, off, len);
        int result = handle != SeriesCache.NONE ? sink.appendTo(handle, ts, 1.0) : IngestSink.HANDLE_DEAD;
        if (result == IngestSink.HANDLE_DEAD) {
            result = appendByLabels(buf, a, job, instance, ts);
            long h = isLimit(result) ? -1 : sink.lastHandle();
            if (h >= 0) {
                cache.put(hash, metricName, nameLabel, metricName, buf, off, len, h);
            } else {
                cache.forget();
            }
        }
        cache.resolved();
        return result;
    }

    private int appendByLabels(byte[] buf, ResourceAttributes a, int job, int instance, long ts)
            throws MalformedOtlpException {
        // Counted on the wire before anything is interned, as for a data point's attributes.
        if (a.nonIdentifyingCount() + 1 + (job >= 0 ? 1 : 0) + (instance >= 0 ? 1 : 0) > maxLabels) {
            return AppendResult.TOO_MANY_LABELS;
        }
        attrs.clear();
        for (int i = 0; i < a.count(); i++) {
            if (a.identifying(i)) {
                continue;
            }
            int rejection = attrs.add(buf, a.keyOffset(i), a.keyLength(i), a.valueStart(i), a.valueEnd(i));
            if (rejection != 0) {
                return rejection;
            }
        }
        attrs.joinCollisions(buf);
        sink.clearLabels();
        attrs.addTo(sink);
        // job and instance are added last: they win over attributes of those names, as in Prometheus.
        if (job >= 0) {
            sink.addLabel(jobLabel, job);
        }
        if (instance >= 0) {
            sink.addLabel(instanceLabel, instance);
        }
        sink.addLabel(nameLabel, metricName);
        return sink.append(ts, 1.0);
    }

    /** A refusal because of the series' labels or a series limit, not because of its time. */
    private static boolean isLimit(int result) {
        return switch (result) {
            case AppendResult.TOO_MANY_LABELS, AppendResult.LABEL_NAME_TOO_LONG, AppendResult.LABEL_VALUE_TOO_LONG,
                    AppendResult.SERIES_LIMIT, AppendResult.SERIES_PER_METRIC_LIMIT, AppendResult.STALE_SYMBOL -> true;
            default -> false;
        };
    }

    private String describe(int job, int instance) {
        StringBuilder sb = new StringBuilder("resource");
        if (job >= 0) {
            sb.append(" job=\"").append(sink.symbol(job)).append('"');
        }
        if (instance >= 0) {
            sb.append(" instance=\"").append(sink.symbol(instance)).append('"');
        }
        return sb.toString();
    }
}
