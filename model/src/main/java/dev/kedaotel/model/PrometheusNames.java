package dev.kedaotel.model;

/**
 * kedify's rule for turning OpenTelemetry names into Prometheus names: the default
 * {@code OTLP_TRANSLATION_STRATEGY} ({@link OtlpTranslationStrategy#KEDIFY_COMPATIBLE}; {@link OtlpNames}
 * has the others and dispatches here), used on both sides: the receiver when storing, the query engine
 * when compiling kedify queries. Because both sides apply
 * the same function, a kedify query for {@code http.server.duration} finds the series stored from
 * the OTLP metric {@code http.server.duration}, and PromQL users write {@code http_server_duration}.
 *
 * <p>Rules (Prometheus' "underscore escaping", without unit or type suffixes, as kedify stores names):
 * <ul>
 *   <li>metric names: every character outside {@code [a-zA-Z0-9_:]} becomes {@code _}; a leading digit
 *       gets a {@code _} prefix;</li>
 *   <li>label names: every character outside {@code [a-zA-Z0-9_]} becomes {@code _}; a leading digit gets
 *       a {@code key_} prefix.</li>
 * </ul>
 * A multi-byte UTF-8 character becomes a single {@code _}, as Prometheus replaces per rune. Runs of
 * underscores are kept (kedify does not collapse them; collapsing would make two OTLP names collide).
 */
public final class PrometheusNames {
    private static final byte[] KEY_PREFIX = {'k', 'e', 'y', '_'};

    private PrometheusNames() {
    }

    public static String metricName(String name) {
        return sanitize(name, true);
    }

    public static String labelName(String name) {
        return sanitize(name, false);
    }

    /** True when {@code name} is already a valid Prometheus metric name (then sanitising is a no-op). */
    public static boolean isValidMetricName(CharSequence name) {
        if (name.length() == 0) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(isAlpha(c) || c == '_' || c == ':' || (i > 0 && isDigit(c)))) {
                return false;
            }
        }
        return true;
    }

    public static boolean isValidLabelName(CharSequence name) {
        if (name.length() == 0) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(isAlpha(c) || c == '_' || (i > 0 && isDigit(c)))) {
                return false;
            }
        }
        return true;
    }

    private static String sanitize(String name, boolean metric) {
        if (metric ? isValidMetricName(name) : isValidLabelName(name)) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length() + 4);
        if (!name.isEmpty() && isDigit(name.charAt(0))) {
            sb.append(metric ? "_" : "key_");
        }
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            boolean ok = cp < 128 && (isAlpha((char) cp) || isDigit((char) cp) || cp == '_' || (metric && cp == ':'));
            sb.append(ok ? (char) cp : '_');
        }
        return sb.toString();
    }

    /**
     * Allocation-free sanitising of UTF-8 bytes for the ingest path. Writes into {@code dst} (which must
     * hold at least {@code len + 4} bytes) and returns the number of bytes written.
     */
    public static int sanitizeUtf8(byte[] src, int off, int len, byte[] dst, boolean metric) {
        return sanitizeUtf8(src, off, len, dst, 0, metric);
    }

    /** {@link #sanitizeUtf8(byte[], int, int, byte[], boolean)} writing from {@code dst[dstOff]} (room: {@code len + 4}). */
    public static int sanitizeUtf8(byte[] src, int off, int len, byte[] dst, int dstOff, boolean metric) {
        int w = dstOff;
        if (len > 0 && isDigit((char) src[off])) {
            if (metric) {
                dst[w++] = '_';
            } else {
                System.arraycopy(KEY_PREFIX, 0, dst, dstOff, KEY_PREFIX.length);
                w = dstOff + KEY_PREFIX.length;
            }
        }
        int end = off + len;
        for (int i = off; i < end; i++) {
            int b = src[i] & 0xff;
            if (b < 0x80) {
                char c = (char) b;
                boolean ok = isAlpha(c) || isDigit(c) || c == '_' || (metric && c == ':');
                dst[w++] = ok ? (byte) c : (byte) '_';
            } else if ((b & 0xC0) != 0x80) {
                dst[w++] = '_'; // lead byte of a multi-byte character; its continuation bytes are skipped
            }
        }
        return w - dstOff;
    }

    /** Whether the bytes are already valid (so callers can skip the copy). */
    public static boolean isValidUtf8(byte[] src, int off, int len, boolean metric) {
        if (len == 0) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            int b = src[off + i] & 0xff;
            char c = (char) b;
            boolean ok = b < 0x80 && (isAlpha(c) || c == '_' || (metric && c == ':') || (i > 0 && isDigit(c)));
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
