package dev.kedaotel.server.simulate;

import dev.kedaotel.server.http.JsonReader;
import dev.kedaotel.server.http.PromFormat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads a metric history from either of two formats, told apart by the first character:
 * <ul>
 *   <li>{@code /api/v1/query_range} JSON of this service (or Prometheus): a {@code matrix} result; with more than
 *       one series, {@code --series} must pick one ({@code label=value,...}), else the error lists them;</li>
 *   <li>CSV {@code timestamp,value}, an optional header line, timestamps in RFC 3339 or unix seconds; an empty
 *       value (or {@code NaN}) is a failed read at that time, as is a point left out of a regular history.</li>
 * </ul>
 * Non-finite JSON values ({@code NaN}, {@code +Inf}) count as failed reads. Errors name the file and the line
 * (CSV) or the series and the point (JSON).
 */
final class HistoryReader {
    private HistoryReader() {
    }

    static MetricHistory read(String file, String text, Optional<String> series) throws BadInputException {
        String trimmed = text.stripLeading();
        if (trimmed.isEmpty()) {
            throw new BadInputException(file + ": empty history");
        }
        return trimmed.charAt(0) == '{' ? json(file, text, series) : csv(file, text, series);
    }

    private static MetricHistory csv(String file, String text, Optional<String> series) throws BadInputException {
        if (series.isPresent()) {
            throw new BadInputException(file + ": --series applies to query_range JSON; a CSV holds one series");
        }
        List<Long> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].trim();
            String where = file + ":" + (n + 1) + ": ";
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != 2) {
                throw new BadInputException(where + "expected two columns timestamp,value, found " + cells.length);
            }
            if (times.isEmpty() && values.isEmpty() && cells[0].trim().equalsIgnoreCase("timestamp")) {
                continue; // header
            }
            long t = timestamp(where, cells[0].trim());
            String v = cells[1].trim();
            double value;
            if (v.isEmpty() || v.equalsIgnoreCase("nan")) {
                value = Double.NaN;
            } else {
                try {
                    value = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new BadInputException(where + "value \"" + v + "\" is not a number (leave it empty for a failed read)");
                }
                if (!Double.isFinite(value)) {
                    value = Double.NaN;
                }
            }
            if (!times.isEmpty() && t <= times.get(times.size() - 1)) {
                throw new BadInputException(where + "timestamp \"" + cells[0].trim() + "\" is not after the previous line's");
            }
            times.add(t);
            values.add(value);
        }
        if (times.isEmpty()) {
            throw new BadInputException(file + ": no samples (expected lines timestamp,value)");
        }
        return history(times, values);
    }

    @SuppressWarnings("unchecked")
    private static MetricHistory json(String file, String text, Optional<String> series) throws BadInputException {
        Object root;
        try {
            root = JsonReader.parse(text.strip());
        } catch (RuntimeException e) {
            throw new BadInputException(file + ": not valid JSON: " + e.getMessage());
        }
        Object data = root instanceof Map ? ((Map<String, Object>) root).get("data") : null;
        if (!(data instanceof Map) || !"matrix".equals(((Map<String, Object>) data).get("resultType"))
                || !(((Map<String, Object>) data).get("result") instanceof List)) {
            throw new BadInputException(file + ": expected a query_range answer: {\"data\": {\"resultType\": \"matrix\", \"result\": [...]}}");
        }
        List<Object> result = (List<Object>) ((Map<String, Object>) data).get("result");
        Map<String, String> wanted = series.isPresent() ? selector(series.get()) : Map.of();
        List<Map<String, Object>> matching = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Object s : result) {
            if (!(s instanceof Map) || !(((Map<String, Object>) s).get("metric") instanceof Map)
                    || !(((Map<String, Object>) s).get("values") instanceof List)) {
                throw new BadInputException(file + ": data.result[" + names.size() + "] is not {\"metric\": {...}, \"values\": [...]}");
            }
            Map<String, Object> labels = (Map<String, Object>) ((Map<String, Object>) s).get("metric");
            names.add(describe(labels));
            if (wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
                matching.add((Map<String, Object>) s);
            }
        }
        if (matching.size() != 1) {
            String what = result.isEmpty() ? "no series"
                    : matching.isEmpty() ? "no series matches --series " + series.orElse("")
                    : matching.size() + " series" + (series.isPresent() ? " match --series " + series.get() : "");
            throw new BadInputException(file + ": " + what + "; pick one with --series label=value[,label=value] from: "
                    + (names.isEmpty() ? "(none)" : String.join(" ", names)));
        }
        Map<String, Object> chosen = matching.get(0);
        String name = describe((Map<String, Object>) chosen.get("metric"));
        List<Long> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<Object> points = (List<Object>) chosen.get("values");
        for (int i = 0; i < points.size(); i++) {
            String where = file + ": series " + name + " point " + i + ": ";
            Object p = points.get(i);
            if (!(p instanceof List) || ((List<Object>) p).size() != 2 || !(((List<Object>) p).get(0) instanceof Double)
                    || !(((List<Object>) p).get(1) instanceof String)) {
                throw new BadInputException(where + "expected [unix seconds, \"value\"]");
            }
            long t = new BigDecimal(((Double) ((List<Object>) p).get(0)).toString()).movePointRight(3).longValue();
            String v = (String) ((List<Object>) p).get(1);
            double value;
            try {
                value = Double.parseDouble(v.replace("Inf", "Infinity"));
            } catch (NumberFormatException e) {
                throw new BadInputException(where + "value \"" + v + "\" is not a number");
            }
            if (!times.isEmpty() && t <= times.get(times.size() - 1)) {
                throw new BadInputException(where + "timestamp is not after the previous point's");
            }
            times.add(t);
            values.add(Double.isFinite(value) ? value : Double.NaN);
        }
        if (times.isEmpty()) {
            throw new BadInputException(file + ": series " + name + " has no points");
        }
        return history(times, values);
    }

    /** {@code a=b,c="d"} as a label map. */
    static Map<String, String> selector(String text) throws BadInputException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("--series: \"" + part + "\" is not label=value");
            }
            String value = part.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            out.put(part.substring(0, eq).trim(), value);
        }
        return out;
    }

    /**
     * A timestamp in RFC 3339 or unix seconds (with fraction), as epoch milliseconds: the grammar of
     * Prometheus' API time parameters ({@link PromFormat#parseTime}), so a recorded range's bounds read back
     * exactly as the API took them.
     */
    static long timestamp(String where, String text) throws BadInputException {
        try {
            return PromFormat.parseTime("timestamp", text);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(where + "timestamp \"" + text + "\" is neither RFC 3339 (2026-12-01T12:00:00Z) nor unix seconds");
        }
    }

    private static String describe(Map<String, Object> labels) {
        return labels.entrySet().stream().map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static MetricHistory history(List<Long> times, List<Double> values) {
        long[] t = new long[times.size()];
        double[] v = new double[values.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = times.get(i);
            v[i] = values.get(i);
        }
        return new MetricHistory(t, v);
    }
}
