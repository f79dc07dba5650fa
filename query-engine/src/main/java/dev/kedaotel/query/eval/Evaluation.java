package dev.kedaotel.query.eval;

import dev.kedaotel.model.TimeSource;

import dev.kedaotel.query.EngineConfig;
import dev.kedaotel.query.PromQLException;
import dev.kedaotel.query.QueryOptions;
import dev.kedaotel.query.QueryResult;
import dev.kedaotel.query.ValueType;
import dev.kedaotel.query.ast.AggregateExpr;
import dev.kedaotel.query.ast.AggregateOp;
import dev.kedaotel.query.ast.AtModifier;
import dev.kedaotel.query.ast.BinaryExpr;
import dev.kedaotel.query.ast.Call;
import dev.kedaotel.query.ast.Expr;
import dev.kedaotel.query.ast.Exprs;
import dev.kedaotel.query.ast.MatrixSelector;
import dev.kedaotel.query.ast.NumberLiteral;
import dev.kedaotel.query.ast.StringLiteral;
import dev.kedaotel.query.ast.SubqueryExpr;
import dev.kedaotel.query.ast.UnaryExpr;
import dev.kedaotel.query.ast.VectorSelector;
import dev.kedaotel.tsdb.IntList;
import dev.kedaotel.model.Labels;
import dev.kedaotel.tsdb.SampleBuffer;
import dev.kedaotel.model.StaleMarker;
import dev.kedaotel.tsdb.TimeSeriesStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One query's evaluation (instant, or each step of a range query) with Prometheus 2.42 semantics.
 *
 * <p>Selectors: an instant selector returns, per series, the latest sample in {@code [t − lookback, t]}
 * (t shifted by {@code offset}/pinned by {@code @}), unless that sample is a staleness marker; a range
 * selector returns the samples in {@code [t − range, t]}, markers excluded. Each selector's series are
 * selected once per query (cached by AST node identity) and samples are copied into one reusable
 * {@link SampleBuffer}, so evaluating a step allocates per series at most a vector slot, not per sample.
 *
 * <p>Deadline: {@link #checkLimits} compares the engine's {@code TimeSource} with the query's deadline
 * (and checks interruption) at every step, every {@value #CHECK_EVERY} series, subquery step or sample
 * window, and inside series selection: the store calls it back every few dozen label values it tests a
 * regex against ({@code TimeSeriesStore.select(matchers, out, cancellation)}), so a matcher over many
 * long values times out like any other part of the query. Regex matching itself is linear in the value's
 * length (Go's regexps, {@code model.GoRegexp}), so no single value can hold a query past that check.
 *
 * <p>Single-threaded: an instance belongs to one query on one thread. The store is read concurrently
 * with ingest; a series removed mid-query simply yields no samples.
 */
public final class Evaluation {
    private static final int CHECK_EVERY = 256;

    private final TimeSeriesStore store;
    private final long lookbackMs;
    private final long maxSamples;
    /** The deadline's clock (the engine's {@link TimeSource}, so tests can run time out deterministically). */
    private final TimeSource ticker;
    private final long deadlineNanos;
    private final long startMs;
    private final long endMs;
    private final long stepMs;
    private final long defaultSubqueryStepMs;
    private final IdentityHashMap<VectorSelector, Selection> selections = new IdentityHashMap<>();
    private final SelectionCache sharedSelections;
    private final SampleBuffer buf = new SampleBuffer(256);
    /** Range-function windows by call nesting depth (a subquery argument may hold another range function). */
    private final List<FunctionTable.Window> windows = new ArrayList<>();
    private int windowDepth;
    private final LabelsetGuard labelsets = new LabelsetGuard();
    /** Subqueries being evaluated around the current node: inside one, a node is evaluated at many times. */
    private int subqueryDepth;
    private long samplesInStep;
    private long outputSamples;
    private int checkCounter;


    public Evaluation(TimeSeriesStore store, EngineConfig config, QueryOptions opts, long startMs, long endMs, long stepMs) {
        this(store, config, opts, startMs, endMs, stepMs, null);
    }

    /** @param sharedSelections selections kept across evaluations of the same expression, or null */
    public Evaluation(TimeSeriesStore store, EngineConfig config, QueryOptions opts, long startMs, long endMs, long stepMs,
                      SelectionCache sharedSelections) {
        this.store = store;
        this.sharedSelections = sharedSelections;
        this.lookbackMs = opts.lookbackDeltaMs() > 0 ? opts.lookbackDeltaMs() : config.lookbackDeltaMs();
        this.maxSamples = opts.maxSamples() > 0 ? opts.maxSamples() : config.maxSamples();
        long timeout = opts.timeoutMs() > 0 ? opts.timeoutMs() : config.timeoutMs();
        this.ticker = config.time();
        this.deadlineNanos = ticker.monotonicNanos() + timeout * 1_000_000L;
        this.startMs = startMs;
        this.endMs = endMs;
        this.stepMs = stepMs;
        this.defaultSubqueryStepMs = config.defaultSubqueryStepMs();
    }

    // ---- entry points ------------------------------------------------------------------------------

    public QueryResult instant(Expr e) throws PromQLException {
        long t = startMs;
        checkLimits();
        switch (e.type()) {
            case SCALAR:
                return QueryResult.scalar(t, evalScalar(e, t));
            case STRING:
                return QueryResult.string(t, stringValue(e));
            case VECTOR: {
                Vec v = evalVector(e, t);
                Labels[] labels = new Labels[v.size()];
                double[] values = new double[v.size()];
                for (int i = 0; i < v.size(); i++) {
                    labels[i] = v.labels(i);
                    values[i] = v.value(i);
                }
                return QueryResult.vector(t, labels, values);
            }
            default:
                return QueryResult.matrix(sorted(evalMatrix(e, t)));
        }
    }

    public QueryResult range(Expr e) throws PromQLException {
        Map<Labels, SeriesBuilder> out = new HashMap<>();
        boolean scalar = e.type() == ValueType.SCALAR;
        for (long t = startMs; t <= endMs; t += stepMs) {
            samplesInStep = 0;
            checkLimits();
            if (scalar) {
                out.computeIfAbsent(Labels.EMPTY, SeriesBuilder::new).add(t, evalScalar(e, t));
                outputSamples++;
            } else {
                Vec v = evalVector(e, t);
                for (int i = 0; i < v.size(); i++) {
                    out.computeIfAbsent(labelsets.labels(v, i), SeriesBuilder::new).add(t, v.value(i));
                }
                outputSamples += v.size();
            }
            countSamples(0);
        }
        List<QueryResult.Series> series = new ArrayList<>(out.size());
        for (SeriesBuilder b : out.values()) {
            series.add(b.build());
        }
        return QueryResult.matrix(sorted(series));
    }

    private static List<QueryResult.Series> sorted(List<QueryResult.Series> s) {
        s.sort((a, b) -> a.labels().compareTo(b.labels()));
        return s;
    }

    // ---- scalars and strings -----------------------------------------------------------------------

    double evalScalar(Expr e, long t) throws PromQLException {
        e = Exprs.unwrapParens(e);
        if (e instanceof NumberLiteral n) {
            return n.value();
        }
        if (e instanceof UnaryExpr u) {
            double v = evalScalar(u.expr(), t);
            return u.negate() ? -v : v;
        }
        if (e instanceof BinaryExpr b) {
            return BinaryOps.scalarScalar(b.op(), evalScalar(b.lhs(), t), evalScalar(b.rhs(), t), b.returnBool());
        }
        if (e instanceof Call c && FunctionTable.of(c.function()).impl() instanceof FunctionTable.ScalarFn f) {
            return f.apply(this, c.args(), t);
        }
        throw PromQLException.execution("evaluating " + e + " as a scalar is not supported");
    }

    static String stringValue(Expr e) throws PromQLException {
        Expr u = Exprs.unwrapParens(e);
        if (u instanceof StringLiteral s) {
            return s.value();
        }
        throw PromQLException.execution("evaluating " + e + " as a string is not supported");
    }

    // ---- instant vectors -----------------------------------------------------------------------------

    Vec evalVector(Expr e, long t) throws PromQLException {
        e = Exprs.unwrapParens(e);
        if (e instanceof VectorSelector vs) {
            return selectInstant(vs, t);
        }
        if (e instanceof Call c) {
            return call(c, t);
        }
        if (e instanceof AggregateExpr a) {
            double param = Double.NaN;
            String stringParam = null;
            if (a.op().paramType() == ValueType.SCALAR) {
                param = evalScalar(a.param(), t);
            } else if (a.op() == AggregateOp.COUNT_VALUES) {
                stringParam = stringValue(a.param());
            }
            return Aggregations.aggregate(a, evalVector(a.expr(), t), param, stringParam);
        }
        if (e instanceof BinaryExpr b) {
            boolean lv = b.lhs().type() == ValueType.VECTOR;
            boolean rv = b.rhs().type() == ValueType.VECTOR;
            if (lv && rv) {
                return BinaryOps.vectorVector(b.op(), evalVector(b.lhs(), t), evalVector(b.rhs(), t), b.matching(),
                        b.returnBool());
            }
            Vec out = lv
                    ? BinaryOps.vectorScalar(b.op(), evalVector(b.lhs(), t), evalScalar(b.rhs(), t), false, b.returnBool())
                    : BinaryOps.vectorScalar(b.op(), evalVector(b.rhs(), t), evalScalar(b.lhs(), t), true, b.returnBool());
            if (out.dropName) {
                labelsets.requireDistinct(out);
            }
            return out;
        }
        if (e instanceof UnaryExpr u) {
            Vec in = evalVector(u.expr(), t);
            if (!u.negate()) {
                return in;
            }
            Vec out = new Vec(in.size());
            for (int i = 0; i < in.size(); i++) {
                out.add(in.rawLabels(i), -in.value(i));
            }
            out.dropName = true;
            if (!in.dropName) {
                // Prometheus negates the operand's whole matrix, then checks it (engine.go, UnaryExpr).
                labelsets.requireDistinctAcrossSteps(u, out, evaluatedOnce());
            }
            return out;
        }
        throw PromQLException.execution("evaluating " + e + " as an instant vector is not supported");
    }

    /**
     * The selector's series. Selecting tests regex matchers against every value of their label, so the
     * store checks this evaluation's deadline and interruption ({@link #checkLimits}) as it goes.
     */
    private Selection selection(VectorSelector vs) throws PromQLException {
        Selection s = selections.get(vs);
        if (s == null && sharedSelections != null) {
            s = sharedSelections.get(vs, store.seriesEpoch());
        }
        if (s == null) {
            long epoch = store.seriesEpoch(); // before selecting: see SelectionCache
            IntList refs = new IntList();
            store.select(vs.matchers(), refs, this::checkLimits);
            int[] live = new int[refs.size()];
            Labels[] labels = new Labels[refs.size()];
            int n = 0;
            for (int i = 0; i < refs.size(); i++) {
                Labels l = store.labels(refs.get(i));
                if (l != null) {
                    live[n] = refs.get(i);
                    labels[n] = l;
                    n++;
                }
            }
            s = new Selection(epoch, java.util.Arrays.copyOf(live, n), java.util.Arrays.copyOf(labels, n));
            if (sharedSelections != null) {
                sharedSelections.put(vs, s);
            }
        }
        selections.put(vs, s);
        return s;
    }

    private long referenceTime(AtModifier at, long offsetMs, long t) {
        return (at == null ? t : at.resolve(startMs, endMs)) - offsetMs;
    }

    private Vec selectInstant(VectorSelector vs, long t) throws PromQLException {
        Selection sel = selection(vs);
        long refT = referenceTime(vs.at(), vs.offsetMs(), t);
        // Prometheus 2.42 includes a sample exactly lookback old: the window is [refT − lookback, refT].
        long oldest = refT - lookbackMs;
        Vec out = new Vec(sel.refs.length);
        for (int i = 0; i < sel.refs.length; i++) {
            tick();
            int ref = sel.refs[i];
            long last = store.lastTimestamp(ref);
            if (last == Long.MIN_VALUE || last < oldest) {
                continue;
            }
            buf.clear();
            // Usually the newest sample is the one wanted: read just it instead of the whole look-back window.
            if (last > refT || store.read(ref, last, last, buf) == 0) {
                buf.clear();
                store.read(ref, oldest, refT, buf);
            }
            int n = buf.size();
            if (n == 0) {
                continue;
            }
            long ts = buf.timestamp(n - 1);
            double v = buf.value(n - 1);
            if (ts > refT || ts < oldest || StaleMarker.isStale(v)) {
                continue;
            }
            out.addWithTimestamp(sel.labels[i], v, ts);
        }
        countSamples(out.size());
        return out;
    }

    /** Reads [minTs, maxTs] of one series into {@link #buf}, dropping staleness markers; returns the count. */
    private int readRange(int ref, long minTs, long maxTs) throws PromQLException {
        buf.clear();
        store.read(ref, minTs, maxTs, buf);
        int n = buf.size();
        double[] v = buf.valueArray();
        long[] ts = buf.timestampArray();
        int w = 0;
        for (int r = 0; r < n; r++) {
            if (!StaleMarker.isStale(v[r])) {
                v[w] = v[r];
                ts[w] = ts[r];
                w++;
            }
        }
        buf.truncate(w);
        countSamples(w);
        return w;
    }

    // ---- range vectors ---------------------------------------------------------------------------------

    /** The raw series of a range-vector expression at {@code t} (top-level matrix results). */
    private List<QueryResult.Series> evalMatrix(Expr e, long t) throws PromQLException {
        e = Exprs.unwrapParens(e);
        List<QueryResult.Series> out = new ArrayList<>();
        if (e instanceof MatrixSelector ms) {
            VectorSelector vs = ms.selector();
            Selection sel = selection(vs);
            long refT = referenceTime(vs.at(), vs.offsetMs(), t);
            for (int i = 0; i < sel.refs.length; i++) {
                tick();
                int n = readRange(sel.refs[i], refT - ms.rangeMs(), refT);
                if (n > 0) {
                    out.add(new QueryResult.Series(sel.labels[i], java.util.Arrays.copyOf(buf.timestampArray(), n),
                            java.util.Arrays.copyOf(buf.valueArray(), n)));
                }
            }
            return out;
        }
        if (e instanceof SubqueryExpr sq) {
            for (SeriesBuilder b : evalSubquery(sq, referenceTime(sq.at(), sq.offsetMs(), t)).values()) {
                out.add(b.build());
            }
            return out;
        }
        throw PromQLException.execution("evaluating " + e + " as a range vector is not supported");
    }

    private Map<Labels, SeriesBuilder> evalSubquery(SubqueryExpr sq, long refT) throws PromQLException {
        long step = sq.stepMs() > 0 ? sq.stepMs() : defaultSubqueryStepMs;
        long start = refT - sq.rangeMs();
        long first = Math.floorDiv(start, step) * step;
        if (first < start) {
            first += step;
        }
        Map<Labels, SeriesBuilder> out = new java.util.LinkedHashMap<>();
        subqueryDepth++;
        try {
            for (long ts = first; ts <= refT; ts += step) {
                tick();
                Vec v = evalVector(sq.expr(), ts);
                for (int i = 0; i < v.size(); i++) {
                    out.computeIfAbsent(labelsets.labels(v, i), SeriesBuilder::new).add(ts, v.value(i));
                }
                countSamples(v.size());
            }
        } finally {
            subqueryDepth--;
        }
        return out;
    }

    /** Whether the node being evaluated is evaluated only this once in the query. */
    private boolean evaluatedOnce() {
        return startMs == endMs && subqueryDepth == 0;
    }

    /**
     * Evaluates a function of a range vector series by series.
     *
     * <p>Under {@code @}, a function whose result depends on the evaluation time
     * ({@link FunctionTable.Entry#atModifierUnsafe()}: predict_linear) is not step-invariant in Prometheus
     * 2.42: it is evaluated at each step with the {@code @} turned into an offset from the query start, so
     * the window's start moves with the step, while only samples up to the {@code @} time were loaded.
     * The window at step t is therefore {@code [@ + (t − start) − range, @]} (less any offset), and empty
     * once {@code t − start} exceeds the range; for an instant query it is the pinned window. (Over a
     * subquery 2.42 goes further, evaluating the subquery past the {@code @} time on data cut off there;
     * we keep a subquery's window pinned, which agrees for instant queries only.)
     */
    private Vec rangeFunction(Call c, FunctionTable.Entry f, FunctionTable.RangeFn fn, long t) throws PromQLException {
        if (windowDepth == windows.size()) {
            windows.add(new FunctionTable.Window());
        }
        FunctionTable.Window w = windows.get(windowDepth++);
        try {
            return rangeFunction(c, f, fn, w, t);
        } finally {
            windowDepth--;
        }
    }

    private Vec rangeFunction(Call c, FunctionTable.Entry f, FunctionTable.RangeFn fn, FunctionTable.Window w, long t)
            throws PromQLException {
        List<Expr> args = c.args();
        Expr arg = Exprs.unwrapParens(args.get(f.rangeArg()));
        boolean first = true;
        for (int i = 0; i < args.size(); i++) {
            if (i != f.rangeArg()) {
                double v = evalScalar(args.get(i), t);
                if (first) {
                    w.a = v;
                    first = false;
                } else {
                    w.b = v;
                }
            }
        }
        w.evalTime = t;
        boolean anySamples = false;
        Vec out;
        if (arg instanceof MatrixSelector ms) {
            VectorSelector vs = ms.selector();
            Selection sel = selection(vs);
            setWindow(w, vs.at(), vs.offsetMs(), ms.rangeMs(), t, f.atModifierUnsafe() && vs.at() != null);
            out = new Vec(sel.refs.length);
            for (int i = 0; i < sel.refs.length; i++) {
                tick();
                int n = readRange(sel.refs[i], w.rangeStart, w.rangeEnd);
                if (n > 0) {
                    anySamples = true;
                    if (applyToBuffer(fn, w, n)) {
                        out.add(sel.labels[i], w.result);
                    }
                }
            }
        } else if (arg instanceof SubqueryExpr sq) {
            setWindow(w, sq.at(), sq.offsetMs(), sq.rangeMs(), t, false);
            Map<Labels, SeriesBuilder> series = evalSubquery(sq, w.rangeEnd);
            out = new Vec(series.size());
            for (SeriesBuilder s : series.values()) {
                if (s.size > 0) {
                    anySamples = true;
                    buf.clear();
                    for (int k = 0; k < s.size; k++) {
                        buf.add(s.ts[k], s.values[k]);
                    }
                    if (applyToBuffer(fn, w, s.size)) {
                        out.add(s.labels, w.result);
                    }
                }
            }
        } else {
            throw PromQLException.execution("function " + c.function() + " over " + arg + " is not supported");
        }
        return fn.finish(out, anySamples, arg);
    }

    /** Sets the window ending at the reference time; {@code startMoves}: see {@link #rangeFunction}. */
    private void setWindow(FunctionTable.Window w, AtModifier at, long offsetMs, long rangeMs, long t, boolean startMoves) {
        w.rangeEnd = referenceTime(at, offsetMs, t);
        w.rangeMs = rangeMs;
        w.rangeStart = w.rangeEnd - rangeMs + (startMoves ? t - startMs : 0);
    }

    /** Applies a range function to the n samples in {@link #buf}. */
    private boolean applyToBuffer(FunctionTable.RangeFn fn, FunctionTable.Window w, int n) throws PromQLException {
        w.ts = buf.timestampArray();
        w.v = buf.valueArray();
        w.n = n;
        return fn.apply(w);
    }

    // ---- functions ---------------------------------------------------------------------------------------

    /**
     * Evaluates a call through its {@link FunctionTable} row, which also says what the result does to
     * {@code __name__}; results that drop it or build new label sets must stay distinct.
     */
    private Vec call(Call c, long t) throws PromQLException {
        FunctionTable.Entry f = FunctionTable.of(c.function());
        Vec out;
        if (f.impl() instanceof FunctionTable.VectorFn fn) {
            out = fn.apply(this, c.args(), t);
        } else if (f.impl() instanceof FunctionTable.RangeFn fn) {
            out = rangeFunction(c, f, fn, t);
        } else {
            throw PromQLException.execution("evaluating " + c + " as an instant vector is not supported");
        }
        switch (f.labelling()) {
            case DROP_NAME:
                out.dropName = true;
                if (f.rangeArg() >= 0) {
                    labelsets.requireDistinctAcrossSteps(c, out, evaluatedOnce());
                } else {
                    labelsets.requireDistinct(out);
                }
                break;
            case NEW:
                labelsets.requireDistinct(out);
                break;
            default:
                break;
        }
        return out;
    }

    // ---- limits ------------------------------------------------------------------------------------------

    private void tick() throws PromQLException {
        if (++checkCounter % CHECK_EVERY == 0) {
            checkLimits();
        }
    }

    private void checkLimits() throws PromQLException {
        if (ticker.monotonicNanos() - deadlineNanos > 0) {
            throw new PromQLException(PromQLException.Kind.TIMEOUT, "query timed out in query execution");
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new PromQLException(PromQLException.Kind.CANCELED, "query was canceled in query execution");
        }
    }

    private void countSamples(long n) throws PromQLException {
        samplesInStep += n;
        if (samplesInStep + outputSamples > maxSamples) {
            throw PromQLException.execution("query processing would load too many samples into memory in query execution");
        }
    }
}
