package dev.kedaotel.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the Prometheus HTTP API's JSON answers, which all three systems give in the same shape: a small
 * recursive-descent JSON reader (objects → Map, arrays → List, strings, numbers → Double, booleans,
 * null) and the two shapes the comparison needs: an instant query's result as "sorted label set → value"
 * and {@code /api/v1/series}' label sets.
 */
final class PromJson {
    private final String s;
    private int i;

    private PromJson(String s) {
        this.s = s;
    }

    static Object parse(String json) {
        PromJson p = new PromJson(json);
        Object v = p.value();
        p.ws();
        if (p.i != json.length()) {
            throw p.error("trailing characters");
        }
        return v;
    }

    /**
     * The result of {@code /api/v1/query} as label set text ({@code {a="1",b="2"}}, sorted) → value;
     * a scalar is one entry with key {@code scalar}. Throws if the status is not success.
     */
    static Map<String, Double> instantResult(String json) {
        Map<String, Object> data = data(json);
        Map<String, Double> out = new TreeMap<>();
        Object result = data.get("result");
        if ("scalar".equals(data.get("resultType"))) {
            out.put("scalar", sampleValue(result));
            return out;
        }
        for (Object o : (List<?>) result) {
            Map<?, ?> series = (Map<?, ?>) o;
            out.put(labelText((Map<?, ?>) series.get("metric")), sampleValue(series.get("value")));
        }
        return out;
    }

    /** The label sets of a {@code /api/v1/series} answer, each as sorted label text. */
    static List<String> seriesResult(String json) {
        Object data = ((Map<?, ?>) checked(json)).get("data");
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) data) {
            out.add(labelText((Map<?, ?>) o));
        }
        out.sort(null);
        return out;
    }

    private static Map<String, Object> data(String json) {
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) ((Map<?, ?>) checked(json)).get("data");
        return data;
    }

    private static Object checked(String json) {
        Object root = parse(json);
        if (!(root instanceof Map<?, ?> m) || !"success".equals(m.get("status"))) {
            throw new IllegalStateException("not a success answer: " + abbreviate(json));
        }
        return root;
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static double sampleValue(Object pair) {
        String v = (String) ((List<?>) pair).get(1);
        return switch (v) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    private static String labelText(Map<?, ?> metric) {
        StringBuilder sb = new StringBuilder("{");
        new TreeMap<>(metric).forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(k).append("=\"").append(v).append('"'));
        return sb.append('}').toString();
    }

    private Object value() {
        ws();
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{': {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                ws();
                if (peek('}')) {
                    return m;
                }
                do {
                    ws();
                    String k = string();
                    ws();
                    expect(':');
                    m.put(k, value());
                    ws();
                } while (peek(','));
                expect('}');
                return m;
            }
            case '[': {
                i++;
                List<Object> l = new ArrayList<>();
                ws();
                if (peek(']')) {
                    return l;
                }
                do {
                    l.add(value());
                    ws();
                } while (peek(','));
                expect(']');
                return l;
            }
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                int start = i;
                while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                    i++;
                }
                if (start == i) {
                    throw error("unexpected '" + c + "'");
                }
                return Double.parseDouble(s.substring(start, i));
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, i)) {
            throw error("expected " + word);
        }
        i += word.length();
        return v;
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> sb.append(e); // \" \\ \/
            }
        }
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private boolean peek(char c) {
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private IllegalStateException error(String what) {
        return new IllegalStateException(what + " at " + i + " in " + abbreviate(s));
    }
}
