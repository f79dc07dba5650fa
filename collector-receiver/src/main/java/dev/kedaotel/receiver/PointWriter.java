package dev.kedaotel.receiver;

import dev.kedaotel.tsdb.AppendResult;

/**
 * Writes the samples of one data point to their series, by cached series handle where it can: the
 * one place that decides between the {@link SeriesCache} path and the label path, so that each data
 * point type only says which series it writes ({@link PointKind}).
 *
 * <p>A point's attributes are not parsed while its fields are walked; their byte range is noted
 * ({@link #noteAttribute}). Each series the point writes is first looked up in the shared cache by
 * (resource labels, metric symbol, extra label, attribute bytes) and, on a hit, appended by handle.
 * Only a miss (or a dead handle) parses the attributes, builds the label set (promoted resource labels,
 * then point attributes, which win, then {@code __name__} and the extra label), appends through it and
 * caches the handle the sink reports. A point over the sink's label limits (too many attributes on the
 * wire, a key or value too long) or of a resource with a promoted value too long is refused before its
 * labels are interned and is never cached. The cache is used only with a sink that appends by handle; when
 * to leave it alone is {@link SeriesCacheClient}'s decision. Allocation-free for a series seen
 * before. Not thread-safe; one per ingest worker, sharing the worker's cursor.
 */
final class PointWriter {
    /** How a sample is appended: as sent, accumulated onto the series (delta temporality), or as a staleness marker. */
    static final int MODE_SET = 0;
    static final int MODE_DELTA = 1;
    static final int MODE_STALE = 2;

    private final ProtoCursor c;
    private final IngestSink sink;
    private final ResourceLabels resource;
    private final PointAttributes attrs;
    /** Null when the sink does not append by handle or the cache is disabled. */
    private final SeriesCacheClient cache;
    private final int nameLabel;
    /** The sink's label count limit, checked on the point's wire attribute count before anything is interned. */
    private final int maxLabels;

    /** The current resource's promoted label pairs as symbol ids (little-endian ints), for the cache. */
    private byte[] resourceInts = new byte[64];

    // The current point: its attribute field tag, its message bounds, and where its attribute fields are.
    private int attrTag;
    private int pointStart;
    private int pointEnd;
    private int attrStart;
    private int attrEnd;
    private int attrCount;
    private boolean attrContiguous;
    private boolean attrsParsed;
    /** 0, or why the point's attributes cannot make a series (a label limit), found when parsing them. */
    private int attrRejection;
    private boolean pointCacheable;
    private long pointHash;
    private int outcome;
    /** The earliest and latest timestamp the current resource's points stored (or resent) a sample at; MAX/MIN: none. */
    private long resourceEarliestMs = Long.MAX_VALUE;
    private long resourceLatestMs = Long.MIN_VALUE;

    PointWriter(ProtoCursor c, IngestSink sink, ResourceLabels resource, PointAttributes attrs,
                SeriesCacheClient cache) {
        this.c = c;
        this.sink = sink;
        this.resource = resource;
        this.attrs = attrs;
        this.cache = sink.appendsByHandle() ? cache : null;
        this.nameLabel = sink.internPermanent("__name__");
        this.maxLabels = sink.maxLabelsPerSeries();
    }

    /** Takes the labels of the resource just read (see {@link ResourceLabels#finish}) into the cache key. */
    void resourceChanged() {
        resourceEarliestMs = Long.MAX_VALUE;
        resourceLatestMs = Long.MIN_VALUE;
        if (cache == null) {
            return;
        }
        int n = resource.pairInts();
        if (resourceInts.length < 4 * n) {
            resourceInts = new byte[8 * n]; // a new array: the cache client holds the old one until told
        }
        for (int i = 0; i < n; i++) {
            CacheKeys.setResourceInt(resourceInts, i, resource.pairInt(i));
        }
        cache.resource(resourceInts, 4 * n);
    }

    /** Starts a data point whose fields run from the cursor to {@code end}, with attributes under {@code attributesTag}. */
    void beginPoint(int attributesTag, int end) {
        attrTag = attributesTag;
        pointStart = c.pos;
        pointEnd = end;
        attrStart = c.pos;
        attrEnd = c.pos;
        attrCount = 0;
        attrContiguous = true;
        attrsParsed = false;
        attrRejection = 0;
        outcome = AppendResult.APPENDED;
    }

    /** Notes an attribute field spanning {@code [fieldStart, fieldEnd)} (tag included) without parsing it. */
    void noteAttribute(int fieldStart, int fieldEnd) {
        if (attrCount++ == 0) {
            attrStart = fieldStart;
        } else if (fieldStart != attrEnd) {
            attrContiguous = false; // another field between attributes: key the cache on nothing, parse
        }
        attrEnd = fieldEnd;
    }

    /** After the point's fields were walked: whether its series can be looked up in the cache, and the attribute hash. */
    void endFields() {
        pointCacheable = cache != null && attrContiguous && SeriesCache.cacheable(attrEnd - attrStart);
        if (pointCacheable) {
            pointHash = CacheKeys.attributeHash(c.buf, attrStart, attrEnd - attrStart);
        }
    }

    /** Rejects the point for {@code reason} (a {@link RejectReason}), unless one of its series was rejected before. */
    void reject(int reason) {
        if (outcome == AppendResult.APPENDED) {
            outcome = reason;
        }
    }

