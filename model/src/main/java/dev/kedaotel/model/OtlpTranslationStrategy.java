package dev.kedaotel.model;

import java.util.Locale;

/**
 * How OTLP metric and attribute names become Prometheus names ({@code OTLP_TRANSLATION_STRATEGY}):
 * Prometheus' four {@code otlp.translation_strategy} values with Prometheus' meanings, plus this
 * service's default, {@link #KEDIFY_COMPATIBLE}, which is what kedify/otel-add-on and KServe query.
 *
 * <p>Why a fifth value: kedify's rule (every character outside {@code [a-zA-Z0-9_:]} becomes one
 * {@code _}, no suffixes) equals {@link #UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES} for ordinary names
 * ({@code http.server.duration} → {@code http_server_duration} under both) but not for every name:
 * Prometheus collapses a run of escaped characters into one {@code _} and drops them at either end
 * ({@code a..b} → {@code a_b}, {@code .a} → {@code a}; kedify: {@code a__b}, {@code _a}), and it
 * prefixes a label name starting with one {@code _} with {@code key} ({@code _x} → {@code key_x};
 * kedify keeps {@code _x}). Changing the default would rename such series under existing queries.
 */
public enum OtlpTranslationStrategy {
    /** The default: kedify's names (see {@link PrometheusNames}), no suffixes. */
    KEDIFY_COMPATIBLE("KedifyCompatible", true, false),
    /** Prometheus' default: escaped names plus unit and type suffixes ({@code _seconds}, {@code _total}, {@code _ratio}). */
    UNDERSCORE_ESCAPING_WITH_SUFFIXES("UnderscoreEscapingWithSuffixes", true, true),
    /** Escaped names, no suffixes. */
    UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES("UnderscoreEscapingWithoutSuffixes", true, false),
    /** Names as sent (UTF-8, dots kept) plus unit and type suffixes. */
    NO_UTF8_ESCAPING_WITH_SUFFIXES("NoUTF8EscapingWithSuffixes", false, true),
    /** Names as sent, no suffixes (Prometheus calls it experimental). */
    NO_TRANSLATION("NoTranslation", false, false);

    private final String wireName;
    private final boolean escapes;
    private final boolean addsSuffixes;

    OtlpTranslationStrategy(String wireName, boolean escapes, boolean addsSuffixes) {
        this.wireName = wireName;
        this.escapes = escapes;
        this.addsSuffixes = addsSuffixes;
    }

    /** The setting's spelling (Prometheus' for its four). */
    public String wireName() {
        return wireName;
    }

    /** Whether names are escaped to Prometheus' legacy character set. */
    public boolean escapes() {
        return escapes;
    }

    /** Whether unit and type suffixes are appended to metric names. */
    public boolean addsSuffixes() {
        return addsSuffixes;
    }

    /** The strategy spelled {@code text} (case-insensitive). */
    public static OtlpTranslationStrategy fromWireName(String text) {
        for (OtlpTranslationStrategy s : values()) {
            if (s.wireName.toLowerCase(Locale.ROOT).equals(text.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (OtlpTranslationStrategy s : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.wireName);
        }
        throw new IllegalArgumentException("must be one of " + sb);
    }

    @Override
    public String toString() {
        return wireName;
    }
}
