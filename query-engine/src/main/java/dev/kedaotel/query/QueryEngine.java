package dev.kedaotel.query;

import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.eval.Evaluation;
import dev.kedaotel.query.eval.SelectionCache;
import dev.kedaotel.query.parser.Parser;
import dev.kedaotel.tsdb.TimeSeriesStore;

/**
 * Entry point of PromQL: parses (with a shared cache of parsed text) and evaluates expressions over a
 * {@link TimeSeriesStore} with Prometheus 2.42 semantics.
 *
 * <p>Thread-safety: the engine is immutable apart from the parse cache (a small synchronized LRU map) and
 * may be shared by any number of threads; each call builds its own {@link Evaluation} holding that
 * query's buffers, so concurrent queries share nothing mutable. ASTs are immutable and may be cached and
 * re-evaluated concurrently.
 */
public final class QueryEngine {
    /** Prometheus' cap on the steps of one range query. */
    public static final long MAX_POINTS_PER_SERIES = 11_000;

    private final TimeSeriesStore store;
    private final EngineConfig config;
    private final ParseCache parseCache;

    public QueryEngine(TimeSeriesStore store, EngineConfig config) {
        this.store = store;
        this.config = config;
        this.parseCache = new ParseCache(config.parseCacheSize());
    }

    public EngineConfig config() {
        return config;
    }

    /** Parses and type-checks PromQL; successful parses are cached by text. Errors are BAD_DATA. */
    public Expr parse(String promql) throws PromQLException {
        if (promql == null) {
            throw PromQLException.badData("1:1: parse error: no expression found in input");
        }
        Expr cached = parseCache.get(promql);
        if (cached != null) {
            return cached;
        }
        Expr e = Parser.parse(promql);
        parseCache.put(promql, e);
        return e;
    }

    /** Evaluates at one instant with the engine's defaults. */
    public QueryResult instant(Expr expr, long timeMs) throws PromQLException {
        return instant(expr, timeMs, QueryOptions.DEFAULT);
    }

    /**
     * Evaluates at one instant. A vector comes back in evaluation order (so {@code sort()} is honoured), a
     * range-vector expression comes back as a matrix of raw samples.
     */
    public QueryResult instant(Expr expr, long timeMs, QueryOptions opts) throws PromQLException {
        return new Evaluation(store, config, opts, timeMs, timeMs, 0).instant(expr);
    }

    /**
     * Evaluates at one instant reusing {@code selections} (made for this very {@code expr}) across calls,
     * as long as no series was created or removed since they were taken; for expressions evaluated again
     * and again, such as standing queries.
     */
    public QueryResult instant(Expr expr, long timeMs, SelectionCache selections) throws PromQLException {
        return new Evaluation(store, config, QueryOptions.DEFAULT, timeMs, timeMs, 0, selections).instant(expr);
    }

    /**
     * Evaluates at {@code start, start+step, ... <= end}; the result is a matrix sorted by labels. Only scalar
     * and instant-vector expressions are allowed, as in Prometheus.
     */
    public QueryResult range(Expr expr, long startMs, long endMs, long stepMs, QueryOptions opts) throws PromQLException {
        if (stepMs <= 0) {
            throw PromQLException.badData("zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMs < startMs) {
            throw PromQLException.badData("end timestamp must not be before start time");
        }
        if ((endMs - startMs) / stepMs > MAX_POINTS_PER_SERIES) {
            throw PromQLException.badData("exceeded maximum resolution of 11,000 points per timeseries."
                    + " Try decreasing the query resolution (?step=XX)");
        }
        if (expr.type() != ValueType.SCALAR && expr.type() != ValueType.VECTOR) {
            throw PromQLException.badData("invalid expression type \"" + expr.type().documentedName()
                    + "\" for range query, must be Scalar or instant Vector");
        }
        return new Evaluation(store, config, opts, startMs, endMs, stepMs).range(expr);
    }

    /**
     * Evaluates a scaling query: a scalar is found; an empty vector is not found; a one-element vector is
     * its value; more elements are an EXECUTION error asking for an aggregation.
     */
    public ScalarOutcome evaluateToScalar(Expr expr, long timeMs) throws PromQLException {
        return evaluateToScalar(expr, timeMs, null);
    }

    /** {@link #evaluateToScalar(Expr, long)} reusing {@code selections} (may be null) made for this {@code expr}. */
    public ScalarOutcome evaluateToScalar(Expr expr, long timeMs, SelectionCache selections) throws PromQLException {
        QueryResult r = selections == null ? instant(expr, timeMs) : instant(expr, timeMs, selections);
        switch (r.type()) {
            case SCALAR:
                return ScalarOutcome.of(r.scalar());
            case VECTOR:
                if (r.size() == 0) {
                    return ScalarOutcome.notFound();
                }
                if (r.size() == 1) {
                    return ScalarOutcome.of(r.value(0));
                }
                throw PromQLException.execution("query returned " + r.size()
                        + " series; a scaling query must return a single value, wrap it in an aggregation such as sum(...)");
            default:
                throw PromQLException.execution("a scaling query must return a scalar or an instant vector, got "
                        + r.type().documentedName());
        }
    }
}
