package dev.kedaotel.receiver;

import dev.kedaotel.tsdb.AppendResult;
import dev.kedaotel.model.StaleMarker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test-only in-memory {@link IngestSink} with the tsdb's append semantics (same timestamp = duplicate,
 * older = out of order, delta accumulates from 0, stale is a no-op for unknown series), so mapping
 * tests do not depend on the store module. Thread-safe enough for tests: all methods synchronized.
 */
final class RecordingSink implements IngestSink {
    record Sample(long ts, double value) {
    }

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> symbols = new ArrayList<>();
    private final Map<Integer, Integer> current = new HashMap<>();
    private final Map<Map<String, String>, List<Sample>> series = new HashMap<>();
    private int commits;

    @Override
    public synchronized int internUtf8(byte[] buf, int off, int len) {
        return intern(new String(buf, off, len, StandardCharsets.UTF_8));
    }

    @Override
    public synchronized int intern(String s) {
        return ids.computeIfAbsent(s, k -> {
            symbols.add(k);
            return symbols.size() - 1;
        });
    }

    @Override
    public synchronized String symbol(int id) {
        return symbols.get(id);
    }

    @Override
    public synchronized void clearLabels() {
        current.clear();
    }

    @Override
    public synchronized void addLabel(int nameSymbol, int valueSymbol) {
        current.put(nameSymbol, valueSymbol);
    }

    private Map<String, String> key() {
        Map<String, String> m = new TreeMap<>();
        current.forEach((n, v) -> {
            if (!symbols.get(v).isEmpty()) {
                m.put(symbols.get(n), symbols.get(v));
            }
        });
        return m;
    }

    @Override
    public synchronized int append(long ts, double value) {
        List<Sample> s = series.computeIfAbsent(key(), k -> new ArrayList<>());
        if (!s.isEmpty()) {
            long last = s.get(s.size() - 1).ts();
            if (ts == last) {
                return AppendResult.DUPLICATE;
            }
            if (ts < last) {
                return AppendResult.OUT_OF_ORDER;
            }
        }
        s.add(new Sample(ts, value));
        return AppendResult.APPENDED;
    }

    @Override
    public synchronized int appendDelta(long ts, double delta) {
        List<Sample> s = series.get(key());
        double base = 0;
        if (s != null && !s.isEmpty()) {
            double last = s.get(s.size() - 1).value();
            base = StaleMarker.isStale(last) ? 0 : last;
        }
        return append(ts, base + delta);
    }

    @Override
    public synchronized int appendStale(long ts) {
        if (!series.containsKey(key())) {
            return AppendResult.APPENDED;
        }
        return append(ts, StaleMarker.VALUE);
    }

    @Override
    public synchronized void commit() {
        commits++;
    }

    synchronized int commits() {
        return commits;
    }

    synchronized Map<Map<String, String>, List<Sample>> series() {
        return new HashMap<>(series);
    }

    /** Samples of the series with exactly these labels (name/value pairs), or null. */
    synchronized List<Sample> samples(String... labels) {
        Map<String, String> k = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            k.put(labels[i], labels[i + 1]);
        }
        List<Sample> s = series.get(k);
        return s == null ? null : List.copyOf(s);
    }

    /** The last value of the series with exactly these labels; fails when absent. */
    synchronized double last(String... labels) {
        List<Sample> s = samples(labels);
        if (s == null || s.isEmpty()) {
            throw new AssertionError("no series " + String.join(",", labels) + " in " + series.keySet());
        }
        return s.get(s.size() - 1).value();
    }
}