    /**
     * A 64-bit identity of the series the current point writes under {@code metric}: its resource's
     * promoted labels, the metric symbol and its attributes' wire bytes (the same attributes in another
     * order are another identity). Never 0. For state kept per series across points ({@link ExponentialGrids}).
     */
    long identity(int metric) throws MalformedOtlpException {
        long h = ExponentialGrids.mix(0x2545F4914F6CDD1DL, metric);
        int n = resource.pairInts();
        for (int i = 0; i < n; i++) {
            h = ExponentialGrids.mix(h, resource.pairInt(i));
        }
        if (attrContiguous) {
            h = ExponentialGrids.mix(h, CacheKeys.attributeHash(c.buf, attrStart, attrEnd - attrStart));
        } else {
            int savedPos = c.pos;
            int savedLimit = c.limit;
            c.pos = pointStart;
            c.limit = pointEnd;
            while (c.hasMore()) {
                int at = c.pos;
                int t = c.readTag();
                c.skip(OtlpSchema.wireType(t));
                if (t == attrTag) {
                    h = ExponentialGrids.mix(h, CacheKeys.attributeHash(c.buf, at, c.pos - at));
                }
            }
            c.pos = savedPos;
            c.limit = savedLimit;
        }
        return h == 0 ? 1 : h;
    }

    /** The point's outcome: {@link AppendResult#APPENDED} or the first rejection one of its series got. */
    int outcome() {
        return outcome;
    }

    /**
     * Writes one sample to the series (metric, point labels[, extraName=extraValue]): by cached handle
     * when the cache knows the series, else through its label set (then caching the series' handle).
     */
    void write(int metric, int extraName, int extraValue, long ts, double value, int mode)
            throws MalformedOtlpException {
        int result;
        if (resource.rejection() != 0) {
            // Before the cache: the context holds "" for the value that was too long to intern.
            result = resource.rejection();
        } else if (pointCacheable && cache.enabled()) {
            long handle = cache.get(pointHash, metric, extraName, extraValue, c.buf, attrStart, attrEnd - attrStart);
            result = handle != SeriesCache.NONE ? appendByHandle(handle, ts, value, mode) : IngestSink.HANDLE_DEAD;
            if (result == IngestSink.HANDLE_DEAD) {
                result = appendByLabels(metric, extraName, extraValue, ts, value, mode);
                long h = attrRejection != 0 ? -1 : sink.lastHandle(); // a refused point appended nothing
                if (h >= 0) {
                    cache.put(pointHash, metric, extraName, extraValue, c.buf, attrStart, attrEnd - attrStart, h);
                } else {
                    cache.forget();
                }
            }
            cache.resolved();
        } else {
            result = appendByLabels(metric, extraName, extraValue, ts, value, mode);
        }
        if (AppendResult.isRejection(result)) {
            if (outcome == AppendResult.APPENDED) {
                outcome = result;
            }
        } else {
            resourceEarliestMs = Math.min(resourceEarliestMs, ts);
            resourceLatestMs = Math.max(resourceLatestMs, ts);
        }
    }

    /** Earliest timestamp of a sample the current resource's points stored (or resent); {@code Long.MAX_VALUE} when none. */
    long resourceEarliestMs() {
        return resourceEarliestMs;
    }

    /** Latest timestamp of a sample the current resource's points stored (or resent); {@code Long.MIN_VALUE} when none. */
    long resourceLatestMs() {
        return resourceLatestMs;
    }

    /** Parses the point's attributes (once, on the first series that missed the cache). */
    private void ensureAttributes() throws MalformedOtlpException {
        if (attrsParsed) {
            return;
        }
        attrsParsed = true;
        if (attrCount == 0) {
            attrs.clear();
            return;
        }
        if (attrCount > maxLabels) {
            attrs.clear();
            attrRejection = AppendResult.TOO_MANY_LABELS; // decided on the wire count: nothing is interned
            return;
        }
        int savedPos = c.pos;
        int savedLimit = c.limit;
        c.pos = attrContiguous ? attrStart : pointStart;
        c.limit = attrContiguous ? attrEnd : pointEnd;
        attrRejection = attrs.read(c, attrTag);
        c.pos = savedPos;
        c.limit = savedLimit;
    }

    private int appendByHandle(long handle, long ts, double value, int mode) {
        return switch (mode) {
            case MODE_DELTA -> sink.appendDeltaTo(handle, ts, value);
            case MODE_STALE -> sink.appendStaleTo(handle, ts);
            default -> sink.appendTo(handle, ts, value);
        };
    }

    private int appendByLabels(int metric, int extraName, int extraValue, long ts, double value, int mode)
            throws MalformedOtlpException {
        ensureAttributes();
        if (attrRejection != 0) {
            return attrRejection;
        }
        sink.clearLabels();
        resource.addTo(sink);
        attrs.addTo(sink);
        sink.addLabel(nameLabel, metric);
        if (extraName >= 0) {
            sink.addLabel(extraName, extraValue);
        }
        return switch (mode) {
            case MODE_DELTA -> sink.appendDelta(ts, value);
            case MODE_STALE -> sink.appendStale(ts);
            default -> sink.append(ts, value);
        };
    }
}
