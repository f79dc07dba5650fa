package dev.kedaotel.receiver;

import dev.kedaotel.model.PrometheusNames;

/**
 * Turns OTLP names into the symbols of Prometheus names, straight from the request bytes: the current
 * metric's sanitised name with a series suffix ({@code _sum}, {@code _bucket}…), and attribute keys as
 * label names (kept valid UTF-8 names as sent, else sanitised; remembered per key by a
 * {@link LabelNameCache}). One place for the naming rules the data point types share. Not
 * thread-safe; one per ingest worker.
 */
final class NameSymbols {
    private final IngestSink sink;
    private final LabelNameCache labelNames = new LabelNameCache();
    private byte[] scratch = new byte[128];
    private byte[] metricBuf;
    private int metricOff;
    private int metricLen;

    NameSymbols(IngestSink sink) {
        this.sink = sink;
    }

    /** Sets the metric whose series names {@link #metric(String)} gives. */
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

    /** Interns the current metric's sanitised name plus {@code suffix} (empty for the base name). */
    int metric(String suffix) {
        int need = metricLen + 4 + suffix.length();
        if (scratch.length < need) {
            scratch = new byte[need * 2];
        }
        int n = PrometheusNames.sanitizeUtf8(metricBuf, metricOff, metricLen, scratch, true);
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
        if (PrometheusNames.isValidUtf8(buf, off, len, false)) {
            sym = sink.internUtf8(buf, off, len);
        } else {
            if (scratch.length < len + 4) {
                scratch = new byte[(len + 4) * 2];
            }
            int n = PrometheusNames.sanitizeUtf8(buf, off, len, scratch, false);
            sym = sink.internUtf8(scratch, 0, n);
        }
        labelNames.put(buf, off, len, sym);
        return sym;
    }
}
