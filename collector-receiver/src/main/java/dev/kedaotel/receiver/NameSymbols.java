package dev.kedaotel.receiver;

import dev.kedaotel.model.OtlpTranslationStrategy;
import dev.kedaotel.model.PrometheusNames;

/**
 * Turns OTLP names into the symbols of Prometheus names, straight from the request bytes: the current
 * metric's family name (translated by {@link MetricNames}) with a series suffix ({@code _sum},
 * {@code _bucket}…), and attribute keys as label names by the translation strategy (kedify's default:
 * kept when already valid, else sanitised; Prometheus' escaping additionally prefixes a single leading
 * {@code _} with {@code key}; the UTF-8 strategies keep keys as sent; remembered per key by a
 * {@link LabelNameCache}). One place for the naming rules the data point types share. Allocation-free.
 * Not thread-safe; one per ingest worker.
 */
final class NameSymbols {
    private final IngestSink sink;
    private final OtlpTranslationStrategy strategy;
    private final LabelNameCache labelNames = new LabelNameCache();
    private byte[] scratch = new byte[128];
    private byte[] metricBuf;
    private int metricOff;
    private int metricLen;

    NameSymbols(IngestSink sink) {
        this(sink, OtlpTranslationStrategy.KEDIFY_COMPATIBLE);
    }

    NameSymbols(IngestSink sink, OtlpTranslationStrategy strategy) {
        this.sink = sink;
        this.strategy = strategy;
    }

    /** Sets the family name (already translated) whose series names {@link #metric(String)} gives. */
    void setMetric(byte[] buf, int off, int len) {
        metricBuf = buf;
        metricOff = off;
        metricLen = len;
    }

    /** Forgets the cached label name symbols (they may have been freed). */
    void forgetSymbols() {
        labelNames.clear();
    }

    /** Drops the reference to the request bytes. */
    void release() {
        metricBuf = null;
    }

    /** Interns the current metric's family name plus {@code suffix} (empty for the base name). */
    int metric(String suffix) {
        int need = metricLen + 4 + suffix.length();
        if (scratch.length < need) {
            scratch = new byte[need * 2];
        }
        System.arraycopy(metricBuf, metricOff, scratch, 0, metricLen);
        int n = metricLen;
        for (int i = 0; i < suffix.length(); i++) {
            scratch[n++] = (byte) suffix.charAt(i);
        }
        return sink.internUtf8(scratch, 0, n);
    }

    /** The label name symbol of the attribute key {@code buf[off, off+len)}. */
    int label(byte[] buf, int off, int len) {
        int cached = labelNames.get(buf, off, len);
        if (cached >= 0) {
            return cached;
        }
        int sym;
        boolean escape = strategy.escapes();
        boolean prometheusEscaping = escape && strategy != OtlpTranslationStrategy.KEDIFY_COMPATIBLE;
        boolean leadingUnderscore = len > 0 && (buf[off] == '_' || (buf[off] & 0x80) != 0);
        if (!escape || (!(prometheusEscaping && leadingUnderscore) && PrometheusNames.isValidUtf8(buf, off, len, false))) {
            sym = sink.internUtf8(buf, off, len);
        } else {
            if (scratch.length < len + 8) {
                scratch = new byte[(len + 8) * 2];
            }
            // Sanitised after room for "key": Prometheus' escaping prefixes a name that starts with one '_'.
            int n = PrometheusNames.sanitizeUtf8(buf, off, len, scratch, 3, false);
            int start = 3;
            if (prometheusEscaping && n > 0 && scratch[3] == '_' && (n == 1 || scratch[4] != '_')) {
                scratch[0] = 'k';
                scratch[1] = 'e';
                scratch[2] = 'y';
                start = 0;
                n += 3;
            }
            sym = sink.internUtf8(scratch, start, n);
        }
        labelNames.put(buf, off, len, sym);
        return sym;
    }
}
