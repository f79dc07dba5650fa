package dev.kedaotel.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus' OTLP name translation, per {@link OtlpTranslationStrategy}: metric names (escaping, unit
 * and type suffixes), the unit Prometheus' metadata reports, label names, and — for kedify queries —
 * every stored name an OTLP metric of a given name can get. Used on both sides, like
 * {@link PrometheusNames}: the receiver when storing (once per distinct name, unit and type; it caches
 * the result), the query engine when compiling a kedify {@code metricQuery}.
 *
 * <p>The rules are those of Prometheus' translator ({@code github.com/prometheus/otlptranslator},
 * {@code metric_namer.go}, {@code unit_namer.go}, {@code label_namer.go}, as Prometheus 3 uses it):
 * <ul>
 *   <li>escaping without suffixes: runs of characters outside {@code [a-zA-Z0-9_:]} become one
 *       {@code _}, and are dropped at either end; a leading digit gets a {@code _} prefix;</li>
 *   <li>escaping with suffixes: the name is split into words at every character outside
 *       {@code [a-zA-Z0-9:]} (so runs of {@code _} collapse too); the unit's words are appended unless
 *       the name already has that word (UCUM units mapped: {@code s}→{@code seconds}, {@code By}→
 *       {@code bytes}, {@code %}→{@code percent}, {@code 1}→none…; {@code x/y} → {@code x_per_y} with
 *       {@code y} from {@code s m h d w mo y}; a part in {@code {…}} is dropped; an unknown unit is kept as
 *       its escaped text); a monotonic sum gets {@code total} (moved to the end if the name had it), a
 *       gauge with unit {@code 1} gets {@code ratio}; the words are joined with {@code _};</li>
 *   <li>no escaping with suffixes: the name as sent, then {@code _<unit>} unless the name already ends
 *       with it, {@code _per_<y>}, {@code _total}, {@code _ratio} (an existing {@code _total} or
 *       {@code _ratio} at the end is not doubled);</li>
 *   <li>label names, escaping: characters outside {@code [a-zA-Z0-9_]} become {@code _} one each; a
 *       leading digit gets {@code key_}, a leading single {@code _} gets {@code key}; without escaping
 *       as sent.</li>
 * </ul>
 * An escaped name with no character left but {@code _} is invalid ({@link #metricName} returns "").
 */
public final class OtlpNames {
    /** UCUM unit → Prometheus unit word ({@code otlptranslator} {@code unitMap}). */
    static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"),
            Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
            Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
            Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
            Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
            Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
            Map.entry("W", "watts"), Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
            Map.entry("1", ""), Map.entry("%", "percent"));
    /** UCUM "per" unit → word ({@code perUnitMap}). */
    static final Map<String, String> PER_UNITS = Map.of("s", "second", "m", "minute", "h", "hour", "d", "day",
            "w", "week", "mo", "month", "y", "year");

    private OtlpNames() {
    }

    /** The stored name of the OTLP metric {@code name} with {@code unit} and {@code type}; "" when invalid. */
    public static String metricName(OtlpTranslationStrategy strategy, String name, String unit, OtlpMetricType type) {
        switch (strategy) {
            case KEDIFY_COMPATIBLE:
                return name.isEmpty() ? "" : PrometheusNames.metricName(name);
            case UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES:
                return onlyUnderscores(escapeWithoutSuffixes(name));
            case UNDERSCORE_ESCAPING_WITH_SUFFIXES:
                return onlyUnderscores(escapeWithSuffixes(name, unit, type));
            case NO_UTF8_ESCAPING_WITH_SUFFIXES:
                return name.isEmpty() ? "" : withSuffixes(name, unit, type);
            default:
                return name;
        }
    }

    /** The unit Prometheus' metadata reports for {@code unit} ({@code seconds}, {@code bytes_per_second}, "" for {@code 1}). */
    public static String unitName(OtlpTranslationStrategy strategy, String unit) {
        String[] parts = unitSuffixes(unit);
        String main = parts[0];
        String per = parts[1];
        if (strategy.escapes()) {
            main = cleanUpUnit(main);
            per = cleanUpUnit(per);
        }
        String u = !main.isEmpty() && !per.isEmpty() ? main + "_" + per : !main.isEmpty() ? main : per;
        if (u.startsWith("_")) {
            u = u.substring(1);
        }
        if (u.endsWith("_")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /** The label name of the attribute key {@code key}. */
    public static String labelName(OtlpTranslationStrategy strategy, String key) {
        switch (strategy) {
            case KEDIFY_COMPATIBLE:
                return key.isEmpty() ? "" : PrometheusNames.labelName(key);
            case UNDERSCORE_ESCAPING_WITH_SUFFIXES:
            case UNDERSCORE_ESCAPING_WITHOUT_SUFFIXES: {
                if (key.isEmpty()) {
                    return "";
                }
                StringBuilder sb = new StringBuilder(key.length() + 4);
                for (int i = 0; i < key.length(); ) {
                    int cp = key.codePointAt(i);
                    i += Character.charCount(cp);
                    sb.append(cp < 128 && (isAlnum(cp) || cp == '_') ? (char) cp : '_');
                }
                String s = sb.toString();
                if (isDigit(s.charAt(0))) {
                    return "key_" + s;
                }
                return s.startsWith("_") && !s.startsWith("__") ? "key" + s : s;
            }
            default:
                return key;
        }
    }

    /**
     * Every name the receiver can store an OTLP metric named {@code name} under with this strategy, for
     * any metric type and any unit Prometheus maps to a word (including {@code x/y} per-units), plus
     * {@code name} as stored with no unit: the names a kedify query for {@code name} selects. A unit
     * Prometheus does not map (kept as its own text) is not among them.
     */
    public static Set<String> candidates(OtlpTranslationStrategy strategy, String name) {
        Set<String> out = new LinkedHashSet<>();
        String plain = metricName(strategy, name, "", OtlpMetricType.GAUGE);
        if (!plain.isEmpty()) {
            out.add(plain);
        }
        if (!strategy.addsSuffixes()) {
            return out;
        }
        for (String unit : suffixUnits()) {
            for (OtlpMetricType type : new OtlpMetricType[] {OtlpMetricType.GAUGE, OtlpMetricType.MONOTONIC_COUNTER}) {
                String n = metricName(strategy, name, unit, type);
                if (!n.isEmpty()) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    private static List<String> suffixUnits() {
        List<String> units = new ArrayList<>();
        units.add("");
        units.addAll(UNITS.keySet());
        for (String per : PER_UNITS.keySet()) {
            for (String main : UNITS.keySet()) {
                units.add(main + "/" + per);
            }
        }
        return units;
    }

    private static String onlyUnderscores(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '_') {
                return s;
            }
        }
        return "";
    }

    private static String escapeWithoutSuffixes(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 1);
        boolean pendingSeparator = false;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 128 && (isAlnum(cp) || cp == '_' || cp == ':')) {
                if (pendingSeparator && sb.length() > 0) {
                    sb.append('_');
                }
                pendingSeparator = false;
                sb.append((char) cp);
            } else {
                pendingSeparator = true;
            }
        }
        if (sb.length() > 0 && isDigit(sb.charAt(0))) {
            sb.insert(0, '_');
        }
        return sb.toString();
    }

    /** Splits at every character outside {@code [a-zA-Z0-9:]}, dropping empty words. */
    private static List<String> words(String name) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 128 && (isAlnum(cp) || cp == ':')) {
                word.append((char) cp);
            } else if (word.length() > 0) {
                out.add(word.toString());
                word.setLength(0);
            }
        }
        if (word.length() > 0) {
            out.add(word.toString());
        }
        return out;
    }

    private static String escapeWithSuffixes(String name, String unit, OtlpMetricType type) {
        List<String> words = words(name);
        String[] parts = unitSuffixes(unit);
        String main = cleanUpUnit(parts[0]);
        String per = cleanUpUnit(parts[1]);
        if (words.contains(main)) {
            main = "";
        }
        if (per.equals("per_")) {
            per = "";
        } else {
            per = trimSuffix(per, "_");
            if (words.contains(per)) {
                per = "";
            }
        }
        if (!per.isEmpty()) {
            main = trimSuffix(main, "_");
        }
        if (!main.isEmpty()) {
            words.add(main);
        }
        if (!per.isEmpty()) {
            words.add(per);
        }
        if (type == OtlpMetricType.MONOTONIC_COUNTER) {
            words.removeIf("total"::equals);
            words.add("total");
        }
        if (unit.equals("1") && type == OtlpMetricType.GAUGE) {
            words.removeIf("ratio"::equals);
            words.add("ratio");
        }
        String joined = String.join("_", words);
        return !joined.isEmpty() && isDigit(joined.charAt(0)) ? "_" + joined : joined;
    }

    private static String withSuffixes(String name, String unit, OtlpMetricType type) {
        boolean ratio = unit.equals("1") && type == OtlpMetricType.GAUGE;
        boolean total = type == OtlpMetricType.MONOTONIC_COUNTER;
        if (ratio) {
            name = trimSuffixAndDelimiter(name, "ratio");
        }
        if (total) {
            name = trimSuffixAndDelimiter(name, "total");
        }
        String[] parts = unitSuffixes(unit);
        String main = parts[0];
        String per = parts[1];
        if (!per.isEmpty()) {
            name = trimSuffixAndDelimiter(name, per);
        }
        if (!main.isEmpty() && !name.endsWith(main)) {
            name = name + "_" + main;
        }
        if (!per.isEmpty()) {
            name = name + "_" + per;
        }
        if (total) {
            name = name + "_total";
        }
        if (ratio) {
            name = name + "_ratio";
        }
        return name;
    }

    /** {main unit word, "per_" + per unit word}, each "" when absent, blank or an annotation in braces. */
    private static String[] unitSuffixes(String unit) {
        int slash = unit.indexOf('/');
        String mainOtel = (slash < 0 ? unit : unit.substring(0, slash)).strip();
        String main = "";
        if (!mainOtel.isEmpty() && mainOtel.indexOf('{') < 0 && mainOtel.indexOf('}') < 0) {
            main = UNITS.getOrDefault(mainOtel, mainOtel);
        }
        String per = "";
        if (slash >= 0 && slash + 1 < unit.length()) {
            String perOtel = unit.substring(slash + 1).strip();
            if (!perOtel.isEmpty() && perOtel.indexOf('{') < 0 && perOtel.indexOf('}') < 0) {
                per = PER_UNITS.getOrDefault(perOtel, perOtel);
            }
            if (!per.isEmpty()) {
                per = "per_" + per;
            }
        }
        return new String[] {main, per};
    }

    /** Escapes to {@code [a-zA-Z0-9:_]}, collapses runs of {@code _} and drops a leading one. */
    private static String cleanUpUnit(String unit) {
        StringBuilder sb = new StringBuilder(unit.length());
        for (int i = 0; i < unit.length(); ) {
            int cp = unit.codePointAt(i);
            i += Character.charCount(cp);
            char c = cp < 128 && (isAlnum(cp) || cp == ':') ? (char) cp : '_';
            if (c == '_' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '_') {
                continue;
            }
            sb.append(c);
        }
        return sb.length() > 0 && sb.charAt(0) == '_' ? sb.substring(1) : sb.toString();
    }

    private static String trimSuffix(String s, String suffix) {
        return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    private static String trimSuffixAndDelimiter(String name, String suffix) {
        if (name.endsWith(suffix) && name.length() > suffix.length() + 1) {
            return name.substring(0, name.length() - suffix.length() - 1);
        }
        return name;
    }

    private static boolean isAlnum(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
