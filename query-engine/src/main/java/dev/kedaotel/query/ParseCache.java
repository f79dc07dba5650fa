package dev.kedaotel.query;

import dev.kedaotel.query.ast.Expr;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parsed PromQL by query text, at most {@code capacity} entries, least recently used out first.
 *
 * <p>A lock around an access-ordered {@link LinkedHashMap} is enough: the engine looks here once per
 * query, never per series or sample. It replaced a Caffeine cache, whose ~70 classes were loaded at
 * every start (and whose maintenance ran on the JDK's common pool, a thread no one here owns).
 */
final class ParseCache {
    private final Map<String, Expr> entries;

    ParseCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative, got " + capacity);
        }
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Expr> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached parse of {@code promql}, or null. */
    synchronized Expr get(String promql) {
        return entries.get(promql);
    }

    synchronized void put(String promql, Expr parsed) {
        entries.put(promql, parsed);
    }

    synchronized int size() {
        return entries.size();
    }
}
