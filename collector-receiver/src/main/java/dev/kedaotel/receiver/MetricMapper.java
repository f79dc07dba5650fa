package dev.kedaotel.receiver;

import dev.kedaotel.tsdb.AppendResult;
import dev.kedaotel.tsdb.PrometheusNames;
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

    MetricMapper(ReceiverConfig config, IngestSink sink) {
        this.sink = sink;
        this.values = new AttributeValues(sink);
        this.resource = new ResourceLabels(config, sink, values);
        this.nameLabel = sink.intern("__name__");
        this.leLabel = sink.intern("le");
        this.quantileLabel = sink.intern("quantile");
        this.infSym = sink.intern("+Inf");
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
            beginPoint();
            long time = 0;
            double value = 0;
            long flags = 0;
            while (c.hasMore()) {
                int f = c.readTag();
                switch (f) {
                    case 7 << 3 | LEN: attribute(); break;
                    case 3 << 3 | F64: time = c.readFixed64(); break;
                    case 4 << 3 | F64: value = c.readDouble(); break;
                    case 6 << 3 | F64: value = (double) c.readFixed64(); break;
                    case 8 << 3 | VARINT: flags = c.readVarint(); break;
                    default: c.skip(f & 7);
                }
            }
            c.leave(saved, end);
            attrs.joinCollisions(c.buf, sink);
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
            beginPoint();
            long time = 0;
            long count = 0;
            double sum = 0;
            boolean hasSum = false;
            long flags = 0;
            while (c.hasMore()) {
                int f = c.readTag();
                switch (f) {
                    case 9 << 3 | LEN: attribute(); break;
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
            attrs.joinCollisions(c.buf, sink);
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
            beginPoint();
            long time = 0;
            long count = 0;
            double sum = 0;
            boolean hasSum = false;
            long flags = 0;
            while (c.hasMore()) {
                int f = c.readTag();
                switch (f) {
                    case 1 << 3 | LEN: attribute(); break;
                    case 3 << 3 | F64: time = c.readFixed64(); break;
                    case 4 << 3 | F64: count = c.readFixed64(); break;
                    case 5 << 3 | F64: sum = c.readDouble(); hasSum = true; break;
                    case 10 << 3 | VARINT: flags = c.readVarint(); break;
                    default: c.skip(f & 7);
                }
            }
            c.leave(saved, end);
            attrs.joinCollisions(c.buf, sink);
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
            beginPoint();
            long time = 0;
            long count = 0;
            double sum = 0;
            long flags = 0;
            while (c.hasMore()) {
                int f = c.readTag();
                switch (f) {
                    case 7 << 3 | LEN: attribute(); break;
                    case 3 << 3 | F64: time = c.readFixed64(); break;
                    case 4 << 3 | F64: count = c.readFixed64(); break;
                    case 5 << 3 | F64: sum = c.readDouble(); break;
                    case 6 << 3 | LEN: quantile(); break;
                    case 8 << 3 | VARINT: flags = c.readVarint(); break;
                    default: c.skip(f & 7);
                }
            }
            c.leave(saved, end);
            attrs.joinCollisions(c.buf, sink);
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

    private void beginPoint() {
        attrs.clear();
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
        if (keyLen == 0) {
            return; // no valid label name can come from an empty key
        }
        int name = labelName(keyOff, keyLen);
        int value = valueStart < 0 ? values.emptySymbol() : values.symbol(c.buf, valueStart, valueEnd);
        attrs.add(name, value, keyOff, keyLen);
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

    /** Writes one sample to the series (metric, point labels[, extraName=extraValue]). */
    private void write(int metric, int extraName, int extraValue, long ts, double value, int mode) {
        sink.clearLabels();
        resource.addTo(sink);
        attrs.addTo(sink);
        sink.addLabel(nameLabel, metric);
        if (extraName >= 0) {
            sink.addLabel(extraName, extraValue);
        }
        int result;
        switch (mode) {
            case MODE_DELTA: result = sink.appendDelta(ts, value); break;
            case MODE_STALE: result = sink.appendStale(ts); break;
            default: result = sink.append(ts, value);
        }
        if (pointOutcome == AppendResult.APPENDED && AppendResult.isRejection(result)) {
            pointOutcome = result;
        }
    }
}
