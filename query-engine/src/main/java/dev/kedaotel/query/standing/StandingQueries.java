package dev.kedaotel.query.standing;

import dev.kedaotel.model.TimeSource;

import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryEngine;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.tsdb.ChangeListener;
import dev.kedaotel.tsdb.SymbolTable;
import dev.kedaotel.tsdb.TimeSeriesStore;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Registry of standing queries: each distinct query text is compiled once and shared by every user
 * through reference-counted {@link StandingQueryHandle}s, re-evaluated when data it reads changes and
 * as time passes, and its subscribers told when its answer changes.
 *
 * <p>Concurrency:
 * <ul>
 *   <li>{@link #acquire}/{@link StandingQueryHandle#close()} are rare and serialised on this object's
 *       lock; they rebuild the copy-on-write name index ({@code byMetricName} values are arrays never
 *       mutated after publication; {@code anyName} is a volatile array).</li>
 *   <li>The store calls {@link #metricsChanged} on its ingest or retention thread after each commit;
 *       it only reads the index and marks queries dirty ({@link StandingQuery#markChanged}), without
 *       locks and without evaluating, so the ingest RPC returns with the dirty mark already set.</li>
 *   <li>One {@link StandingEvaluator} thread evaluates dirty subscribed queries and runs the ageing
 *       tick; synchronous evaluations happen in {@link StandingQuery#current()} on the caller.</li>
 * </ul>
 */
public final class StandingQueries implements ChangeListener, AutoCloseable {
    private static final StandingQuery[] NONE = new StandingQuery[0];

    private final TimeSeriesStore store;
    private final QueryEngine engine;
    private final TimeSource time;
    private final long ageingResolutionMs;
    private final StandingEvaluator evaluator;

    private final ConcurrentHashMap<String, StandingQuery> byText = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, StandingQuery[]> byMetricName = new ConcurrentHashMap<>();
    /** Queries whose metric names are unknown (e.g. a selector on {@code __name__=~}): dirtied by any change. */
    private volatile StandingQuery[] anyName = NONE;

    private StandingQueries(TimeSeriesStore store, QueryEngine engine, StandingQueriesConfig config) {
        this.store = store;
        this.engine = engine;
        this.time = config.time() != null ? config.time() : store.config().time();
        this.ageingResolutionMs = config.ageingResolutionMs();
        this.evaluator = new StandingEvaluator(this, ageingResolutionMs, time, config.threadsOrDefault());
    }

    /** Creates the registry, registers it as the store's change listener and starts the evaluator thread. */
    public static StandingQueries start(TimeSeriesStore store, QueryEngine engine, StandingQueriesConfig config) {
        StandingQueries queries = new StandingQueries(store, engine, config);
        store.addListener(queries);
        queries.evaluator.start();
        return queries;
    }

    public QueryEngine engine() {
        return engine;
    }

    /**
     * Parses {@code promql} and returns a new handle to the standing query of its canonical form
     * (queries differing only in spelling share one), registering it if none is standing.
     */
    public StandingQueryHandle acquire(String promql) throws PromQLException {
        Expr expr = engine.parse(promql);
        return acquire(expr.toString(), expr);
    }

    /**
     * Returns a handle to the query keyed by {@code text}, registering {@code expr} (already compiled
     * by the caller, e.g. from kedify syntax) if none is standing. {@code text} must be the PromQL
     * form of {@code expr}: equal texts share one query.
     */
    public synchronized StandingQueryHandle acquire(String text, Expr expr) {
        StandingQuery query = byText.get(text);
        if (query == null) {
            query = register(text, expr);
        }
        query.refCount++;
        return new StandingQueryHandle(this, query);
    }

    synchronized StandingQueryHandle acquireExisting(StandingQuery query) {
        if (query.refCount <= 0) {
            throw new IllegalStateException("standing query " + query.text() + " was already released");
        }
        query.refCount++;
        return new StandingQueryHandle(this, query);
    }

    synchronized void release(StandingQuery query) {
        if (--query.refCount > 0) {
            return;
        }
        byText.remove(query.text(), query);
        query.retire();
        Set<String> names = query.metricNames();
        if (names == null) {
            anyName = without(anyName, query);
            return;
        }
        for (String name : names) {
            StandingQuery[] rest = without(byMetricName.getOrDefault(name, NONE), query);
            if (rest.length == 0) {
                byMetricName.remove(name);
            } else {
                byMetricName.put(name, rest);
            }
        }
    }

    private StandingQuery register(String text, Expr expr) {
        Set<String> names = ReferencedNames.of(expr);
        StandingQuery query = new StandingQuery(text, expr, names, this);
        if (names == null) {
            anyName = with(anyName, query);
        } else {
            for (String name : names) {
                byMetricName.put(name, with(byMetricName.getOrDefault(name, NONE), query));
            }
        }
        byText.put(text, query);
        return query;
    }

    /** Number of distinct standing queries. */
    public int size() {
        return byText.size();
    }

    /** The standing query for this text, or null. */
    public StandingQuery find(String text) {
        return byText.get(text);
    }

    /** Store callback on the ingest/retention thread: mark affected queries dirty; never evaluates. */
    @Override
    public void metricsChanged(int[] metricNameSymbols, int count) {
        for (StandingQuery query : anyName) {
            query.markChanged();
        }
        if (byMetricName.isEmpty()) {
            return;
        }
        SymbolTable symbols = store.symbols();
        for (int i = 0; i < count; i++) {
            StandingQuery[] queries = byMetricName.get(symbols.symbol(metricNameSymbols[i]));
            if (queries != null) {
                for (StandingQuery query : queries) {
                    query.markChanged();
                }
            }
        }
    }

    /**
     * Every standing query as a read-only snapshot, sorted by text; never evaluates. The user count is
     * read under this object's lock (it is guarded by it), so a snapshot is consistent per query.
     */
    public synchronized java.util.List<StandingQuerySnapshot> snapshot() {
        java.util.List<StandingQuerySnapshot> out = new java.util.ArrayList<>(byText.size());
        for (StandingQuery q : byText.values()) {
            out.add(new StandingQuerySnapshot(q.text(), q.refCount, q.subscriberCount(), q.latest()));
        }
        out.sort(java.util.Comparator.comparing(StandingQuerySnapshot::promql));
        return out;
    }

    void forEachSubscribed(Consumer<StandingQuery> action) {
        for (StandingQuery query : byText.values()) {
            if (query.hasSubscribers()) {
                action.accept(query);
            }
        }
    }

    long nowMs() {
        return time.wallMillis();
    }

    long ageingResolutionMs() {
        return ageingResolutionMs;
    }

    StandingEvaluator evaluator() {
        return evaluator;
    }

    /** Stops listening to the store and stops the evaluator thread. */
    @Override
    public void close() {
        store.removeListener(this);
        evaluator.stop();
    }

    private static StandingQuery[] with(StandingQuery[] queries, StandingQuery added) {
        StandingQuery[] out = Arrays.copyOf(queries, queries.length + 1);
        out[queries.length] = added;
        return out;
    }

    private static StandingQuery[] without(StandingQuery[] queries, StandingQuery removed) {
        return Arrays.stream(queries).filter(q -> q != removed).toArray(StandingQuery[]::new);
    }
}
