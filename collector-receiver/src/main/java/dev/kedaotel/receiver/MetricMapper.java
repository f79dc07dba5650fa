package dev.kedaotel.receiver;

import dev.kedaotel.receiver.OtlpSchema.ExponentialHistogram;
import dev.kedaotel.receiver.OtlpSchema.ExportMetricsServiceRequest;
import dev.kedaotel.receiver.OtlpSchema.Gauge;
import dev.kedaotel.receiver.OtlpSchema.Histogram;
import dev.kedaotel.receiver.OtlpSchema.Metric;
import dev.kedaotel.receiver.OtlpSchema.ResourceMetrics;
import dev.kedaotel.receiver.OtlpSchema.ScopeMetrics;
import dev.kedaotel.receiver.OtlpSchema.Sum;
import dev.kedaotel.receiver.OtlpSchema.Summary;
import dev.kedaotel.model.OtlpMetricType;
import dev.kedaotel.tsdb.AppendResult;
import dev.kedaotel.tsdb.MetricMetadataRegistry;

/**
 * The storing pass: walks a request that {@link RequestValidator} accepted down to its metrics and
 * hands each metric's data points to the {@link DataPointWalker}, which writes them as Prometheus-style
 * series into an {@link IngestSink}, straight from the wire bytes. This class owns the request's
 * structure: each {@code ResourceMetrics}' labels ({@link ResourceLabels}, taken into the series cache
 * key by {@link PointWriter}) and, after its points, its {@code target_info} ({@link TargetInfo}), each
 * metric's name, unit, description and the type in its {@code data} oneof, which picks the
 * {@link PointKind} (its Javadoc lists the series each type becomes). The family name the series get
 * comes from {@link MetricNames} (the translation strategy; it also records the family's metadata). A
 * metric without a type, with an empty name (also when the strategy leaves nothing of it) or with a name
 * longer than the sink's label value limit is rejected whole.
 *
 * <p>Protobuf does not fix field order, so messages whose meaning depends on a later field (a metric's
 * name and type, a resource that follows its scope metrics) are scanned twice; scanning is cheap and
 * allocation-free. Not thread-safe; one per ingest worker, bound to its sink.
 */
final class MetricMapper {
    private final ProtoCursor c = new ProtoCursor();
    private final AttributeValues values;
    private final ResourceLabels resource;
    private final NameSymbols names;
    private final MetricNames metricNames;
    private final PointWriter writer;
    private final TargetInfo targetInfo;
    private final DataPointWalker walker;
    private final PointKind gauge = new PointKind.Numbers(Gauge.DATA_POINTS_TAG, 0);
    private final PointKind sum = new PointKind.Numbers(Sum.DATA_POINTS_TAG, Sum.AGGREGATION_TEMPORALITY_TAG);
    private final PointKind histogram;
    private final PointKind exponentialHistogram;
    private final PointKind summary;
    /** The sink's label value limit, which the metric name (the {@code __name__} value) must keep to. */
    private final int maxValueBytes;
    private final IngestSink sink;
    private final FloatLabels floats = new FloatLabels();
    /** The sink's {@link IngestSink#symbolsFreed()} when this worker's symbol caches were last valid. */
    private long symbolsFreed;

    // The readers of the nested messages, created once so that walking a request allocates nothing.
    private final MessageReader resourceMetrics = this::resourceMetrics;
    private final MessageReader resourceReader = this::resource;
    private final MessageReader scopeMetrics = this::scopeMetrics;
    private final MessageReader metric = this::metric;

    // Per request state.
    private RejectionTally tally;
    private long nowMs;

    /** @param cache shared by the ingestor's workers; null when disabled */
    MetricMapper(ReceiverConfig config, IngestSink sink, SeriesCache cache) {
        this(config, sink, cache, new ExponentialGrids(config.exponentialHistogramMaxBuckets()), null);
    }

