package dev.kedaotel.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides whether our reply is Prometheus' reply: same status and error type; same result type;
 * same series label sets; same timestamps; values within 1e-9 relative (NaN equals NaN, ±Inf exact);
 * vector order compared only when the query sorts. Returns null on agreement, else what differs.
 */
final class ResultComparison {
    static final double REL_TOLERANCE = 1e-9;

    private ResultComparison() {
    }

    static String compare(ApiClient.Reply prom, ApiClient.Reply ours, boolean ordered) {
        if (!prom.success() || !ours.success()) {
            if (prom.success() != ours.success()) {
                return prom.success() ? "we failed (" + ours.status() + " " + ours.errorType() + ": " + ours.error() + ") but Prometheus answered "
                        + abbreviate(prom.body()) : "Prometheus failed (" + prom.errorType() + ": " + prom.error() + ") but we answered " + abbreviate(ours.body());
            }
            if (!prom.errorType().equals(ours.errorType()) || prom.status() != ours.status()) {
                return "error type: Prometheus " + prom.status() + " " + prom.errorType() + " (" + prom.error() + "), we "
                        + ours.status() + " " + ours.errorType() + " (" + ours.error() + ")";
            }
            return null;
        }
        return compareData(prom.data(), ours.data(), ordered);
    }

    @SuppressWarnings("unchecked")
    static String compareData(Object promData, Object ourData, boolean ordered) {
        Map<String, Object> p = (Map<String, Object>) promData;
        Map<String, Object> o = (Map<String, Object>) ourData;
        String type = (String) p.get("resultType");
        if (!type.equals(o.get("resultType"))) {
            return "result type: Prometheus " + type + ", we " + o.get("resultType");
        }
        switch (type) {
            case "scalar":
            case "string":
                return comparePoint("", (List<Object>) p.get("result"), (List<Object>) o.get("result"), type.equals("string"));
            case "vector":
                return compareSeries((List<Object>) p.get("result"), (List<Object>) o.get("result"), "value", ordered);
            case "matrix":
                return compareSeries((List<Object>) p.get("result"), (List<Object>) o.get("result"), "values", false);
            default:
                return "unknown result type " + type;
        }
    }

    @SuppressWarnings("unchecked")
    private static String compareSeries(List<Object> prom, List<Object> ours, String field, boolean ordered) {
        Map<String, Object> pm = byLabels(prom);
        Map<String, Object> om = byLabels(ours);
        if (pm == null || om == null) {
            return "duplicate label sets in " + (pm == null ? "Prometheus'" : "our") + " result";
        }
        if (!pm.keySet().equals(om.keySet())) {
            List<String> missing = new ArrayList<>(pm.keySet());
            missing.removeAll(om.keySet());
            List<String> extra = new ArrayList<>(om.keySet());
            extra.removeAll(pm.keySet());
            return "series differ: missing " + abbreviate(missing.toString()) + ", extra " + abbreviate(extra.toString());
        }
        for (Map.Entry<String, Object> e : pm.entrySet()) {
            Map<String, Object> ps = (Map<String, Object>) e.getValue();
            Map<String, Object> os = (Map<String, Object>) om.get(e.getKey());
            String d;
            if (field.equals("value")) {
                d = comparePoint(e.getKey(), (List<Object>) ps.get("value"), (List<Object>) os.get("value"), false);
            } else {
                List<Object> pv = (List<Object>) ps.get("values");
                List<Object> ov = (List<Object>) os.get("values");
                d = pv.size() != ov.size() ? e.getKey() + ": Prometheus " + pv.size() + " points, we " + ov.size()
                        + " (Prometheus " + abbreviate(pv.toString()) + ", we " + abbreviate(ov.toString()) + ")" : null;
                for (int i = 0; d == null && i < pv.size(); i++) {
                    d = comparePoint(e.getKey(), (List<Object>) pv.get(i), (List<Object>) ov.get(i), false);
                }
            }
            if (d != null) {
                return d;
            }
        }
        if (ordered) {
            for (int i = 0; i < prom.size(); i++) {
                Object pv = ((List<Object>) ((Map<String, Object>) prom.get(i)).get("value")).get(1);
                Object ov = ((List<Object>) ((Map<String, Object>) ours.get(i)).get("value")).get(1);
                if (!sameValue((String) pv, (String) ov)) {
                    return "order differs at position " + i + ": Prometheus " + pv + ", we " + ov;
                }
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> byLabels(List<Object> result) {
        Map<String, Object> out = new TreeMap<>();
        for (Object item : result) {
            Map<String, Object> m = (Map<String, Object>) item;
            String key = new TreeMap<>((Map<String, Object>) m.get("metric")).toString();
            if (out.put(key, m) != null) {
                return null;
            }
        }
        return out;
    }

    /** A JSON timestamp (unix seconds with at most 3 decimals) in ms; exact after rounding at that magnitude. */
    private static long millis(Object jsonNumber) {
        return Math.round(((Double) jsonNumber) * 1000.0);
    }

    private static String comparePoint(String series, List<Object> p, List<Object> o, boolean exactString) {
        long pt = millis(p.get(0));
        long ot = millis(o.get(0));
        if (pt != ot) {
            return series + " timestamp: Prometheus " + p.get(0) + ", we " + o.get(0);
        }
        String pv = (String) p.get(1);
        String ov = (String) o.get(1);
        boolean same = exactString ? pv.equals(ov) : sameValue(pv, ov);
        if (same && !pv.equals(ov) && parse(pv) == parse(ov)) {
            return series + " @" + p.get(0) + ": same value written differently: Prometheus \"" + pv + "\", we \"" + ov + "\"";
        }
        return same ? null : series + " @" + p.get(0) + ": Prometheus " + pv + ", we " + ov;
    }

    private static double parse(String v) {
        return Double.parseDouble(v.replace("Inf", "Infinity"));
    }

    static boolean sameValue(String p, String o) {
        double a = parse(p);
        double b = parse(o);
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        if (Double.isInfinite(a) || Double.isInfinite(b)) {
            return a == b;
        }
        return a == b || Math.abs(a - b) <= REL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
