package dev.kedaotel.receiver;

import dev.kedaotel.tsdb.AppendResult;
import dev.kedaotel.model.PrometheusNames;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The storing pass: walks a request that {@link RequestValidator} accepted and writes every data point
 * as Prometheus-style series into an {@link IngestSink}, straight from the wire bytes.
 *
 * <ul>
 *   <li>gauge, cumulative (or unspecified) sum → {@code <name>}; delta sum → {@code <name>} accumulated with
 *       {@code appendDelta} so the stored series is cumulative;</li>
 *   <li>histogram → {@code <name>_bucket{le}} (cumulative counts, last {@code +Inf} = count),
 *       {@code <name>_sum} (when present), {@code <name>_count}; delta histograms accumulated;</li>
 *   <li>exponential histogram → {@code <name>_sum}, {@code <name>_count}; summary → {@code <name>{quantile}},
 *       {@code <name>_sum}, {@code <name>_count};</li>
 *   <li>labels: promoted resource labels, then point attributes (which win), then {@code __name__} and
 *       {@code le}/{@code quantile};</li>
 *   <li>NoRecordedValue → a staleness marker on each series the point would write.</li>
 * </ul>
 * Protobuf does not fix field order, so messages whose meaning depends on a later field (a metric's
 * name and type, a sum's temporality, a resource that follows its scope metrics) are scanned twice;
 * scanning is cheap and allocation-free. Not thread-safe; one per ingest worker, bound to its sink.
 *
 * <p>Series cache: a data point's attributes are not parsed while walking the point; their byte range
 * is noted. Each series the point writes is first looked up in the shared {@link SeriesCache} by
 * (resource labels, metric symbol, extra label, attribute bytes) and, on a hit, appended by handle.
 * Only a miss (or a dead handle) parses the attributes, builds the label set, appends through it and
 * caches the handle the sink reports. The cache is used only with a sink that appends by handle.
 */
final class MetricMapper {
    private static final int LEN = ProtoCursor.LEN;
    private static final int F64 = ProtoCursor.FIXED64;
    private static final int VARINT = ProtoCursor.VARINT;

    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    private static final int NO_RECORDED_VALUE = 1;

    private static final int MODE_SET = 0;
    private static final int MODE_DELTA = 1;
    private static final int MODE_STALE = 2;

    private static final int TEMPORALITY_DELTA = 1;

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Bytes of the context's per-series part: metric symbol, extra label name, extra label value. */
    private static final int SERIES_CONTEXT_BYTES = 12;

    private final ProtoCursor c = new ProtoCursor();
    private final IngestSink sink;
    private final AttributeValues values;
    private final ResourceLabels resource;
    private final PointAttributes attrs = new PointAttributes();
    private final FloatLabels floats = new FloatLabels();
    private final LabelNameCache labelNames = new LabelNameCache();
    private final int nameLabel;
    private final int leLabel;
    private final int quantileLabel;
    private final int infSym;
    /** The sink's label limits, checked before interning (see {@link IngestSink#maxLabelsPerSeries()}). */
    private final int maxLabels;
    private final int maxNameBytes;
    private final int maxValueBytes;
    /** Shared; null when the sink does not append by handle or the cache is disabled. */
    private final SeriesCache cache;

    // Series cache key context: metric, extra name, extra value, then the resource's label pairs (LE ints).
    private byte[] context = new byte[64];
    private int contextLength = SERIES_CONTEXT_BYTES;
    private long resourceHash;
    /** The cache entry of this worker's previous series write (its hint predicts the next one). */
    private SeriesCache.Entry previousEntry;
    /** Cache-path writes and full-window misses of the current window; remaining writes that bypass the cache. */
    private int windowWrites;
    private int windowFull;
    private int cacheBypass;
    private static final int BYPASS_WINDOW = 4096;
    private static final int BYPASS_WRITES = 1 << 18;

    private byte[] nameScratch = new byte[128];
    private long[] bucketCounts = new long[32];
    private int bucketCountSize;
    private double[] doubles = new double[32];
    private int doubleSize;
    private double[] quantileValues = new double[32];

    // Per request / metric / point state.
    private RejectionTally tally;
    private long nowMs;
    private int metricNameOff;
    private int metricNameLen;
    private int pointOutcome;
    /** The point's attribute field tag, its message bounds, and where its attribute fields are. */
    private int attrTag;
    private int pointStart;
    private int pointEnd;
    private int attrStart;
    private int attrEnd;
    private int attrCount;
    private boolean attrContiguous;
    private boolean attrsParsed;
    private boolean pointCacheable;
    /** 0, or why the point's attributes cannot make a series (a label limit), found while parsing them. */
    private int attrRejection;
    private long pointHash;

    MetricMapper(ReceiverConfig config, IngestSink sink, SeriesCache cache) {
        this.sink = sink;
        this.cache = sink.appendsByHandle() ? cache : null;
        this.values = new AttributeValues(sink);
        this.resource = new ResourceLabels(config, sink, values);
        this.nameLabel = sink.intern("__name__");
        this.leLabel = sink.intern("le");
        this.quantileLabel = sink.intern("quantile");
        this.infSym = sink.intern("+Inf");
        this.maxLabels = sink.maxLabelsPerSeries();
        this.maxNameBytes = sink.maxLabelNameLength();
        this.maxValueBytes = sink.maxLabelValueLength();
    }

    /** Stores the points of a validated request; {@code nowMs} replaces zero timestamps. */
    void map(byte[] buf, int off, int len, long nowMs, RejectionTally tally) throws MalformedOtlpException {
        this.tally = tally;
        this.nowMs = nowMs;
        c.reset(buf, off, len);
        try {
            while (c.hasMore()) {
                int t = c.readTag();
                if (t == tag(1, LEN)) {
                    int saved = c.enter();
                    int end = c.limit;
                    resourceMetrics();
                    c.leave(saved, end);
                } else {
                    c.skip(t & 7);
                }
            }
        } finally {
            c.release();
            values.release();
            this.tally = null;
        }
    }

    private void resourceMetrics() throws MalformedOtlpException {
        int start = c.pos;
        resource.begin();
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == tag(1, LEN)) {
                int saved = c.enter();
                int end = c.limit;
                resource.readResource(c);
                c.leave(saved, end);
            } else {
                c.skip(t & 7);
            }
        }
        resource.finish();
        resourceContext();
        c.pos = start;
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == tag(2, LEN)) {
                int saved = c.enter();
                int end = c.limit;
                scopeMetrics();
                c.leave(saved, end);
            } else {
                c.skip(t & 7);
            }
        }
    }

    /** Writes the resource's label pairs into the cache key context and hashes them. */
    private void resourceContext() {
        int n = resource.pairInts();
        contextLength = SERIES_CONTEXT_BYTES + 4 * n;
        if (context.length < contextLength) {
            context = new byte[contextLength * 2];
        }
        long h = 0x2545F4914F6CDD1DL;
        for (int i = 0; i < n; i++) {
            int v = resource.pairInt(i);
            INTS.set(context, SERIES_CONTEXT_BYTES + 4 * i, v);
            h = SeriesCache.mix(h, v);
        }
        resourceHash = h;
    }

    private void scopeMetrics() throws MalformedOtlpException {
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == tag(2, LEN)) {
                int saved = c.enter();
                int end = c.limit;
                metric();
                c.leave(saved, end);
            } else {
                c.skip(t & 7);
            }
        }
    }

    private void metric() throws MalformedOtlpException {
        metricNameOff = c.pos;
        metricNameLen = 0;
        int typeField = 0;
        int typeStart = 0;
        int typeEnd = 0;
        while (c.hasMore()) {
            int t = c.readTag();
            int field = t >>> 3;
            if (t == tag(1, LEN)) {
                int e = c.readLengthEnd();
                metricNameOff = c.pos;
                metricNameLen = e - c.pos;
                c.pos = e;
            } else if ((t & 7) == LEN && (field == 5 || field == 7 || field == 9 || field == 10 || field == 11)) {
                // The data oneof: the last one on the wire wins.
                typeEnd = c.readLengthEnd();
                typeStart = c.pos;
                typeField = field;
                c.pos = typeEnd;
            } else {
                c.skip(t & 7);
            }
        }
        if (typeField == 0) {
            tally.received(1);
            tally.reject(RejectReason.NO_METRIC_TYPE, 1, c.buf, metricNameOff, metricNameLen);
            return;
        }
        int saved = c.limit;
        c.pos = typeStart;
        c.limit = typeEnd;
        if (metricNameLen == 0) {
            long points = Math.max(1, countPoints());
            tally.received(points);
            tally.reject(RejectReason.EMPTY_METRIC_NAME, points, c.buf, metricNameOff, 0);
        } else if (metricNameLen > maxValueBytes) {
            long points = Math.max(1, countPoints());
            tally.received(points);
            tally.reject(AppendResult.LABEL_VALUE_TOO_LONG, points, c.buf, metricNameOff, Math.min(metricNameLen, 64));
        } else {
            switch (typeField) {
                case 5: numbers(false); break;
                case 7: numbers(isDelta()); break;
                case 9: histograms(isDelta()); break;
                case 10: exponentialHistograms(isDelta()); break;
                case 11: summaries(); break;
                default: throw new AssertionError(typeField);
            }
        }
        c.pos = typeEnd;
        c.limit = saved;
    }

    /** Counts field-1 entries (data points) of the type message at the cursor, leaving the cursor unchanged. */
    private long countPoints() throws MalformedOtlpException {
        int start = c.pos;
        long n = 0;
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == tag(1, LEN)) {
                n++;
            }
            c.skip(t & 7);
        }
        c.pos = start;
        return n;
    }

    /** Reads aggregation_temporality (field 2) of the type message at the cursor, leaving the cursor unchanged. */
    private boolean isDelta() throws MalformedOtlpException {
        int start = c.pos;
        long temporality = 0;
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == tag(2, VARINT)) {
                temporality = c.readVarint();
            } else {
                c.skip(t & 7);
            }
        }
        c.pos = start;
        return temporality == TEMPORALITY_DELTA;
    }

    /** Interns the sanitised metric name plus {@code suffix} (empty for the base name). */
    private int metricSymbol(String suffix) {
        int need = metricNameLen + 4 + suffix.length();
        if (nameScratch.length < need) {
            nameScratch = new byte[need * 2];
        }
        int n = PrometheusNames.sanitizeUtf8(c.buf, metricNameOff, metricNameLen, nameScratch, true);
        for (int i = 0; i < suffix.length(); i++) {
            nameScratch[n++] = (byte) suffix.charAt(i);
        }
        return sink.internUtf8(nameScratch, 0, n);
    }

    // ---- point loops ---------------------------------------------------------------------------

    private void numbers(boolean delta) throws MalformedOtlpException {
        int name = metricSymbol("");
        while (c.hasMore()) {
            int t = c.readTag();
            if (t != tag(1, LEN)) {
                c.skip(t & 7);
                continue;
            }
            int saved = c.enter();
            int end = c.limit;
            beginPoint(7 << 3 | LEN, end);
            long time = 0;
            double value = 0;
            long flags = 0;
            while (c.hasMore()) {
                int at = c.pos;
                int f = c.readTag();
                switch (f) {
                    case 7 << 3 | LEN: noteAttribute(at); break;
                    case 3 << 3 | F64: time = c.readFixed64(); break;
                    case 4 << 3 | F64: value = c.readDouble(); break;
                    case 6 << 3 | F64: value = (double) c.readFixed64(); break;
                    case 8 << 3 | VARINT: flags = c.readVarint(); break;
                    default: c.skip(f & 7);
                }
            }
            c.leave(saved, end);
            preparePointKey();
            long ts = timestampMs(time);
            int mode = mode(flags, delta);
            write(name, -1, -1, ts, value, mode);
            endPoint();
        }
    }

    private void histograms(boolean delta) throws MalformedOtlpException {
        int sumName = metricSymbol("_sum");
        int countName = metricSymbol("_count");
        int bucketName = metricSymbol("_bucket");
        while (c.hasMore()) {
            int t = c.readTag();
            if (t != tag(1, LEN)) {
                c.skip(t & 7);
                continue;
            }
            int saved = c.enter();
            int end = c.limit;
            beginPoint(9 << 3 | LEN, end);
            long time = 0;
            long count = 0;
            double sum = 0;
            boolean hasSum = false;
            long flags = 0;
            while (c.hasMore()) {
                int at = c.pos;
                int f = c.readTag();
                switch (f) {
                    case 9 << 3 | LEN: noteAttribute(at); break;
                    case 3 << 3 | F64: time = c.readFixed64(); break;
                    case 4 << 3 | F64: count = c.readFixed64(); break;
                    case 5 << 3 | F64: sum = c.readDouble(); hasSum = true; break;
                    case 6 << 3 | F64: addBucketCount(c.readFixed64()); break;
                    case 6 << 3 | LEN: readPackedBucketCounts(); break;
                    case 7 << 3 | F64: addDouble(c.readDouble()); break;
                    case 7 << 3 | LEN: readPackedDoubles(); break;
                    case 10 << 3 | VARINT: flags = c.readVarint(); break;
                    default: c.skip(f & 7);
                }
            }
            c.leave(saved, end);
            preparePointKey();
            long ts = timestampMs(time);
            int mode = mode(flags, delta);
            if (hasSum || mode == MODE_STALE) {
                write(sumName, -1, -1, ts, sum, mode);
            }
            double total = unsignedToDouble(count);
            write(countName, -1, -1, ts, total, mode);
            // Prometheus pairs bounds with counts and ignores extras on either side.
            int n = Math.min(doubleSize, bucketCountSize);
            long cumulative = 0;
            for (int i = 0; i < n; i++) {
                cumulative += bucketCounts[i];
                write(bucketName, leLabel, floats.symbol(doubles[i], sink), ts, unsignedToDouble(cumulative), mode);
            }
            write(bucketName, leLabel, infSym, ts, total, mode);
            endPoint();
        }
    }

    private void exponentialHistograms(boolean delta) throws MalformedOtlpException {
        int sumName = metricSymbol("_sum");
        int countName = metricSymbol("_count");
        while (c.hasMore()) {
            int t = c.readTag();
            if (t != tag(1, LEN)) {
                c.skip(t & 7);
                continue;
            }
            int saved = c.enter();
            int end = c.limit;
            beginPoint(1 << 3 | LEN, end);
            long time = 0;
            long count = 0;
            double sum = 0;
            boolean hasSum = false;
            long flags = 0;
            while (c.hasMore()) {
                int at = c.pos;
                int f = c.readTag();
                switch (f) {
                    case 1 << 3 | LEN: noteAttribute(at); break;
                    case 3 << 3 | F64: time = c.readFixed64(); break;
                    case 4 << 3 | F64: count = c.readFixed64(); break;
                    case 5 << 3 | F64: sum = c.readDouble(); hasSum = true; break;
                    case 10 << 3 | VARINT: flags = c.readVarint(); break;
                    default: c.skip(f & 7);
                }
            }
            c.leave(saved, end);
            preparePointKey();
            long ts = timestampMs(time);
            int mode = mode(flags, delta);
            if (hasSum || mode == MODE_STALE) {
                write(sumName, -1, -1, ts, sum, mode);
            }
            write(countName, -1, -1, ts, unsignedToDouble(count), mode);
            endPoint();
        }
    }

    private void summaries() throws MalformedOtlpException {
        int name = metricSymbol("");
        int sumName = metricSymbol("_sum");
        int countName = metricSymbol("_count");
        while (c.hasMore()) {
            int t = c.readTag();
            if (t != tag(1, LEN)) {
                c.skip(t & 7);
                continue;
            }
            int saved = c.enter();
            int end = c.limit;
            beginPoint(7 << 3 | LEN, end);
            long time = 0;
            long count = 0;
            double sum = 0;
            long flags = 0;
            while (c.hasMore()) {
                int at = c.pos;
                int f = c.readTag();
                switch (f) {
                    case 7 << 3 | LEN: noteAttribute(at); break;
                    case 3 << 3 | F64: time = c.readFixed64(); break;
                    case 4 << 3 | F64: count = c.readFixed64(); break;
                    case 5 << 3 | F64: sum = c.readDouble(); break;
                    case 6 << 3 | LEN: quantile(); break;
                    case 8 << 3 | VARINT: flags = c.readVarint(); break;
                    default: c.skip(f & 7);
                }
            }
            c.leave(saved, end);
            preparePointKey();
            long ts = timestampMs(time);
            int mode = mode(flags, false);
            write(sumName, -1, -1, ts, sum, mode);
            write(countName, -1, -1, ts, unsignedToDouble(count), mode);
            for (int i = 0; i < doubleSize; i++) {
                write(name, quantileLabel, floats.symbol(doubles[i], sink), ts, quantileValues[i], mode);
            }
            endPoint();
        }
    }

    // ---- point parts ---------------------------------------------------------------------------

    private void beginPoint(int attributeTag, int end) {
        attrs.clear();
        attrTag = attributeTag;
        pointStart = c.pos;
        pointEnd = end;
        attrStart = c.pos;
        attrEnd = c.pos;
        attrCount = 0;
        attrContiguous = true;
        attrsParsed = false;
        attrRejection = 0;
        bucketCountSize = 0;
        doubleSize = 0;
        pointOutcome = AppendResult.APPENDED;
    }

    private void endPoint() {
        tally.received(1);
        if (RejectReason.isRejection(pointOutcome)) {
            tally.reject(pointOutcome, 1, c.buf, metricNameOff, metricNameLen);
        }
    }

    /** Notes an attribute field (its tag at {@code fieldStart}) without parsing it. */
    private void noteAttribute(int fieldStart) throws MalformedOtlpException {
        int e = c.readLengthEnd();
        c.pos = e;
        if (attrCount++ == 0) {
            attrStart = fieldStart;
        } else if (fieldStart != attrEnd) {
            attrContiguous = false; // another field between attributes: key the cache on nothing, parse
        }
        attrEnd = e;
    }

    /** After the point's walk: whether its series can be looked up in the cache, and the attribute hash. */
    private void preparePointKey() {
        pointCacheable = cache != null && attrContiguous && SeriesCache.cacheable(contextLength, attrEnd - attrStart);
        if (pointCacheable) {
            pointHash = SeriesCache.hashBytes(c.buf, attrStart, attrEnd - attrStart) * 31 + resourceHash;
        }
    }

    /** Parses the point's attributes (once, on the first series that missed the cache). */
    private void ensureAttributes() throws MalformedOtlpException {
        if (attrsParsed) {
            return;
        }
        attrsParsed = true;
        if (attrCount > maxLabels) {
            attrRejection = AppendResult.TOO_MANY_LABELS; // decided on the wire count: nothing is interned
            return;
        }
        if (attrCount > 0) {
            int savedPos = c.pos;
            int savedLimit = c.limit;
            c.pos = attrContiguous ? attrStart : pointStart;
            c.limit = attrContiguous ? attrEnd : pointEnd;
            while (c.hasMore()) {
                int t = c.readTag();
                if (t == attrTag) {
                    attribute();
                } else {
                    c.skip(t & 7);
                }
            }
            c.pos = savedPos;
            c.limit = savedLimit;
        }
        attrs.joinCollisions(c.buf, sink);
    }

    /** Reads a KeyValue at the cursor into the point's attributes. */
    private void attribute() throws MalformedOtlpException {
        int saved = c.enter();
        int end = c.limit;
        int keyOff = 0;
        int keyLen = 0;
        int valueStart = -1;
        int valueEnd = -1;
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == tag(1, LEN)) {
                int e = c.readLengthEnd();
                keyOff = c.pos;
                keyLen = e - c.pos;
                c.pos = e;
            } else if (t == tag(2, LEN)) {
                valueEnd = c.readLengthEnd();
                valueStart = c.pos;
                c.pos = valueEnd;
            } else {
                c.skip(t & 7);
            }
        }
        c.leave(saved, end);
        if (keyLen == 0 || attrRejection != 0) {
            return; // no valid label name can come from an empty key; a rejected point needs no more symbols
        }
        if (keyLen > maxNameBytes) {
            attrRejection = AppendResult.LABEL_NAME_TOO_LONG;
            return;
        }
        int value = valueStart < 0 ? values.emptySymbol() : values.symbol(c.buf, valueStart, valueEnd);
        if (value == AttributeValues.TOO_LONG) {
            attrRejection = AppendResult.LABEL_VALUE_TOO_LONG;
            return;
        }
        attrs.add(labelName(keyOff, keyLen), value, keyOff, keyLen);
    }

    private int labelName(int off, int len) {
        byte[] buf = c.buf;
        int cached = labelNames.get(buf, off, len);
        if (cached >= 0) {
            return cached;
        }
        int sym;
        if (PrometheusNames.isValidUtf8(buf, off, len, false)) {
            sym = sink.internUtf8(buf, off, len);
        } else {
            if (nameScratch.length < len + 4) {
                nameScratch = new byte[(len + 4) * 2];
            }
            int n = PrometheusNames.sanitizeUtf8(buf, off, len, nameScratch, false);
            sym = sink.internUtf8(nameScratch, 0, n);
        }
        labelNames.put(buf, off, len, sym);
        return sym;
    }

    private void quantile() throws MalformedOtlpException {
        int saved = c.enter();
        int end = c.limit;
        double q = 0;
        double v = 0;
        while (c.hasMore()) {
            int t = c.readTag();
            if (t == tag(1, F64)) {
                q = c.readDouble();
            } else if (t == tag(2, F64)) {
                v = c.readDouble();
            } else {
                c.skip(t & 7);
            }
        }
        c.leave(saved, end);
        addDouble(q);
        quantileValues[doubleSize - 1] = v;
    }

    private void addDouble(double v) {
        if (doubleSize == doubles.length) {
            doubles = Arrays.copyOf(doubles, doubleSize * 2);
            quantileValues = Arrays.copyOf(quantileValues, doubleSize * 2);
        }
        doubles[doubleSize++] = v;
    }

    private void addBucketCount(long v) {
        if (bucketCountSize == bucketCounts.length) {
            bucketCounts = Arrays.copyOf(bucketCounts, bucketCountSize * 2);
        }
        bucketCounts[bucketCountSize++] = v;
    }

    private void readPackedBucketCounts() throws MalformedOtlpException {
        int saved = c.enter();
        int end = c.limit;
        while (c.hasMore()) {
            addBucketCount(c.readFixed64());
        }
        c.leave(saved, end);
    }

    private void readPackedDoubles() throws MalformedOtlpException {
        int saved = c.enter();
        int end = c.limit;
        while (c.hasMore()) {
            addDouble(c.readDouble());
        }
        c.leave(saved, end);
    }

    private long timestampMs(long unixNano) {
        return unixNano == 0 ? nowMs : Long.divideUnsigned(unixNano, 1_000_000L);
    }

    private static int mode(long flags, boolean delta) {
        if ((flags & NO_RECORDED_VALUE) != 0) {
            return MODE_STALE;
        }
        return delta ? MODE_DELTA : MODE_SET;
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? (double) v : (double) (v >>> 1) * 2.0;
    }

    /**
     * Writes one sample to the series (metric, point labels[, extraName=extraValue]): by cached handle
     * when the cache knows the series, else through its label set (then caching the series' handle).
     */
    private void write(int metric, int extraName, int extraValue, long ts, double value, int mode)
            throws MalformedOtlpException {
        int result;
        if (resource.rejection() != 0) {
            // Before the cache: the context holds "" for the value that was too long to intern.
            result = resource.rejection();
        } else if (pointCacheable && cacheBypass == 0) {
            INTS.set(context, 0, metric);
            INTS.set(context, 4, extraName);
            INTS.set(context, 8, extraValue);
            int hash = SeriesCache.finish(SeriesCache.mix(SeriesCache.mix(SeriesCache.mix(pointHash, metric), extraName), extraValue));
            int attrLen = attrEnd - attrStart;
            SeriesCache.Entry e = cache.get(hash, context, contextLength, c.buf, attrStart, attrLen, previousEntry);
            result = e != null ? appendByHandle(e.handle, ts, value, mode) : IngestSink.HANDLE_DEAD;
            if (result == IngestSink.HANDLE_DEAD) {
                result = appendByLabels(metric, extraName, extraValue, ts, value, mode);
                long h = attrRejection != 0 ? -1 : sink.lastHandle(); // a refused point appended nothing
                e = h >= 0 ? cache.put(hash, context, contextLength, c.buf, attrStart, attrLen, h) : null;
                if (e == SeriesCache.FULL) {
                    e = null;
                    windowFull++;
                }
            }
            SeriesCache.link(previousEntry, e);
            previousEntry = e;
            if (++windowWrites == BYPASS_WINDOW) {
                endCacheWindow();
            }
        } else {
            if (pointCacheable) {
                cacheBypass--;
            }
            result = appendByLabels(metric, extraName, extraValue, ts, value, mode);
        }
        if (pointOutcome == AppendResult.APPENDED && AppendResult.isRejection(result)) {
            pointOutcome = result;
        }
    }

    /**
     * More series than the cache holds: most misses find their probe window full and cannot be cached,
     * so every such write pays a failed prediction and probe on top of the label path. When that is so
     * for a quarter of a window's writes, this worker leaves the cache alone for a while, then retries.
     */
    private void endCacheWindow() {
        if (windowFull * 4 > windowWrites) {
            cacheBypass = BYPASS_WRITES;
            previousEntry = null;
        }
        windowWrites = 0;
        windowFull = 0;
    }

    private int appendByHandle(long handle, long ts, double value, int mode) {
        switch (mode) {
            case MODE_DELTA: return sink.appendDeltaTo(handle, ts, value);
            case MODE_STALE: return sink.appendStaleTo(handle, ts);
            default: return sink.appendTo(handle, ts, value);
        }
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
        switch (mode) {
            case MODE_DELTA: return sink.appendDelta(ts, value);
            case MODE_STALE: return sink.appendStale(ts);
            default: return sink.append(ts, value);
        }
    }
}