    /**
     * @param cache shared by the ingestor's workers; null when disabled
     * @param grids the exponential histograms' grids, shared by the ingestor's workers
     * @param metadata where the families' type, help and unit are recorded; null to keep none
     */
    MetricMapper(ReceiverConfig config, IngestSink sink, SeriesCache cache, ExponentialGrids grids,
            MetricMetadataRegistry metadata) {
        this.values = new AttributeValues(sink);
        this.names = new NameSymbols(sink, config.translationStrategy());
        this.resource = new ResourceLabels(config, sink, values, names);
        this.metricNames = new MetricNames(config.translationStrategy(), metadata);
        SeriesCacheClient client = cache == null ? null : cache.client();
        this.writer = new PointWriter(c, sink, resource, new PointAttributes(sink, values, names), client);
        this.targetInfo = new TargetInfo(config, sink, resource, new PointAttributes(sink, values, names), client,
                metadata);
        this.walker = new DataPointWalker(c, writer);
        this.histogram = new PointKind.Histograms(Histogram.DATA_POINTS_TAG, Histogram.AGGREGATION_TEMPORALITY_TAG,
                sink, floats);
        this.exponentialHistogram = new PointKind.ExponentialHistograms(ExponentialHistogram.DATA_POINTS_TAG,
                ExponentialHistogram.AGGREGATION_TEMPORALITY_TAG, sink, floats, grids);
        this.summary = new PointKind.Summaries(Summary.DATA_POINTS_TAG, sink, floats);
        this.maxValueBytes = sink.maxLabelValueLength();
        this.sink = sink;
        this.symbolsFreed = sink.symbolsFreed();
    }

    /** Stores the points of a validated request; {@code nowMs} replaces zero timestamps. */
    void map(byte[] buf, int off, int len, long nowMs, RejectionTally tally) throws MalformedOtlpException {
        this.tally = tally;
        this.nowMs = nowMs;
        long freed = sink.symbolsFreed();
        if (freed != symbolsFreed) {
            // Symbols were freed: a cached id may name nothing now (constants are permanent, the series
            // cache checks its handles). A request takes far less than the grace period a free waits.
            symbolsFreed = freed;
            names.forgetSymbols();
            floats.clear();
            resource.forgetSymbols();
        }
        c.reset(buf, off, len);
        try {
            forEach(ExportMetricsServiceRequest.RESOURCE_METRICS_TAG, resourceMetrics);
        } finally {
            c.release();
            values.release();
            names.release();
            this.tally = null;
        }
    }

    /** A reader of the message at the cursor (whose range is the message). */
    @FunctionalInterface
    private interface MessageReader {
        void read() throws MalformedOtlpException;
    }

    /** Calls {@code reader} on each field with tag {@code tag} in the cursor's range (a message), skipping the rest. */
    private void forEach(int tag, MessageReader reader) throws MalformedOtlpException {
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == tag) {
                int saved = c.enter();
                int end = c.limit;
                reader.read();
                c.leave(saved, end);
            } else {
                c.skip(OtlpSchema.wireType(t));
            }
        }
    }

    private void resourceMetrics() throws MalformedOtlpException {
        int start = c.pos;
        resource.begin();
        forEach(ResourceMetrics.RESOURCE_TAG, resourceReader);
        resource.finish(c.buf);
        writer.resourceChanged();
        c.pos = start;
        forEach(ResourceMetrics.SCOPE_METRICS_TAG, scopeMetrics);
        targetInfo.write(c.buf, writer.resourceEarliestMs(), writer.resourceLatestMs(), tally);
    }

    private void resource() throws MalformedOtlpException {
        resource.readResource(c);
    }

    private void scopeMetrics() throws MalformedOtlpException {
        forEach(ScopeMetrics.METRICS_TAG, metric);
    }

    private void metric() throws MalformedOtlpException {
        int nameOff = c.pos;
        int nameLen = 0;
        int unitOff = 0;
        int unitLen = 0;
        int descOff = 0;
        int descLen = 0;
        PointKind kind = null;
        int typeStart = 0;
        int typeEnd = 0;
        while (c.hasMore()) {
            int t = c.readTag();
            PointKind k = kindOf(t);
            if (t == Metric.NAME_TAG) {
                int e = c.readLengthEnd();
                nameOff = c.pos;
                nameLen = e - c.pos;
                c.pos = e;
            } else if (t == Metric.UNIT_TAG) {
                int e = c.readLengthEnd();
                unitOff = c.pos;
                unitLen = e - c.pos;
                c.pos = e;
            } else if (t == Metric.DESCRIPTION_TAG) {
                int e = c.readLengthEnd();
                descOff = c.pos;
                descLen = e - c.pos;
                c.pos = e;
            } else if (k != null) {
                // The data oneof: the last one on the wire wins.
                typeEnd = c.readLengthEnd();
                typeStart = c.pos;
                kind = k;
                c.pos = typeEnd;
            } else {
                c.skip(OtlpSchema.wireType(t));
            }
        }
        if (kind == null) {
            tally.received(1);
            tally.reject(RejectReason.NO_METRIC_TYPE, 1, c.buf, nameOff, nameLen);
            return;
        }
        int saved = c.limit;
        c.pos = typeStart;
        c.limit = typeEnd;
        if (nameLen == 0) {
            long points = Math.max(1, walker.countPoints(kind));
            tally.received(points);
            tally.reject(RejectReason.EMPTY_METRIC_NAME, points, c.buf, nameOff, 0);
        } else if (nameLen > maxValueBytes) {
            // Not interned; the reason names the metric by its first bytes.
            long points = Math.max(1, walker.countPoints(kind));
            tally.received(points);
            tally.reject(AppendResult.LABEL_VALUE_TOO_LONG, points, c.buf, nameOff, Math.min(nameLen, 64));
        } else {
            metricNames.translate(c.buf, nameOff, nameLen, unitOff, unitLen, descOff, descLen, typeOf(kind), nowMs);
            byte[] family = metricNames.family();
            if (family.length == 0 || family.length > maxValueBytes) {
                long points = Math.max(1, walker.countPoints(kind));
                tally.received(points);
                tally.reject(family.length == 0 ? RejectReason.EMPTY_METRIC_NAME : AppendResult.LABEL_VALUE_TOO_LONG, points,
                        c.buf, nameOff, Math.min(nameLen, 64));
            } else {
                names.setMetric(family, 0, family.length);
                kind.names(names);
                walker.walk(kind, nowMs, tally, nameOff, nameLen);
            }
        }
        c.pos = typeEnd;
        c.limit = saved;
    }

    /** The type naming and metadata know the metric by; the cursor's range is the type message. */
    private OtlpMetricType typeOf(PointKind kind) throws MalformedOtlpException {
        if (kind == gauge) {
            return OtlpMetricType.GAUGE;
        } else if (kind == sum) {
            return isMonotonic() ? OtlpMetricType.MONOTONIC_COUNTER : OtlpMetricType.NON_MONOTONIC_COUNTER;
        } else if (kind == histogram) {
            return OtlpMetricType.HISTOGRAM;
        } else if (kind == exponentialHistogram) {
            return OtlpMetricType.EXPONENTIAL_HISTOGRAM;
        } else if (kind == summary) {
            return OtlpMetricType.SUMMARY;
        }
        return OtlpMetricType.UNKNOWN;
    }

    /** Reads the {@code Sum} message's {@code is_monotonic} (the last one wins), leaving the cursor unchanged. */
    private boolean isMonotonic() throws MalformedOtlpException {
        int start = c.pos;
        boolean monotonic = false;
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == Sum.IS_MONOTONIC_TAG) {
                monotonic = c.readVarint() != 0;
            } else {
                c.skip(OtlpSchema.wireType(t));
            }
        }
        c.pos = start;
        return monotonic;
    }

    /** The kind of the metric's {@code data} field with tag {@code tag}; null for any other field. */
    private PointKind kindOf(int tag) {
        return switch (tag) {
            case Metric.GAUGE_TAG -> gauge;
            case Metric.SUM_TAG -> sum;
            case Metric.HISTOGRAM_TAG -> histogram;
            case Metric.EXPONENTIAL_HISTOGRAM_TAG -> exponentialHistogram;
            case Metric.SUMMARY_TAG -> summary;
            default -> null;
        };
    }
}
